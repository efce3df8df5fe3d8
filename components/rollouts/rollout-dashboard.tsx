"use client";

import { Link } from "@/components/ui/link";
import { useState } from "react";
import { LiveStatus } from "@/components/approvals/live-status";
import { chartPoints, eventsIn, timeDomain } from "@/components/rollouts/chart-data";
import { RolloutCharts } from "@/components/rollouts/charts";
import { EventLog } from "@/components/rollouts/event-log";
import { explainEvent, utc } from "@/components/rollouts/format";
import { MetricTile, SrmTile } from "@/components/rollouts/metric-tiles";
import { RolloutControls } from "@/components/rollouts/rollout-controls";
import { StageProgressList } from "@/components/rollouts/stage-progress";
import { RolloutStatusBadge } from "@/components/rollouts/status-badge";
import { useRolloutMetrics } from "@/components/rollouts/use-rollouts";
import { isActive, type RolloutMetrics } from "@/components/rollouts/types";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";

const WINDOWS = [
  { value: "15", label: "Last 15 minutes" },
  { value: "60", label: "Last hour" },
  { value: "360", label: "Last 6 hours" },
  { value: "1440", label: "Last 24 hours" },
];

function Skeleton() {
  return (
    <div role="status" aria-label="Loading the rollout" className="animate-pulse space-y-4">
      <div className="h-16 rounded-lg bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-4 md:grid-cols-5">{[0, 1, 2, 3, 4].map((i) => <div key={i} className="h-44 rounded-lg bg-slate-200 dark:bg-slate-800" />)}</div>
      <div className="grid gap-4 lg:grid-cols-2">{[0, 1].map((i) => <div key={i} className="h-64 rounded-lg bg-slate-200 dark:bg-slate-800" />)}</div>
    </div>
  );
}

/** Why the rollout ended, or the last automatic action, in the same words as the event log. */
function Outcome({ m }: { m: RolloutMetrics }) {
  const lastAuto = [...m.events].reverse().find((e) => e.automatic && (e.kind === "rollback" || e.kind === "pause"));
  const ended = [...m.events].reverse().find((e) => e.kind === "rollback" || e.kind === "abort" || e.kind === "promote");
  const e = !isActive(m.rollout.status) ? ended : m.rollout.status === "paused" ? lastAuto : undefined;
  if (!e) return null;
  const bad = e.kind === "rollback" || e.kind === "abort" || e.kind === "pause";
  return (
    <p role="status" data-testid="rollout-outcome" className={`rounded-md border-l-4 px-4 py-3 text-sm ${bad ? "border-red-500 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100" : "border-emerald-500 bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"}`}>
      {explainEvent(e)} <span className="text-xs opacity-80">({utc(e.at, true)})</span>
    </p>
  );
}

export function RolloutDashboard({ id, canWrite }: { id: string; canWrite: boolean }) {
  const [minutes, setMinutes] = useState(60);
  const q = useRolloutMetrics(id, minutes);
  if (q.isPending) return <Skeleton />;
  if (q.error && !q.data) {
    return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load this rollout: {q.error.message} <Link className="underline" href="/rollouts">Back to rollouts</Link></p>;
  }
  const m = q.data!;
  const r = m.rollout;
  const domain = timeDomain(minutes, q.dataUpdatedAt || Date.now(), r.startedAt, r.endedAt);
  const points = chartPoints(m.series, { from: Date.parse(r.startedAt), to: r.endedAt ? Date.parse(r.endedAt) : q.dataUpdatedAt || Date.now() });
  const current = r.stages[r.currentStage];
  return (
    <div className="space-y-6" data-testid="rollout-dashboard">
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="space-y-1 text-sm">
            <p className="flex flex-wrap items-center gap-2 text-base font-semibold">
              <RolloutStatusBadge status={r.status} />
              Version {r.baselineVersion} → {r.candidateVersion}
              <span className="text-sm font-normal text-slate-500">({r.strategy === "blue_green" ? "blue-green" : "canary"})</span>
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              {isActive(r.status) && current ? `Stage ${r.currentStage + 1} of ${r.stages.length}: ${current.percent}% of sessions on the candidate · ` : ""}
              started {utc(r.startedAt)} by {r.createdBy}{r.endedAt ? ` · ended ${utc(r.endedAt)}` : ""}
            </p>
            {r.reason && <p className="text-slate-600 dark:text-slate-400">Reason: {r.reason}</p>}
          </div>
          {canWrite && <RolloutControls rollout={r} />}
        </div>
        <div className="mt-3"><Outcome m={m} /></div>
      </Card>

      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 className="text-lg font-semibold">Canary against control</h2>
        <div className="flex items-end gap-3">
          <LiveStatus query={q} />
          <div className="w-44"><SelectField label="Window" value={String(minutes)} onChange={(e) => setMinutes(Number(e.target.value))} options={WINDOWS} /></div>
        </div>
      </div>
      <p className="-mt-4 text-xs text-slate-500 dark:text-slate-400">
        Canary: {m.totals.canary.decisions} decisions · control: {m.totals.stable.decisions} decisions in the window. Verdicts are two-sided at p &lt; 0.05.
      </p>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-5">
        {m.comparisons.map((c) => <MetricTile key={c.metric} c={c} />)}
        <SrmTile srm={m.srm} />
      </div>

      <RolloutCharts data={points} domain={domain} events={eventsIn(m.events, domain)} />

      <Card title="Stage progress">
        <StageProgressList stages={m.stages} ended={!isActive(r.status)} />
      </Card>
      <Card title="Events">
        <EventLog events={m.events} />
      </Card>
    </div>
  );
}
