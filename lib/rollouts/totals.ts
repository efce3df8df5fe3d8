import type { Cohort } from "@/lib/policy/evaluate";
import { addCounts, emptyCounts, percentile } from "@/lib/rollouts/histogram";

export interface Outcomes {
  success: number;
  failure: number;
  partial: number;
  rolled_back: number;
}

/** One cohort's counters summed over some minutes (the metrics contract's `Totals`). */
export interface Totals {
  decisions: number;
  allows: number;
  denies: number;
  pendings: number;
  errors: number;
  outcomes: Outcomes;
  latencyCounts: number[];
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** A MetricBucket row as stored. */
export interface BucketRow {
  minute: Date;
  cohort: string;
  decisions: number;
  allows: number;
  denies: number;
  pendings: number;
  errors: number;
  latencyCounts: number[];
  success: number;
  failure: number;
  partial: number;
  rolledBack: number;
}

export const emptyTotals = (): Totals => ({
  decisions: 0,
  allows: 0,
  denies: 0,
  pendings: 0,
  errors: 0,
  outcomes: { success: 0, failure: 0, partial: 0, rolled_back: 0 },
  latencyCounts: emptyCounts(),
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
});

function addRow(t: Totals, r: BucketRow): void {
  t.decisions += r.decisions;
  t.allows += r.allows;
  t.denies += r.denies;
  t.pendings += r.pendings;
  t.errors += r.errors;
  t.outcomes.success += r.success;
  t.outcomes.failure += r.failure;
  t.outcomes.partial += r.partial;
  t.outcomes.rolled_back += r.rolledBack;
  addCounts(t.latencyCounts, r.latencyCounts);
}

export function withPercentiles(t: Totals): Totals {
  return { ...t, p50Ms: percentile(t.latencyCounts, 0.5), p95Ms: percentile(t.latencyCounts, 0.95), p99Ms: percentile(t.latencyCounts, 0.99) };
}

export function sumByCohort(rows: readonly BucketRow[]): Record<Cohort, Totals> {
  const out: Record<Cohort, Totals> = { stable: emptyTotals(), canary: emptyTotals() };
  for (const r of rows) if (r.cohort === "stable" || r.cohort === "canary") addRow(out[r.cohort], r);
  return { stable: withPercentiles(out.stable), canary: withPercentiles(out.canary) };
}

export const reportedOutcomes = (t: Totals) => t.outcomes.success + t.outcomes.failure + t.outcomes.partial + t.outcomes.rolled_back;
/** Task completion = success / all reported outcomes; null without reports. */
export const completionRate = (t: Totals) => (reportedOutcomes(t) ? t.outcomes.success / reportedOutcomes(t) : null);
export const denyRate = (t: Totals) => (t.decisions ? t.denies / t.decisions : null);
export const errorRate = (t: Totals) => (t.decisions ? t.errors / t.decisions : null);
