"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { HourglassIcon } from "@/components/approvals/glyphs";
import { utc } from "@/components/approvals/format";
import { grantEnding, grantStatus, sortGrants, type Grant, type GrantStatus } from "@/components/grants/grant-status";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

const BADGE: Record<GrantStatus, { glyph: ReactNode; cls: string }> = {
  active: { glyph: "●", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  expired: { glyph: <HourglassIcon />, cls: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  revoked: { glyph: "✕", cls: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
};

/** Every grant ever issued, with how it stands and how it ended; revoke needs grants.manage. */
export function GrantsList({ canManage }: { canManage: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const reasonId = useId();
  const titleId = useId();
  const [show, setShow] = useState<"" | GrantStatus>("");
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [reason, setReason] = useState("");
  // Grants end on their own (expiry, auto-revoke after a failure): poll so the list keeps up.
  const grants = useQuery({ queryKey: ["grants-all"], queryFn: () => api<{ grants: Grant[] }>("/api/v1/admin/grants/all"), refetchInterval: 5000 });
  const revoke = useMutation({
    mutationFn: (g: Grant) => api(`/api/v1/admin/grants/${g.id}/revoke`, { method: "POST", body: { reason: reason.trim() || undefined } }),
    onSuccess: (_r, g) => {
      toast("success", `Revoked the grant for ${g.agentId}. Its next decision is made without it.`);
      setRevoking(null);
      setReason("");
      void qc.invalidateQueries({ queryKey: ["grants-all"] });
    },
    onError: (e) => toast("error", e.message),
  });

  const now = Date.now();
  const all = sortGrants(grants.data?.grants ?? [], now);
  const rows = show ? all.filter((g) => grantStatus(g, now) === show) : all;
  const counts = all.reduce<Record<string, number>>((acc, g) => ((acc[grantStatus(g, now)] = (acc[grantStatus(g, now)] ?? 0) + 1), acc), {});

  return (
    <section aria-labelledby={titleId} className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id={titleId} className="text-lg font-semibold">Grants</h2>
        <div className="w-56">
          <SelectField
            label="Show"
            value={show}
            onChange={(e) => setShow(e.target.value as "" | GrantStatus)}
            options={[
              { value: "", label: `All (${all.length})` },
              { value: "active", label: `Active (${counts.active ?? 0})` },
              { value: "expired", label: `Expired (${counts.expired ?? 0})` },
              { value: "revoked", label: `Revoked (${counts.revoked ?? 0})` },
            ]}
          />
        </div>
      </div>
      {grants.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading grants…</p>
      ) : grants.error && !grants.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load grants: {grants.error.message}</p>
      ) : rows.length === 0 ? (
        <EmptyState title={all.length === 0 ? "No sandbox grant has been issued" : `No ${show} grants`}>
          {all.length === 0
            ? canManage
              ? "Tools marked sandbox_grant_required are refused until an agent holds a grant. Issue one above; it ends on its own at expiry."
              : "Tools marked sandbox_grant_required are refused until an agent holds a grant. An operator, editor or admin can issue one."
            : "Pick another status above to see the rest."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="grants-table">
            <caption className="sr-only">Sandbox grants</caption>
            <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 font-medium">Agent</th>
                <th scope="col" className="px-3 py-2 font-medium">Tools · resource</th>
                <th scope="col" className="px-3 py-2 font-medium">Issued</th>
                <th scope="col" className="px-3 py-2 font-medium">How it ends</th>
                {canManage && <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => {
                const status = grantStatus(g, now);
                return (
                  <tr key={g.id} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid="grant-row">
                    <td className="px-3 py-2">
                      <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${BADGE[status].cls}`}>
                        <span aria-hidden>{BADGE[status].glyph}</span>{status}
                      </span>
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{g.agentId}</td>
                    <td className="px-3 py-2">
                      <span className="font-mono text-xs">{g.tools.includes("*") ? "* (all tools)" : g.tools.join(", ")}</span>
                      <div className="text-xs text-slate-500 dark:text-slate-400">{g.resourcePattern ? <>resource <span className="font-mono">{g.resourcePattern}</span></> : "any resource"}</div>
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {utc(g.createdAt)} by {g.createdBy}
                      {g.reason && <div className="text-slate-600 italic dark:text-slate-400">“{g.reason}”</div>}
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {grantEnding(g, now)}
                      {status === "active" && !g.revokeOnFailure && <div className="text-slate-500">Stays on after a failed outcome.</div>}
                    </td>
                    {canManage && (
                      <td className="px-3 py-2 text-right">
                        {status === "active" && <Button variant="ghost" aria-label={`Revoke grant for ${g.agentId} (${g.tools.join(", ")})`} onClick={() => setRevoking(g)}>Revoke</Button>}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the grant for ${revoking?.agentId ?? ""}?`}
        confirmLabel="Revoke grant"
        danger
        pending={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      >
        <p>{revoking ? `${revoking.agentId} loses ${revoking.tools.includes("*") ? "every tool" : revoking.tools.join(", ")} under this grant from its next decision. A revoked grant cannot be restored; issue a new one instead.` : ""}</p>
        <label htmlFor={reasonId} className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional)</label>
        <input id={reasonId} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. cleanup finished" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
    </section>
  );
}
