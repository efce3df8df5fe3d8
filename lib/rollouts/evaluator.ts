import { SYSTEM } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate, type AuditDraft } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { lockHead } from "@/lib/policy/versions";
import { triggersOf, type StageT, type TriggersT } from "@/lib/rollouts/schemas";
import { sumByCohort, type Totals } from "@/lib/rollouts/totals";
import { firingTrigger, stageCriteria, type Criterion, type Firing } from "@/lib/rollouts/triggers";
import { advanceIn, endIn, type Because, type RolloutRow } from "@/lib/rollouts/transitions";
import type { Cohort } from "@/lib/policy/evaluate";
import { ALPHA, compareCohorts } from "@/lib/rollouts/compare";
import { HISTOGRAM_BOUNDS_MS } from "@/lib/rollouts/histogram";
import { pauseAutomatically } from "@/lib/rollouts/auto-pause";

/** Thrown inside the transaction to roll it back when another instance acted first. */
class Skip extends Error {}

/** The cohorts' totals over the trigger window (whole minutes, never before the rollout began). */
export async function windowTotals(db: Db, r: RolloutRow, trig: TriggersT, now: number): Promise<Record<Cohort, Totals>> {
  const from = Math.max(Math.floor((now - trig.windowSec * 1000) / 60_000) * 60_000, Math.floor(r.startedAt.getTime() / 60_000) * 60_000);
  const rows = await db.metricBucket.findMany({ where: { rolloutId: r.id, minute: { gte: new Date(from) } } });
  return sumByCohort(rows);
}

export type TickResult = { action: "rollback"; firing: Firing } | { action: "advance"; criteria: Criterion[] } | { action: "none" } | null;

/**
 * One evaluator pass. Reads the active rollout and its window's metrics without locks; only when
 * an action is due does it open a transaction, lock the rollout row with SKIP LOCKED (so of many
 * instances ticking at once exactly one acts) and re-check that nothing moved meanwhile.
 * A firing trigger rolls back (also while paused: a pause stops progress, not protection); a
 * running stage whose criteria hold after its minimum duration advances, the last one promotes.
 */
export async function evaluatorTick(db: Db, now = Date.now()): Promise<TickResult> {
  const r = await db.rollout.findUnique({ where: { activeSlot: 1 } });
  if (!r) return null;
  const trig = triggersOf(r.triggers);
  const totals = await windowTotals(db, r, trig, now);
  const firing = firingTrigger(totals, trig, (now - r.startedAt.getTime()) / 1000, significantIn(totals));
  if (firing) {
    const why: Because = { actor: SYSTEM.actor.name, automatic: true, reason: `automatic rollback: ${firing.message} (window ${firing.window})`, detail: { metric: firing.metric, value: firing.value, threshold: firing.threshold, window: firing.window } };
    return (await act(db, r, (tx, locked) => endIn(tx, locked, "rollback", why))) ? { action: "rollback", firing } : { action: "none" };
  }
  if (r.status !== "running") return { action: "none" };
  const stage = (r.stages as StageT[])[r.currentStage]!;
  const criteria = stageCriteria(stage, totals, trig, (now - r.stageStartedAt.getTime()) / 1000);
  if (!criteria.every((c) => c.met)) return { action: "none" };
  const why: Because = {
    actor: SYSTEM.actor.name,
    automatic: true,
    reason: `automatic advance: stage ${r.currentStage + 1} (${stage.percent}%) met its criteria for ${stage.minDurationSec}s`,
    detail: { stage: r.currentStage, criteria, window: `${trig.windowSec}s` },
  };
  return (await act(db, r, (tx, locked) => advanceIn(tx, locked, why))) ? { action: "advance", criteria } : { action: "none" };
}

/**
 * Graduated triggers also need the difference to be significant (two-proportion z-test at
 * ALPHA from compare.ts), so a deny-rate or completion gap in a small, noisy sample waits for data.
 */
function significantIn(totals: Record<Cohort, Totals>) {
  const { comparisons } = compareCohorts(totals, [...HISTOGRAM_BOUNDS_MS]);
  const metric = { deny_rate_delta: "deny_rate", task_completion_ratio: "task_completion" } as const;
  return (m: Firing["metric"]) => {
    const name = metric[m as keyof typeof metric];
    if (!name) return true;
    const c = comparisons.find((x) => x.metric === name);
    return c?.pValue !== null && c?.pValue !== undefined && c.pValue < ALPHA;
  };
}

/** Runs `change` under the row lock if this instance wins it and the rollout is still as read. */
async function act(db: Db, seen: RolloutRow, change: (tx: Parameters<Parameters<typeof mutate>[1]>[0], r: RolloutRow) => Promise<AuditDraft>): Promise<boolean> {
  try {
    await mutate({ db, principal: SYSTEM, permission: null }, async (tx) => {
      await lockHead(tx);
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Rollout" WHERE "id" = ${seen.id} AND "activeSlot" = 1 FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) throw new Skip();
      const r = await tx.rollout.findUniqueOrThrow({ where: { id: seen.id } });
      if (r.status !== seen.status || r.currentStage !== seen.currentStage) throw new Skip();
      return { result: null, audit: await change(tx, r) };
    });
    return true;
  } catch (e) {
    if (e instanceof Skip) return false;
    if (e instanceof AppError && e.code === "conflict") {
      // Promotion refused (the head moved): pause rather than retry every tick; a person decides.
      await pauseAutomatically(db, seen.id, e.message, { metric: "policy_head", value: null, threshold: seen.baselineVersion, window: null });
      return false;
    }
    throw e;
  }
}

