// Canary against control for the rollout dashboard: one comparison per metric (value, difference,
// 95% interval, p-value, verdict) and the sample-ratio-mismatch check of the traffic split.
// Pure: the caller sums the per-minute buckets into Totals (lib/rollouts/totals.ts).
import { chiSquareGof, hodgesLehmannFromCounts, mannWhitneyUFromCounts, twoProportionZTest } from "@/lib/rollouts/stats";

export interface CohortTotals {
  decisions: number;
  allows: number;
  denies: number;
  pendings: number;
  errors: number;
  outcomes: { success: number; failure: number; partial: number; rolled_back: number };
  latencyCounts: number[];
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export type Metric = "deny_rate" | "error_rate" | "task_completion" | "latency";
export type Verdict = "better" | "worse" | "no_difference" | "insufficient_data";

export interface Comparison {
  metric: Metric;
  canary: number;
  control: number;
  diff: number;
  ci95: [number, number] | null;
  pValue: number | null;
  verdict: Verdict;
  test: "two_proportion_z" | "mann_whitney_u";
}

export interface Srm {
  expectedCanaryShare: number;
  observedCanaryShare: number;
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
  /** What was counted: the sessions the current stage routed, the unit the router assigns. */
  unit: "sessions";
  stable: number;
  canary: number;
}

/** Significance level of the metric verdicts (two-sided). */
export const ALPHA = 0.05;
/**
 * Fewer observations than this in either cohort gives "insufficient_data": decisions for the deny
 * and error rates and latency, reported outcomes for task completion. 30 is the usual floor for
 * the normal approximations both tests rely on.
 */
export const MIN_SAMPLE = 30;
/**
 * SRM threshold. A split check runs on every refresh of a live dashboard, so it uses the strict
 * p < 0.001 common in experimentation platforms: at 0.05 one poll in twenty would cry wolf.
 * It also needs every expected count ≥ 5 (Cochran's rule for the chi-square approximation).
 * It counts sessions, the unit the router assigns (lib/rollouts/sessions.ts). Counted in
 * decisions, as it first was, a few long sessions made the split lumpier than the test assumes:
 * the bad-canary demo read "Mismatch" (p < 0.0001) twelve seconds in with about 14 sessions.
 */
export const SRM_ALPHA = 0.001;

function verdictOf(pValue: number, diff: number, higherIsBetter: boolean): Verdict {
  if (pValue >= ALPHA || diff === 0) return "no_difference";
  return diff > 0 === higherIsBetter ? "better" : "worse";
}

function rate(metric: Metric, canaryX: number, canaryN: number, controlX: number, controlN: number, higherIsBetter: boolean): Comparison {
  // Counters are summed from independent buckets; clamp so a stray count can never exceed its base.
  const cx = Math.min(canaryX, canaryN);
  const sx = Math.min(controlX, controlN);
  const t = twoProportionZTest(cx, canaryN, sx, controlN);
  if (t.insufficient) {
    // One cohort has nothing yet: show what the other has, and no test.
    const canary = canaryN ? cx / canaryN : 0;
    const control = controlN ? sx / controlN : 0;
    return { metric, canary, control, diff: canary - control, ci95: null, pValue: null, verdict: "insufficient_data", test: "two_proportion_z" };
  }
  const enough = canaryN >= MIN_SAMPLE && controlN >= MIN_SAMPLE;
  return { metric, canary: t.p1, control: t.p2, diff: t.diff, ci95: enough ? t.ci95 : null, pValue: enough ? t.pValue : null, verdict: enough ? verdictOf(t.pValue, t.diff, higherIsBetter) : "insufficient_data", test: "two_proportion_z" };
}

/** Representative value of each latency bucket: its midpoint; the open overflow bucket takes its lower edge. */
export function bucketValues(bounds: readonly number[]): number[] {
  return [...bounds.map((upper, i) => ((i === 0 ? 0 : bounds[i - 1]!) + upper) / 2), bounds[bounds.length - 1] ?? 0];
}

/**
 * Latency: canary and control are the p50s in ms and diff their difference. The interval is the
 * Hodges–Lehmann shift's Moses 95% interval on the buckets (so its resolution is a bucket width),
 * and the p-value and verdict are the Mann-Whitney U test's.
 */
function latency(canary: CohortTotals, control: CohortTotals, bounds: readonly number[]): Comparison {
  const base = { metric: "latency" as const, test: "mann_whitney_u" as const };
  const c50 = canary.p50Ms ?? 0;
  const s50 = control.p50Ms ?? 0;
  const nC = canary.latencyCounts.reduce((s, c) => s + c, 0);
  const nS = control.latencyCounts.reduce((s, c) => s + c, 0);
  const size = bounds.length + 1;
  const pad = (c: number[]) => Array.from({ length: size }, (_, i) => c[i] ?? 0);
  const mw = mannWhitneyUFromCounts(pad(canary.latencyCounts), pad(control.latencyCounts));
  if (mw.insufficient || nC < MIN_SAMPLE || nS < MIN_SAMPLE) {
    return { ...base, canary: c50, control: s50, diff: c50 - s50, ci95: null, pValue: null, verdict: "insufficient_data" };
  }
  const hl = hodgesLehmannFromCounts(pad(canary.latencyCounts), pad(control.latencyCounts), bucketValues(bounds));
  // probSuperiority > 0.5: canary latencies tend to be larger, which is worse.
  const verdict = verdictOf(mw.pValue, mw.probSuperiority - 0.5, false);
  return { ...base, canary: c50, control: s50, diff: c50 - s50, ci95: hl.insufficient ? null : hl.ci95, pValue: mw.pValue, verdict };
}

/** Chi-square goodness of fit of the sessions each cohort got against the configured share. */
export function sampleRatio(counts: { stable: number; canary: number }, expectedCanaryShare: number): Srm {
  if (!(expectedCanaryShare >= 0 && expectedCanaryShare <= 1)) throw new RangeError(`expectedCanaryShare must be in [0, 1], got ${expectedCanaryShare}`);
  const { stable, canary } = counts;
  const total = stable + canary;
  const base = { expectedCanaryShare, observedCanaryShare: total ? canary / total : 0, unit: "sessions" as const, stable, canary };
  const shares = [1 - expectedCanaryShare, expectedCanaryShare];
  const gof = chiSquareGof([stable, canary], shares);
  if ("insufficient" in gof) return { ...base, chiSquare: 0, pValue: 1, mismatch: false };
  const cochran = shares.every((s) => s === 0 || total * s >= 5);
  return { ...base, chiSquare: gof.chiSquare, pValue: gof.pValue, mismatch: cochran && gof.pValue < SRM_ALPHA };
}

const reported = (t: CohortTotals) => t.outcomes.success + t.outcomes.failure + t.outcomes.partial + t.outcomes.rolled_back;

/**
 * Compares the canary cohort with the control (stable) cohort. `bounds` are the latency
 * histogram's upper edges in ms (latencyCounts has one more entry, the overflow bucket).
 * Task completion counts only "success" as completed; partial, failure and rolled_back are not.
 */
export function compareCohorts(totals: { stable: CohortTotals; canary: CohortTotals }, bounds: number[]): { comparisons: Comparison[] } {
  const { stable, canary } = totals;
  return {
    comparisons: [
      rate("deny_rate", canary.denies, canary.decisions, stable.denies, stable.decisions, false),
      rate("error_rate", canary.errors, canary.decisions, stable.errors, stable.decisions, false),
      rate("task_completion", canary.outcomes.success, reported(canary), stable.outcomes.success, reported(stable), true),
      latency(canary, stable, bounds),
    ],
  };
}
