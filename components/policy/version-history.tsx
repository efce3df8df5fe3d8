"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { Notice } from "@/components/policy/bits";
import { DiffTable } from "@/components/policy/diff-table";
import { utc, type SavedChangeSet, type VersionMeta } from "@/components/policy/types";
import { api } from "@/lib/client/api";
import type { KeyChange } from "@/lib/policy/diff";

/** Every published version, a key-by-key diff between any two, and revert (as a change set). */
export function VersionHistory({ canWrite, initialFrom, initialTo }: { canWrite: boolean; initialFrom?: number; initialTo?: number }) {
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const versions = useQuery({ queryKey: ["policy-versions"], queryFn: () => api<{ head: number | null; versions: VersionMeta[] }>("/api/v1/admin/policy/versions"), refetchInterval: 10_000 });
  const [pick, setPick] = useState<{ from?: number; to?: number }>({ from: initialFrom, to: initialTo });
  const [reverting, setReverting] = useState<VersionMeta | null>(null);
  const [reason, setReason] = useState("");

  const list = versions.data?.versions ?? [];
  const head = versions.data?.head ?? null;
  const to = pick.to ?? head ?? undefined;
  const from = pick.from ?? list.find((v) => v.number === to)?.parent ?? undefined;
  const diff = useQuery({
    queryKey: ["policy-diff", from, to],
    queryFn: () => api<{ changes: KeyChange[] }>(`/api/v1/admin/policy/diff?from=${from}&to=${to}`),
    enabled: from !== undefined && to !== undefined && from !== to,
  });

  const revert = useMutation({
    mutationFn: (v: VersionMeta) => api<SavedChangeSet>(`/api/v1/admin/policy/versions/${v.number}/revert`, { method: "POST", body: reason.trim() ? { reason: reason.trim() } : {} }),
    onSuccess: (r, v) => {
      toast("success", r.status === "pending_approval" ? `Created a change set reverting to version ${v.number}. It touches sensitive keys and needs reviewer approval.` : `Created a change set reverting to version ${v.number}. Review it and apply.`);
      setReverting(null);
      setReason("");
      void qc.invalidateQueries({ queryKey: ["changesets"] });
      router.push(`/policy/changesets/${r.id}`);
    },
    onError: (e) => toast("error", e.message),
  });

  if (versions.isPending) return <p role="status" className="text-sm text-slate-500">Loading versions…</p>;
  if (versions.error) return <Notice tone="error" title="Could not load the versions">{versions.error.message}</Notice>;
  if (list.length === 0) return <EmptyState title="No policy version is published yet">The first version appears here once it is published.</EmptyState>;

  const options = list.map((v) => ({ value: String(v.number), label: `Version ${v.number}${v.number === head ? " (live)" : ""}` }));
  return (
    <div className="space-y-6">
      <Card title="Compare two versions">
        <div className="mb-4 flex flex-wrap items-end gap-3">
          <div className="w-48"><SelectField label="From" value={from === undefined ? "" : String(from)} onChange={(e) => setPick({ from: Number(e.target.value), to })} options={[...(from === undefined ? [{ value: "", label: "Choose…" }] : []), ...options]} /></div>
          <div className="w-48"><SelectField label="To" value={to === undefined ? "" : String(to)} onChange={(e) => setPick({ from, to: Number(e.target.value) })} options={options} /></div>
        </div>
        {list.length === 1 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Only one version so far. Each applied change set adds a version you can compare here.</p>
        ) : from === undefined || to === undefined ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Choose two versions to compare.</p>
        ) : from === to ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Pick two different versions.</p>
        ) : diff.isPending ? (
          <p role="status" className="text-sm text-slate-500">Comparing…</p>
        ) : diff.error ? (
          <Notice tone="error">{diff.error.message}</Notice>
        ) : (
          <DiffTable changes={diff.data.changes} testId="version-diff" empty={`Versions ${from} and ${to} have the same content.`} />
        )}
      </Card>

      <Card title={`All versions (${list.length})`}>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="versions-table">
            <thead>
              <tr className="text-left text-slate-500 dark:text-slate-400">
                <th className="px-2 py-2 font-medium">Version</th>
                <th className="px-2 py-2 font-medium">Author</th>
                <th className="px-2 py-2 font-medium">Reason</th>
                <th className="px-2 py-2 font-medium">Published</th>
                <th className="px-2 py-2 font-medium">sha256</th>
                <th className="px-2 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.number} className="border-t border-slate-100 dark:border-slate-800" data-testid={`version-${v.number}`}>
                  <td className="px-2 py-2 font-medium whitespace-nowrap">
                    {v.number}
                    {v.number === head && <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">live</span>}
                  </td>
                  <td className="px-2 py-2">{v.author}</td>
                  <td className="px-2 py-2">{v.reason ?? <span className="text-slate-500">—</span>}</td>
                  <td className="px-2 py-2 whitespace-nowrap">{utc(v.createdAt)}</td>
                  <td className="px-2 py-2 font-mono text-xs text-slate-500">{v.sha256.slice(0, 12)}</td>
                  <td className="px-2 py-2 text-right whitespace-nowrap">
                    {v.parent !== null && <Button variant="ghost" aria-label={`Compare version ${v.number} with version ${v.parent}`} onClick={() => { setPick({ from: v.parent!, to: v.number }); window.scrollTo({ top: 0, behavior: "smooth" }); }}>Changes</Button>}
                    {canWrite && v.number !== head && <Button variant="secondary" aria-label={`Revert to version ${v.number}`} onClick={() => setReverting(v)}>Revert to this</Button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <ConfirmDialog
        open={reverting !== null}
        title={`Revert to version ${reverting?.number ?? ""}?`}
        confirmLabel="Create revert change set"
        pending={revert.isPending}
        onCancel={() => setReverting(null)}
        onConfirm={() => reverting && revert.mutate(reverting)}
      >
        <p>This creates a change set that turns the live policy back into version {reverting?.number}&apos;s content. Nothing changes until it is applied, and it needs reviewer approval if it touches sensitive keys.</p>
        <label htmlFor="revert-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional)</label>
        <input id="revert-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={`Revert to version ${reverting?.number ?? ""}`} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
    </div>
  );
}
