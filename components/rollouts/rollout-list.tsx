"use client";

import { Link } from "@/components/ui/link";
import { LiveStatus } from "@/components/approvals/live-status";
import { utc } from "@/components/rollouts/format";
import { StartRolloutForm } from "@/components/rollouts/start-form";
import { RolloutStatusBadge } from "@/components/rollouts/status-badge";
import { useRolloutList } from "@/components/rollouts/use-rollouts";
import { isActive, type Rollout } from "@/components/rollouts/types";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

const stageText = (r: Rollout) => (isActive(r.status) ? `stage ${r.currentStage + 1}/${r.stages.length} · ${r.stages[r.currentStage]?.percent ?? "?"}%` : r.stages.map((s) => `${s.percent}%`).join(" → "));

function ActiveRollout({ r }: { r: Rollout }) {
  return (
    <Card title="Active rollout">
      <div className="flex flex-wrap items-center justify-between gap-3" data-testid="active-rollout">
        <div className="space-y-1 text-sm">
          <p className="flex items-center gap-2 text-base font-semibold">
            <RolloutStatusBadge status={r.status} /> Version {r.baselineVersion} → {r.candidateVersion}
          </p>
          <p className="text-slate-600 dark:text-slate-400">{r.strategy === "blue_green" ? "Blue-green" : "Canary"}, {stageText(r)} · started {utc(r.startedAt)} by {r.createdBy}</p>
        </div>
        <Link href={`/rollouts/${r.id}`} className="rounded-md bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700">Open dashboard</Link>
      </div>
    </Card>
  );
}

/** The rollouts, active one on top, newest first; editors also get the start form. */
export function RolloutList({ canWrite, changeSetId }: { canWrite: boolean; changeSetId?: string }) {
  const list = useRolloutList();
  const rollouts = list.data?.rollouts ?? [];
  const active = rollouts.find((r) => isActive(r.status));
  return (
    <div className="space-y-6">
      <div className="flex justify-end"><LiveStatus query={list} /></div>
      {list.isPending ? (
        <div role="status" aria-label="Loading rollouts" className="h-24 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800" />
      ) : list.error && !list.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load rollouts: {list.error.message}</p>
      ) : rollouts.length === 0 ? (
        <EmptyState title="No rollout yet">
          A rollout sends a slice of sessions to a candidate policy version and compares it with the rest.{" "}
          {canWrite ? "Release a change set from its page under Policy → Change sets, or start one with the form below." : "An editor starts one from a change set on the Policy page."}
        </EmptyState>
      ) : (
        <>
          {active && <ActiveRollout r={active} />}
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-sm" data-testid="rollout-table">
              <caption className="sr-only">Rollouts, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Status</th>
                  <th scope="col" className="px-3 py-2 font-medium">Versions</th>
                  <th scope="col" className="px-3 py-2 font-medium">Strategy · stages</th>
                  <th scope="col" className="px-3 py-2 font-medium">Started</th>
                  <th scope="col" className="px-3 py-2 font-medium">Ended</th>
                </tr>
              </thead>
              <tbody>
                {rollouts.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800" data-testid="rollout-row">
                    <td className="px-3 py-2"><RolloutStatusBadge status={r.status} /></td>
                    <td className="px-3 py-2"><Link className="font-medium text-sky-700 underline dark:text-sky-300" href={`/rollouts/${r.id}`}>{r.baselineVersion} → {r.candidateVersion}</Link></td>
                    <td className="px-3 py-2">{r.strategy === "blue_green" ? "blue-green" : "canary"} · {stageText(r)}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{utc(r.startedAt)} · {r.createdBy}</td>
                    <td className="px-3 py-2">{r.endedAt ? `${utc(r.endedAt)}${r.endReason ? ` · ${r.endReason}` : ""}` : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {canWrite && (
        <Card title="Start a rollout">
          <StartRolloutForm changeSetId={changeSetId} disabledReason={active ? "A rollout is already active: promote, abort or let it finish before starting another." : undefined} />
        </Card>
      )}
    </div>
  );
}
