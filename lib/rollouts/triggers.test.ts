// The evaluator's pure parts: histogram percentiles, trigger order and thresholds, stage criteria.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HISTOGRAM_BOUNDS_MS, bucketIndex, emptyCounts, percentile } from "@/lib/rollouts/histogram";
import { DEFAULT_TRIGGERS } from "@/lib/rollouts/schemas";
import { emptyTotals, withPercentiles, type Totals } from "@/lib/rollouts/totals";
import { firingTrigger, stageCriteria } from "@/lib/rollouts/triggers";

function totals(t: Partial<Omit<Totals, "outcomes">> & { outcomes?: Partial<Totals["outcomes"]>; latencyAt?: [number, number][] }): Totals {
  const base = emptyTotals();
  const latencyCounts = emptyCounts();
  for (const [ms, n] of t.latencyAt ?? []) latencyCounts[bucketIndex(ms)]! += n;
  return withPercentiles({ ...base, ...t, outcomes: { ...base.outcomes, ...t.outcomes }, latencyCounts });
}

describe("histogram", () => {
  it("puts a value in the first bucket whose bound it does not exceed, overflow last", () => {
    assert.equal(bucketIndex(0), 0);
    assert.equal(bucketIndex(0.1), 0);
    assert.equal(bucketIndex(0.11), 1);
    assert.equal(bucketIndex(2000), HISTOGRAM_BOUNDS_MS.indexOf(2000));
    assert.equal(bucketIndex(1e9), HISTOGRAM_BOUNDS_MS.length);
  });

  it("interpolates percentiles inside the bucket and never invents values past the last bound", () => {
    const c = emptyCounts();
    c[bucketIndex(3)] = 100; // all in (2, 5]
    assert.equal(percentile(c, 0.5), 3.5);
    assert.equal(percentile(c, 1), 5);
    const over = emptyCounts();
    over[HISTOGRAM_BOUNDS_MS.length] = 10;
    assert.equal(percentile(over, 0.99), 10000);
    assert.equal(percentile(emptyCounts(), 0.5), null);
    const mixed = emptyCounts();
    mixed[bucketIndex(1)] = 99; // (0.5, 1]
    mixed[bucketIndex(3000)] = 1; // (2000, 5000]
    assert.equal(percentile(mixed, 0.5), 0.5 + 0.5 * (50 / 99));
    assert.equal(percentile(mixed, 0.995), 2000 + 3000 * 0.5);
  });
});

describe("triggers", () => {
  const T = { ...DEFAULT_TRIGGERS, minRuntimeSec: 600 };
  const stable = totals({ decisions: 1000, denies: 100, outcomes: { success: 95, failure: 5 }, latencyAt: [[1, 1000]] });

  it("hard triggers need the minimum canary sample, then fire on error rate before p99", () => {
    const few = totals({ decisions: 49, errors: 49, latencyAt: [[1, 49]] });
    assert.equal(firingTrigger({ stable, canary: few }, T, 0), null);
    const bad = totals({ decisions: 100, errors: 6, latencyAt: [[3000, 100]] });
    assert.deepEqual(firingTrigger({ stable, canary: bad }, T, 0), { metric: "error_rate", value: 0.06, threshold: 0.05, window: "300s", message: "canary evaluation error rate 6.0% over 100 decisions exceeds 5.0%" });
    const slow = totals({ decisions: 100, errors: 5, latencyAt: [[3000, 100]] });
    assert.equal(firingTrigger({ stable, canary: slow }, T, 0)?.metric, "p99_ms");
  });

  it("the deny-rate change waits for minRuntimeSec and for significance", () => {
    const canary = totals({ decisions: 200, denies: 40, latencyAt: [[1, 200]] }); // 20% vs 10%: +100%
    assert.equal(firingTrigger({ stable, canary }, T, 599), null);
    assert.deepEqual(firingTrigger({ stable, canary }, T, 600)?.metric, "deny_rate_delta");
    assert.equal(firingTrigger({ stable, canary }, T, 600)?.value, 1);
    assert.equal(firingTrigger({ stable, canary }, T, 600, () => false), null);
    const close = totals({ decisions: 200, denies: 23, latencyAt: [[1, 200]] }); // +15%
    assert.equal(firingTrigger({ stable, canary: close }, T, 600), null);
  });

  it("task completion below 90% of stable's fires once both cohorts reported enough outcomes", () => {
    const canary = totals({ decisions: 10, outcomes: { success: 25, failure: 15 } }); // 62.5% vs 95%
    const fired = firingTrigger({ stable, canary }, T, 0)!;
    assert.deepEqual([fired.metric, fired.value, fired.threshold], ["task_completion_ratio", 0.6579, 0.9]);
    const few = totals({ outcomes: { success: 5, failure: 20 } });
    assert.equal(firingTrigger({ stable, canary: few }, T, 0), null);
    assert.equal(firingTrigger({ stable, canary }, { ...T, minCompletionRatio: 0.6 }, 0), null, "per-rollout threshold");
  });

  it("stage criteria: the minimum duration, each metric within bound, and optional minimum decisions", () => {
    const canary = totals({ decisions: 100, denies: 11, latencyAt: [[1, 100]] });
    const crit = stageCriteria({ percent: 5, minDurationSec: 60, criteria: { minDecisions: 500, maxDenyRateDelta: 0.05 } }, { stable, canary }, T, 61);
    const by = Object.fromEntries(crit.map((c) => [c.name, c]));
    assert.deepEqual(by.min_duration_sec, { name: "min_duration_sec", threshold: 60, value: 61, met: true });
    assert.deepEqual(by.deny_rate_delta, { name: "deny_rate_delta", threshold: 0.05, value: 0.1, met: false });
    assert.deepEqual(by.min_decisions, { name: "min_decisions", threshold: 500, value: 100, met: false });
    assert.equal(by.error_rate!.met, true);
    assert.equal(by.task_completion_ratio!.value, null);
  });
});
