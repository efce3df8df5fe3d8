"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { ago, utc } from "@/components/approvals/format";
import { StageBadge } from "@/components/agents/stage-badge";
import type { AgentRow, RecentActivity } from "@/components/agents/types";
import { useControls } from "@/components/controls/use-controls";
import { EmptyState } from "@/components/ui/empty-state";
import { StopIcon } from "@/components/ui/icons";
import { api } from "@/lib/client/api";

// The overview chart's colours, so a verdict looks the same on every page.
const PARTS = [
  { key: "allow", label: "allowed", color: "#10b981" },
  { key: "pending", label: "pending", color: "#f59e0b" },
  { key: "deny", label: "denied", color: "#f43f5e" },
] as const;

/** Verdicts over the window as one proportional bar, with the numbers beside it. */
function RecentBar({ r }: { r: RecentActivity }) {
  const total = r.allow + r.pending + r.deny;
  if (total === 0) return <span className="text-sm text-slate-500 dark:text-slate-400">no decisions</span>;
  return (
    <div className="min-w-44">
      <div aria-hidden className="flex h-2 overflow-hidden rounded bg-slate-100 dark:bg-slate-800">
        {PARTS.map((p) => r[p.key] > 0 && <div key={p.key} style={{ width: `${(r[p.key] / total) * 100}%`, background: p.color }} />)}
      </div>
      <p className="mt-1 text-xs text-slate-600 tabular-nums dark:text-slate-400">
        {total.toLocaleString()} decisions: {PARTS.map((p) => `${r[p.key].toLocaleString()} ${p.label}`).join(", ")}
      </p>
    </div>
  );
}

export function AgentsList() {
  const q = useQuery({ queryKey: ["agents"], queryFn: () => api<{ recentMinutes: number; agents: AgentRow[] }>("/api/v1/admin/agents"), refetchInterval: 5000 });
  const controls = useControls();
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading agents…</p>;
  if (q.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load agents: {q.error.message}</p>;
  if (q.data.agents.length === 0) return <EmptyState title="No agents yet">An admin creates an agent token for each agent on the Admin page.</EmptyState>;
  const active = controls.data?.controls ?? [];
  const global = active.some((c) => c.control === "global_kill");
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm" data-testid="agents-list">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
            <th scope="col" className="px-4 py-2">Agent</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Last {q.data.recentMinutes} min</th>
            <th scope="col" className="px-4 py-2">Last asked</th>
            <th scope="col" className="px-4 py-2">Stage</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {q.data.agents.map((a) => {
            const kill = active.find((c) => c.control === "agent_kill" && c.target === a.id);
            return (
              <tr key={a.id} data-testid={`agent-row-${a.id}`}>
                <td className="px-4 py-3 align-top">
                  <Link href={`/agents/${a.id}`} className="font-mono font-medium text-sky-700 hover:underline dark:text-sky-400">{a.id}</Link>
                  <p className="text-sm text-slate-600 dark:text-slate-400">{a.description || a.name}</p>
                </td>
                <td className="px-4 py-3 align-top whitespace-nowrap">
                  {controls.data === undefined ? (
                    <span className="text-amber-700 dark:text-amber-400">unknown</span>
                  ) : kill || global ? (
                    <span className="font-medium text-red-700 dark:text-red-400" title={kill ? `by ${kill.setBy}${kill.reason ? `: ${kill.reason}` : ""}` : "global kill switch"}>
                      <StopIcon /> stopped{kill ? "" : " (global)"}
                    </span>
                  ) : (
                    <span className="text-emerald-700 dark:text-emerald-400">● running</span>
                  )}
                </td>
                <td className="px-4 py-3 align-top"><RecentBar r={a.recent} /></td>
                <td className="px-4 py-3 align-top whitespace-nowrap text-slate-600 dark:text-slate-400" title={a.recent.lastDecisionAt ? utc(a.recent.lastDecisionAt, true) : undefined}>
                  {a.recent.lastDecisionAt ? ago(a.recent.lastDecisionAt) : "never"}
                </td>
                <td className="px-4 py-3 align-top"><StageBadge stage={a.stage} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
