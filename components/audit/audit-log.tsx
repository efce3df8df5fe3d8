"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

interface AuditRow {
  seq: number;
  at: string;
  actorType: string;
  actorName: string;
  action: string;
  target: string;
  reason: string | null;
  generation: number | null;
  requestIp: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}
type Page = { events: AuditRow[]; nextCursor: string | null };
type Verify = {
  ok: boolean;
  checked: number;
  range: { from: number; to: number };
  firstFailure?: { seq: number; kind: string; detail: string };
  checkpoint: { seq: number; keyId: string; signatureValid: boolean } | null;
};

export function AuditLog() {
  const [open, setOpen] = useState<number | null>(null);
  const query = useInfiniteQuery({
    queryKey: ["audit"],
    queryFn: ({ pageParam }) => api<Page>(`/api/v1/admin/audit?limit=50${pageParam ? `&cursor=${pageParam}` : ""}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const verify = useMutation({ mutationFn: () => api<Verify>("/api/v1/admin/audit/verify") });
  const rows = query.data?.pages.flatMap((p) => p.events) ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => verify.mutate()} disabled={verify.isPending}>
          {verify.isPending ? "Verifying the chain…" : "Verify chain"}
        </Button>
        {verify.data && (
          <span role="status" data-testid="verify-result" className={`rounded-md px-3 py-1 text-sm font-medium ${verify.data.ok ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200"}`}>
            {verify.data.ok
              ? `✓ Chain intact: ${verify.data.checked} events (#${verify.data.range.from}–#${verify.data.range.to})${verify.data.checkpoint ? `, covered by checkpoint #${verify.data.checkpoint.seq} signed by key ${verify.data.checkpoint.keyId}` : ""}`
              : `✗ Chain broken at #${verify.data.firstFailure?.seq} (${verify.data.firstFailure?.kind}): ${verify.data.firstFailure?.detail}`}
          </span>
        )}
        {verify.error && <span role="alert" className="text-sm text-red-700">{verify.error.message}</span>}
      </div>
      {query.isPending ? (
        <p className="text-sm text-slate-500" role="status">Loading audit events…</p>
      ) : query.error ? (
        <p role="alert" className="text-sm text-red-700">{query.error.message}</p>
      ) : rows.length === 0 ? (
        <EmptyState title="No audit events yet">Sign-ins, user and token changes will appear here as they happen.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="audit-table">
            <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                <th className="px-3 py-2 font-medium">#</th>
                <th className="px-3 py-2 font-medium">Time (UTC)</th>
                <th className="px-3 py-2 font-medium">Actor</th>
                <th className="px-3 py-2 font-medium">Action</th>
                <th className="px-3 py-2 font-medium">Target</th>
                <th className="px-3 py-2 font-medium">Gen</th>
                <th className="px-3 py-2 font-medium"><span className="sr-only">Details</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={r.seq}>
                  <tr className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-3 py-2 font-mono text-xs">{r.seq}</td>
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{r.at.replace("T", " ").slice(0, 19)}</td>
                    <td className="px-3 py-2">{r.actorName} <span className="text-xs text-slate-500">({r.actorType})</span></td>
                    <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
                    <td className="px-3 py-2 font-mono text-xs">{r.target}</td>
                    <td className="px-3 py-2 font-mono text-xs">{r.generation ?? "–"}</td>
                    <td className="px-3 py-2 text-right">
                      <button type="button" aria-expanded={open === r.seq} onClick={() => setOpen(open === r.seq ? null : r.seq)} className="text-xs text-sky-700 hover:underline dark:text-sky-400">
                        {open === r.seq ? "Hide" : "Details"}
                      </button>
                    </td>
                  </tr>
                  {open === r.seq && (
                    <tr className="bg-slate-50 dark:bg-slate-950">
                      <td colSpan={7} className="px-3 py-3">
                        <dl className="grid gap-2 text-xs md:grid-cols-2">
                          <div><dt className="font-semibold">Reason</dt><dd>{r.reason ?? "—"}</dd></div>
                          <div><dt className="font-semibold">Request IP</dt><dd className="font-mono">{r.requestIp ?? "—"}</dd></div>
                          <div><dt className="font-semibold">Before</dt><dd><pre className="overflow-x-auto whitespace-pre-wrap">{JSON.stringify(r.before, null, 2) ?? "—"}</pre></dd></div>
                          <div><dt className="font-semibold">After</dt><dd><pre className="overflow-x-auto whitespace-pre-wrap">{JSON.stringify(r.after, null, 2) ?? "—"}</pre></dd></div>
                          <div className="md:col-span-2"><dt className="font-semibold">Hash</dt><dd className="font-mono break-all">{r.hash}</dd></div>
                        </dl>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <Button variant="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading…" : "Load older events"}
        </Button>
      )}
    </div>
  );
}
