import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { compareCohorts, sampleRatio } from "@/lib/rollouts/compare";
import { HISTOGRAM_BOUNDS_MS, percentile } from "@/lib/rollouts/histogram";
import { triggersOf, type StageT } from "@/lib/rollouts/schemas";
import { stageSessions } from "@/lib/rollouts/sessions";
import { sumByCohort } from "@/lib/rollouts/totals";
import { stageCriteria, type Criterion } from "@/lib/rollouts/triggers";
import { windowTotals } from "@/lib/rollouts/evaluator";
import type { RolloutRow } from "@/lib/rollouts/transitions";

type EventRow = { at: Date; kind: string; actor: string; automatic: boolean; reason: string; detail: unknown };

const eventOut = (e: EventRow) => ({ at: e.at.toISOString(), kind: e.kind, actor: e.actor, automatic: e.automatic, reason: e.reason, detail: e.detail ?? {} });

function summary(r: RolloutRow) {
  const stages = r.stages as StageT[];
  return {
    id: r.id,
    candidateVersion: r.candidateVersion,
    baselineVersion: r.baselineVersion,
    strategy: r.strategy,
    status: r.status,
    active: r.activeSlot === 1,
    currentStage: r.currentStage,
    percent: stages[r.currentStage]?.percent ?? 0,
    stages,
    triggers: triggersOf(r.triggers),
    changeSetId: r.changeSetId,
    createdBy: r.createdBy,
    reason: r.reason,
    startedAt: r.startedAt.toISOString(),
    stageStartedAt: r.stageStartedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    endReason: r.endReason,
  };
}

/** Newest first; `active` marks the running or paused one (at most one). */
export async function listRollouts(db: Db) {
  const rows = await db.rollout.findMany({ orderBy: { startedAt: "desc" }, take: 100 });
  const active = rows.find((r) => r.activeSlot === 1) ?? (await db.rollout.findUnique({ where: { activeSlot: 1 } }));
  return { activeId: active?.id ?? null, rollouts: rows.map(summary) };
}

export async function getRolloutOrThrow(db: Db, id: string): Promise<RolloutRow> {
  const r = await db.rollout.findUnique({ where: { id } });
  if (!r) throw new AppError("not_found", `No rollout with id "${id}".`);
  return r;
}

export async function rolloutDetail(db: Db, id: string) {
  const r = await getRolloutOrThrow(db, id);
  const events = await db.rolloutEvent.findMany({ where: { rolloutId: id }, orderBy: { at: "asc" } });
  return { ...summary(r), events: events.map(eventOut) };
}

/**
 * Stage progress: done stages show the criteria they advanced on (kept in the advance event),
 * the current one is judged live on the evaluator's window, pending ones show their thresholds.
 */
function stageProgress(r: RolloutRow, events: EventRow[], current: Criterion[]) {
  const stages = r.stages as StageT[];
  const trig = triggersOf(r.triggers);
  const advances = events.filter((e) => e.kind === "advance" || e.kind === "promote");
  return stages.map((s, index) => {
    const done = r.status === "promoted" ? true : index < r.currentStage;
    const isCurrent = !done && index === r.currentStage;
    const left = advances.find((e) => {
      const d = e.detail as { fromStage?: number; stage?: number } | null;
      return d?.fromStage === index || d?.stage === index;
    });
    const enteredAt = index === 0 ? r.startedAt : advances.find((e) => (e.detail as { toStage?: number } | null)?.toStage === index)?.at;
    const pendingCriteria = stageCriteria(s, sumByCohort([]), trig, 0).map((c) => ({ ...c, value: null, met: false }));
    const criteria = isCurrent ? current : done ? ((left?.detail as { criteria?: Criterion[] } | null)?.criteria ?? []) : pendingCriteria;
    return {
      index,
      percent: s.percent,
      minDurationSec: s.minDurationSec,
      status: done ? ("done" as const) : isCurrent ? ("current" as const) : ("pending" as const),
      ...(isCurrent ? { startedAt: r.stageStartedAt.toISOString() } : enteredAt ? { startedAt: enteredAt.toISOString() } : {}),
      criteria,
    };
  });
}

/** GET /api/v1/admin/rollouts/:id/metrics – the dashboard's one read (see the contract). */
export async function rolloutMetrics(db: Db, id: string, opts: { minutes: number; now?: number }) {
  const now = opts.now ?? Date.now();
  const r = await getRolloutOrThrow(db, id);
  const events = await db.rolloutEvent.findMany({ where: { rolloutId: id }, orderBy: { at: "asc" } });
  const since = new Date(Math.floor((now - opts.minutes * 60_000) / 60_000) * 60_000);
  const rows = await db.metricBucket.findMany({ where: { rolloutId: id, minute: { gte: since } }, orderBy: [{ minute: "asc" }, { cohort: "asc" }] });
  const totals = sumByCohort(rows);
  const trig = triggersOf(r.triggers);
  const stages = r.stages as StageT[];
  const stage = stages[r.currentStage]!;
  const liveEnd = r.endedAt?.getTime() ?? now;
  const current = stageCriteria(stage, await windowTotals(db, r, trig, liveEnd), trig, (liveEnd - r.stageStartedAt.getTime()) / 1000);
  const { comparisons } = compareCohorts(totals, [...HISTOGRAM_BOUNDS_MS]);
  // The split check is the current stage's, in sessions, whatever the window shows.
  const srm = sampleRatio(await stageSessions(db, id, stage.percent), stage.percent / 100);
  return {
    rollout: { ...summary(r), events: events.map(eventOut) },
    histogramBoundsMs: HISTOGRAM_BOUNDS_MS,
    series: rows.map((b) => ({
      minute: b.minute.toISOString(),
      cohort: b.cohort as "stable" | "canary",
      decisions: b.decisions,
      allows: b.allows,
      denies: b.denies,
      pendings: b.pendings,
      errors: b.errors,
      p50Ms: percentile(b.latencyCounts, 0.5),
      p95Ms: percentile(b.latencyCounts, 0.95),
      p99Ms: percentile(b.latencyCounts, 0.99),
      outcomes: { success: b.success, failure: b.failure, partial: b.partial, rolled_back: b.rolledBack },
    })),
    totals,
    comparisons,
    srm,
    stages: stageProgress(r, events, current),
    events: events.map(eventOut),
  };
}
