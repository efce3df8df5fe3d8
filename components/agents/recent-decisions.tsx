"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useState } from "react";
import { auditHref } from "@/components/audit/filters";
import { ago, utc } from "@/components/approvals/format";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Segmented } from "@/components/ui/segmented";
import { api } from "@/lib/client/api";
import type { DecisionLine } from "@/lib/agents/decisions";

const FILTERS = [
  { verdict: "", label: "All" },
  { verdict: "deny", label: "Denied" },
  { verdict: "pending", label: "Pending" },
  { verdict: "allow", label: "Allowed" },
] as const;

const VERDICT_TONE: Record<string, string> = {
  allow: "text-emerald-700 dark:text-emerald-400",
  pending: "text-amber-700 dark:text-amber-400",
  deny: "text-rose-700 dark:text-rose-400",
};

/** The agent's latest decisions and what it was told, refreshed every 5 s. */
export function RecentDecisions({ agent, canAudit }: { agent: string; canAudit: boolean }) {
  const [verdict, setVerdict] = useState<string>("");
  const q = useQuery({
    queryKey: ["agent-decisions", agent, verdict],
    queryFn: () => api<{ decisions: DecisionLine[] }>(`/api/v1/admin/agents/${encodeURIComponent(agent)}/decisions?limit=25${verdict ? `&verdict=${verdict}` : ""}`),
    refetchInterval: 5000,
  });
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-300">Latest decisions</h2>
        <Segmented label="Verdict" options={FILTERS.map((f) => ({ value: f.verdict, label: f.label }))} value={verdict} onChange={setVerdict} />
      </div>
      {q.isPending && <div className="h-32 animate-pulse rounded-md bg-slate-100 dark:bg-slate-800" aria-label="Loading decisions" />}
      {q.isError && <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">Could not load decisions: {q.error.message}</p>}
      {q.data && q.data.decisions.length === 0 && (
        <EmptyState title={verdict ? `No ${FILTERS.find((f) => f.verdict === verdict)!.label.toLowerCase()} decisions logged for ${agent}` : `${agent} has no logged decisions`}>
          Decisions appear here within a second of being made.
        </EmptyState>
      )}
      {q.data && q.data.decisions.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="agent-decisions">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
                <th scope="col" className="px-3 py-2">When</th>
                <th scope="col" className="px-3 py-2">Tool</th>
                <th scope="col" className="px-3 py-2">Tenant</th>
                <th scope="col" className="px-3 py-2">Verdict</th>
                <th scope="col" className="px-3 py-2">What it was told</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {q.data.decisions.map((d) => (
                <tr key={d.id}>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600 dark:text-slate-400" title={utc(d.at, true)}>{ago(d.at)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{d.tool}</td>
                  <td className="px-3 py-2 font-mono text-xs">{d.tenant}</td>
                  <td className={`px-3 py-2 font-medium whitespace-nowrap ${VERDICT_TONE[d.decision] ?? ""}`}>
                    {d.decision}
                    {d.primitive && <span className="ml-1 font-mono text-xs font-normal">({d.primitive})</span>}
                    {d.failsafe && <span className="ml-1 text-xs font-normal text-slate-500">failsafe</span>}
                    {d.enforced === false && <span className="ml-1 text-xs font-normal text-slate-500">advisory</span>}
                    {d.cohort === "canary" && <span className="ml-1 text-xs font-normal text-violet-700 dark:text-violet-300">canary v{d.policyVersion}</span>}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600 dark:text-slate-400">{d.message ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            The latest 25. Arguments and older decisions, with their inclusion proofs, are in{" "}
            {canAudit ? (
              <Link href={auditHref("decisions", { agent, verdict: verdict || undefined })} className="underline">Audit → Decisions</Link>
            ) : (
              "Audit → Decisions (auditors and admins)"
            )}
            .
          </p>
        </div>
      )}
    </Card>
  );
}
