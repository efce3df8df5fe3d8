import type { Cohort } from "@/lib/policy/evaluate";
import type { StageT, TriggersT } from "@/lib/rollouts/schemas";
import { completionRate, denyRate, errorRate, reportedOutcomes, type Totals } from "@/lib/rollouts/totals";

/** Why an automatic action happened: what the UI, the audit event and the webhook all show. */
export interface Firing {
  metric: "error_rate" | "p99_ms" | "deny_rate_delta" | "task_completion_ratio";
  value: number;
  threshold: number;
  window: string;
  message: string;
}

export interface Criterion {
  name: string;
  threshold: number;
  value: number | null;
  met: boolean;
}

type ByCohort = Record<Cohort, Totals>;

/**
 * Relative deny-rate change of the canary against stable. From a stable rate of 0, any canary
 * denial counts as a 100% change (there is no ratio to take).
 */
export function denyRateDelta(t: ByCohort): number | null {
  const c = denyRate(t.canary);
  const s = denyRate(t.stable);
  if (c === null || s === null) return null;
  if (s === 0) return c === 0 ? 0 : 1;
  return Math.abs(c - s) / s;
}

/** Canary completion as a share of stable's; null until both cohorts have reports. */
export function completionRatio(t: ByCohort): number | null {
  const c = completionRate(t.canary);
  const s = completionRate(t.stable);
  if (c === null || s === null) return null;
  return s === 0 ? (c === 0 ? 1 : Infinity) : c / s;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * The rollback rules of the seed, in its order: hard triggers (error rate, p99) once the canary
 * has a minimum sample; then, graduated, the deny-rate change once the rollout has run
 * `minRuntimeSec`, and task completion below a share of stable's. `significant` (when given)
 * must also confirm a graduated trigger, so noise in a small sample does not roll back.
 */
export function firingTrigger(t: ByCohort, trig: TriggersT, runtimeSec: number, significant?: (metric: Firing["metric"]) => boolean): Firing | null {
  const window = `${trig.windowSec}s`;
  const n = t.canary.decisions;
  if (n >= trig.minCanaryDecisions) {
    const er = errorRate(t.canary)!;
    if (er > trig.maxErrorRate) return { metric: "error_rate", value: round(er), threshold: trig.maxErrorRate, window, message: `canary evaluation error rate ${(er * 100).toFixed(1)}% over ${n} decisions exceeds ${(trig.maxErrorRate * 100).toFixed(1)}%` };
    const p99 = t.canary.p99Ms;
    if (p99 !== null && p99 > trig.maxP99Ms) return { metric: "p99_ms", value: round(p99), threshold: trig.maxP99Ms, window, message: `canary p99 latency ${p99.toFixed(0)} ms exceeds ${trig.maxP99Ms} ms` };
    const delta = denyRateDelta(t);
    if (runtimeSec >= trig.minRuntimeSec && t.stable.decisions >= trig.minCanaryDecisions && delta !== null && delta > trig.maxDenyRateDelta && (significant?.("deny_rate_delta") ?? true)) {
      return { metric: "deny_rate_delta", value: round(delta), threshold: trig.maxDenyRateDelta, window, message: `canary deny rate ${(denyRate(t.canary)! * 100).toFixed(1)}% vs stable ${(denyRate(t.stable)! * 100).toFixed(1)}%: a ${(delta * 100).toFixed(0)}% change exceeds ${(trig.maxDenyRateDelta * 100).toFixed(0)}%` };
    }
  }
  if (reportedOutcomes(t.canary) >= trig.minOutcomes && reportedOutcomes(t.stable) >= trig.minOutcomes) {
    const ratio = completionRatio(t);
    if (ratio !== null && ratio < trig.minCompletionRatio && (significant?.("task_completion_ratio") ?? true)) {
      return { metric: "task_completion_ratio", value: round(ratio), threshold: trig.minCompletionRatio, window, message: `canary task completion ${(completionRate(t.canary)! * 100).toFixed(1)}% is ${(ratio * 100).toFixed(0)}% of stable's ${(completionRate(t.stable)! * 100).toFixed(1)}%, below ${(trig.minCompletionRatio * 100).toFixed(0)}%` };
    }
  }
  return null;
}

/**
 * What a stage needs before it advances: its minimum duration, and every metric within its
 * bound (the stage's own criteria, else the rollout's trigger thresholds). A metric with no data
 * yet counts as met; `minDecisions` is how a stage insists on data.
 */
export function stageCriteria(stage: StageT, t: ByCohort, trig: TriggersT, elapsedSec: number): Criterion[] {
  const c = stage.criteria ?? {};
  const within = (name: string, threshold: number, value: number | null, below = true): Criterion => ({
    name,
    threshold,
    value: value !== null && Number.isFinite(value) ? round(value) : null,
    met: value === null || (below ? value <= threshold : value >= threshold),
  });
  const list: Criterion[] = [
    { name: "min_duration_sec", threshold: stage.minDurationSec, value: Math.floor(elapsedSec), met: elapsedSec >= stage.minDurationSec },
    within("error_rate", c.maxErrorRate ?? trig.maxErrorRate, errorRate(t.canary)),
    within("p99_ms", c.maxP99Ms ?? trig.maxP99Ms, t.canary.p99Ms),
    within("deny_rate_delta", c.maxDenyRateDelta ?? trig.maxDenyRateDelta, denyRateDelta(t)),
    within("task_completion_ratio", c.minCompletionRatio ?? trig.minCompletionRatio, completionRatio(t), false),
  ];
  if (c.minDecisions !== undefined) list.push({ name: "min_decisions", threshold: c.minDecisions, value: t.canary.decisions, met: t.canary.decisions >= c.minDecisions });
  return list;
}
