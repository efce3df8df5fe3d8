import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketValues, compareCohorts, MIN_SAMPLE, sampleRatio, type CohortTotals, type Comparison } from "@/lib/rollouts/compare";

const BOUNDS = [1, 2, 5, 10, 25, 50, 100];

function totals(p: Partial<CohortTotals> & { success?: number; failure?: number }): CohortTotals {
  const decisions = p.decisions ?? 0;
  return {
    decisions,
    allows: p.allows ?? decisions - (p.denies ?? 0),
    denies: p.denies ?? 0,
    pendings: p.pendings ?? 0,
    errors: p.errors ?? 0,
    outcomes: { success: p.success ?? 0, failure: p.failure ?? 0, partial: 0, rolled_back: 0 },
    latencyCounts: p.latencyCounts ?? new Array<number>(BOUNDS.length + 1).fill(0),
    p50Ms: p.p50Ms ?? null,
    p95Ms: null,
    p99Ms: null,
  };
}
const byMetric = (cs: Comparison[], m: Comparison["metric"]) => cs.find((c) => c.metric === m)!;

describe("compareCohorts", () => {
  it("calls a higher canary deny or error rate worse, with the z-test's numbers", () => {
    // Same counts as stats.test.ts's SciPy case: 52/1000 against 30/1000, p 0.0131057030456447.
    const { comparisons } = compareCohorts({ canary: totals({ decisions: 1000, denies: 52, errors: 52 }), stable: totals({ decisions: 1000, denies: 30, errors: 30 }) }, BOUNDS);
    for (const m of ["deny_rate", "error_rate"] as const) {
      const c = byMetric(comparisons, m);
      assert.equal(c.verdict, "worse", m);
      assert.equal(c.test, "two_proportion_z");
      assert.equal(c.canary, 0.052);
      assert.equal(c.control, 0.03);
      assert.ok(Math.abs(c.diff - 0.022) < 1e-12);
      assert.ok(Math.abs(c.pValue! - 0.0131057030456447) < 1e-9);
      assert.ok(c.ci95![0] > 0 && c.ci95![1] > c.ci95![0]);
    }
  });

  it("calls a lower deny rate better and a higher task completion better", () => {
    const { comparisons } = compareCohorts(
      { canary: totals({ decisions: 1000, denies: 30, success: 95, failure: 5 }), stable: totals({ decisions: 1000, denies: 52, success: 70, failure: 30 }) },
      BOUNDS,
    );
    assert.equal(byMetric(comparisons, "deny_rate").verdict, "better");
    const tc = byMetric(comparisons, "task_completion");
    assert.equal(tc.verdict, "better");
    assert.equal(tc.canary, 0.95);
    assert.equal(tc.control, 0.7);
  });

  it("calls a lower task completion worse and equal rates no_difference", () => {
    const { comparisons } = compareCohorts(
      { canary: totals({ decisions: 400, denies: 40, success: 60, failure: 40 }), stable: totals({ decisions: 400, denies: 40, success: 90, failure: 10 }) },
      BOUNDS,
    );
    assert.equal(byMetric(comparisons, "task_completion").verdict, "worse");
    const deny = byMetric(comparisons, "deny_rate");
    assert.equal(deny.verdict, "no_difference");
    assert.equal(deny.pValue, 1);
  });

  it(`answers insufficient_data below ${MIN_SAMPLE} observations per cohort, with no NaN`, () => {
    const { comparisons } = compareCohorts({ canary: totals({ decisions: MIN_SAMPLE - 1, denies: 20 }), stable: totals({ decisions: 500, denies: 5 }) }, BOUNDS);
    const deny = byMetric(comparisons, "deny_rate");
    assert.deepEqual([deny.verdict, deny.ci95, deny.pValue], ["insufficient_data", null, null]);
    assert.equal(byMetric(comparisons, "task_completion").verdict, "insufficient_data");
    assert.equal(byMetric(comparisons, "latency").verdict, "insufficient_data");
    const empty = compareCohorts({ canary: totals({}), stable: totals({}) }, BOUNDS);
    assert.doesNotMatch(JSON.stringify(empty), /NaN|Infinity/);
    assert.ok(empty.comparisons.every((c) => c.verdict === "insufficient_data" && Number.isFinite(c.diff)));
    assert.deepEqual(sampleRatio({ stable: 0, canary: 0 }, 0.2), { expectedCanaryShare: 0.2, observedCanaryShare: 0, chiSquare: 0, pValue: 1, mismatch: false, unit: "sessions", stable: 0, canary: 0 });
  });

  it("calls slower canary latency worse: p50 difference, Mann-Whitney p and a bucket-resolution interval", () => {
    // canary mostly in (5,10] ms, control mostly in (1,2] ms
    const canary = totals({ decisions: 200, latencyCounts: [0, 20, 30, 150, 0, 0, 0, 0], p50Ms: 7.5 });
    const stable = totals({ decisions: 200, latencyCounts: [10, 150, 30, 10, 0, 0, 0, 0], p50Ms: 1.6 });
    const lat = byMetric(compareCohorts({ canary, stable }, BOUNDS).comparisons, "latency");
    assert.equal(lat.test, "mann_whitney_u");
    assert.equal(lat.verdict, "worse");
    assert.ok(Math.abs(lat.diff - 5.9) < 1e-12);
    assert.ok(lat.pValue! < 1e-10);
    // Bucket midpoints are 0.5, 1.5, 3.5, 7.5: the shift is one of their differences, here 6.
    assert.deepEqual(lat.ci95, [6, 6]);
    const reverse = byMetric(compareCohorts({ canary: stable, stable: canary }, BOUNDS).comparisons, "latency");
    assert.equal(reverse.verdict, "better");
  });

  it("flags a sample-ratio mismatch in sessions only when p < 0.001", () => {
    // SciPy: chisquare([9300,700], f_exp=[9500,500]) → p 4.4e-20
    const bad = sampleRatio({ stable: 9300, canary: 700 }, 0.05);
    assert.equal(bad.mismatch, true);
    assert.equal(bad.observedCanaryShare, 0.07);
    assert.ok(Math.abs(bad.chiSquare - 84.21052631578948) < 1e-9);
    assert.deepEqual([bad.unit, bad.stable, bad.canary], ["sessions", 9300, 700]);
    // SciPy: chisquare([5120,4880], f_exp=[5000,5000]) → p 0.016: suspicious at 5%, not an SRM at 0.1%
    const fine = sampleRatio({ stable: 5120, canary: 4880 }, 0.5);
    assert.equal(fine.mismatch, false);
    assert.ok(Math.abs(fine.pValue - 0.01639507184919225) < 1e-9);
    // Expected counts below 5 (Cochran's rule): never a mismatch, however lopsided.
    assert.equal(sampleRatio({ stable: 12, canary: 0 }, 0.3).mismatch, false);
    assert.throws(() => sampleRatio({ stable: 0, canary: 0 }, 5), /\[0, 1\]/);
  });

  it("represents buckets by their midpoints and the overflow bucket by its lower edge", () => {
    assert.deepEqual(bucketValues([1, 2, 5]), [0.5, 1.5, 3.5, 5]);
  });
});
