// Reference values are hard-coded with their source. "SciPy" means SciPy 1.17.1 / NumPy 2.4.6 on
// this machine (python3), with the exact call written beside each number.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chiSquareGof, hodgesLehmannFromCounts, mannWhitneyU, mannWhitneyUFromCounts, twoProportionZTest } from "@/lib/rollouts/stats";

const close = (actual: number, expected: number, tol: number, what = "") =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} is not within ${tol} of ${expected}`);
const relClose = (actual: number, expected: number, rel: number, what = "") =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what} ${actual} is not within ${rel * 100}% of ${expected}`);
const ok = <T extends { insufficient: boolean }>(r: T | { insufficient: true; reason: string }) => {
  assert.equal(r.insufficient, false, "expected a result, got insufficient");
  return r as Exclude<T, { insufficient: true }>;
};

describe("two-proportion z-test", () => {
  it("matches Agresti's aspirin example and SciPy's chi-square of the same table", () => {
    // Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (2007), §2.2.3, Table 2.3
    // (Physicians' Health Study: myocardial infarction 189/11034 on placebo, 104/11037 on aspirin):
    // difference 0.0077, 95% Wald interval (0.005, 0.011), printed to three decimals.
    const r = ok(twoProportionZTest(189, 11034, 104, 11037));
    close(r.diff, 0.0077, 0.00005, "diff");
    close(r.ci95[0], 0.005, 0.0005, "ci lo");
    close(r.ci95[1], 0.011, 0.0005, "ci hi");
    // SciPy: chi2_contingency([[189,10845],[104,10933]], correction=False) → statistic
    // 25.013883967194165 (= z² of the pooled test), pvalue 5.691896973740789e-07.
    relClose(r.z * r.z, 25.013883967194165, 1e-9, "z²");
    assert.ok(r.z > 0);
    relClose(r.pValue, 5.691896973740789e-7, 1e-6, "p");
  });

  it("matches SciPy on smaller and on opposite-direction samples", () => {
    // SciPy: chi2_contingency([[15,35],[8,52]], correction=False) → 4.581042811927368, p 0.032327535488418095
    const a = ok(twoProportionZTest(15, 50, 8, 60));
    relClose(a.z * a.z, 4.581042811927368, 1e-9, "z²");
    relClose(a.pValue, 0.032327535488418095, 1e-7, "p");
    // SciPy: chi2_contingency([[30,970],[52,948]], correction=False) → 6.154785218342277, p 0.0131057030456447
    const b = ok(twoProportionZTest(30, 1000, 52, 1000));
    relClose(b.z * b.z, 6.154785218342277, 1e-9, "z²");
    relClose(b.pValue, 0.0131057030456447, 1e-7, "p");
    assert.ok(b.z < 0 && b.diff < 0 && b.ci95[1] < 0, "the interval lies below 0 when p1 < p2 significantly");
  });

  it("answers insufficient, never NaN, for an empty sample", () => {
    assert.deepEqual(twoProportionZTest(0, 0, 3, 10), { insufficient: true, reason: "no observations in sample 1" });
    assert.deepEqual(twoProportionZTest(3, 10, 0, 0), { insufficient: true, reason: "no observations in sample 2" });
  });

  it("gives z = 0, p = 1 when both samples are all zeros", () => {
    const r = ok(twoProportionZTest(0, 500, 0, 400));
    assert.deepEqual([r.z, r.pValue, r.diff, r.ci95], [0, 1, 0, [0, 0]]);
  });

  it("refuses impossible counts", () => {
    assert.throws(() => twoProportionZTest(11, 10, 1, 10), /0 ≤ x ≤ n/);
    assert.throws(() => twoProportionZTest(1.5, 10, 1, 10), /integers/);
  });
});

describe("Mann-Whitney U", () => {
  it("matches SciPy on raw samples with ties", () => {
    const a = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3, 1.3];
    const b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.3, 0.5];
    // SciPy: mannwhitneyu(a, b, method='asymptotic', use_continuity=False, alternative='two-sided')
    // → statistic 82.5, pvalue 0.05226945550986168
    const r = ok(mannWhitneyU(a, b));
    assert.equal(r.u, 82.5);
    relClose(r.pValue, 0.05226945550986168, 1e-9, "p");
    close(r.probSuperiority, 82.5 / 110, 1e-12);
    assert.ok(r.z > 0);
  });

  it("matches SciPy on binned counts (each bucket a tie), and agrees with the raw form", () => {
    const cA = [0, 3, 10, 25, 40, 12, 6, 2, 1, 0];
    const cB = [1, 6, 18, 30, 28, 8, 3, 1, 0, 0];
    // SciPy: mannwhitneyu(np.repeat(np.arange(10), cA), np.repeat(np.arange(10), cB),
    //   method='asymptotic', use_continuity=False) → statistic 5815.0, pvalue 0.0031664774122895276
    const r = ok(mannWhitneyUFromCounts(cA, cB));
    assert.equal(r.u, 5815);
    relClose(r.pValue, 0.0031664774122895276, 1e-8, "p");
    const expand = (c: number[]) => c.flatMap((n, i) => new Array<number>(n).fill(i));
    const raw = ok(mannWhitneyU(expand(cA), expand(cB)));
    assert.equal(raw.u, r.u);
    relClose(raw.pValue, r.pValue, 1e-12);
    // Swapping the samples mirrors U and keeps p.
    const swapped = ok(mannWhitneyUFromCounts(cB, cA));
    assert.equal(swapped.u, 99 * 95 - 5815);
    relClose(swapped.pValue, r.pValue, 1e-12);
  });

  it("answers insufficient for an empty sample and p = 1 when everything is one tie", () => {
    assert.equal(mannWhitneyUFromCounts([0, 0], [1, 2]).insufficient, true);
    const tie = ok(mannWhitneyUFromCounts([0, 7, 0], [0, 9, 0]));
    assert.deepEqual([tie.z, tie.pValue, tie.probSuperiority], [0, 1, 0.5]);
    assert.throws(() => mannWhitneyUFromCounts([1, 2], [1]), /differ in length/);
  });
});

describe("chi-square goodness of fit", () => {
  it("matches Mendel's peas (9:3:3:1) as computed by SciPy", () => {
    // Mendel's dihybrid cross, 315/108/101/32 round-yellow… (a staple textbook example);
    // SciPy: chisquare([315,108,101,32], f_exp=[9,3,3,1]/16*556) → 0.4700239808153477, p 0.925425895103616
    const r = chiSquareGof([315, 108, 101, 32], [9, 3, 3, 1]);
    assert.ok(!("insufficient" in r));
    relClose(r.chiSquare, 0.4700239808153477, 1e-12, "chi²");
    assert.equal(r.df, 3);
    relClose(r.pValue, 0.925425895103616, 1e-9, "p");
  });

  it("matches SciPy on a 50/50 split and on a 5% canary split", () => {
    // SciPy: chisquare([5120,4880], f_exp=[5000,5000]) → 5.76, p 0.01639507184919225
    const r = chiSquareGof([5120, 4880], [0.5, 0.5]);
    assert.ok(!("insufficient" in r));
    relClose(r.chiSquare, 5.76, 1e-12);
    relClose(r.pValue, 0.01639507184919225, 1e-9, "p");
    // SciPy: chisquare([9300,700], f_exp=[9500,500]) → 84.21052631578948, p 4.4479612959472114e-20
    // (1 − CDF loses relative precision this far out; it only has to read as "tiny")
    const s = chiSquareGof([9300, 700], [0.95, 0.05]);
    assert.ok(!("insufficient" in s));
    relClose(s.chiSquare, 84.21052631578948, 1e-12);
    assert.ok(s.pValue < 1e-15 && s.pValue >= 0);
  });

  it("handles empty and degenerate inputs without NaN", () => {
    assert.equal((chiSquareGof([0, 0], [0.9, 0.1]) as { insufficient: boolean }).insufficient, true);
    assert.deepEqual(chiSquareGof([10, 0], [1, 0]), { chiSquare: 0, df: 0, pValue: 1 });
    assert.deepEqual(chiSquareGof([10, 3], [1, 0]), { chiSquare: Number.MAX_VALUE, df: 1, pValue: 0 });
    assert.throws(() => chiSquareGof([1, 2], [1]), /one share per count/);
    assert.throws(() => chiSquareGof([1, 2], [-1, 2]), /≥ 0/);
  });
});

describe("Hodges–Lehmann shift on buckets", () => {
  it("matches a brute-force NumPy computation over all pairwise differences", () => {
    const cA = [0, 3, 10, 25, 40, 12, 6, 2, 1, 0];
    const cB = [1, 6, 18, 30, 28, 8, 3, 1, 0, 0];
    const values = [0.5, 1.5, 3, 7, 15, 35, 75, 150, 350, 750];
    // NumPy: D = sort(subtract.outer(repeat(values, cA), repeat(values, cB)).ravel()); median(D) → 1.5;
    // C = floor(N/2 − norm.ppf(0.975)·sqrt(n1·n2·(n1+n2+1)/12)) → 3936; (D[C−1], D[N−C]) → (0.0, 8.0)
    const r = hodgesLehmannFromCounts(cA, cB, values);
    assert.ok(!r.insufficient);
    assert.equal(r.estimate, 1.5);
    assert.deepEqual(r.ci95, [0, 8]);
  });

  it("has no interval for tiny samples and no estimate without data", () => {
    const r = hodgesLehmannFromCounts([1, 1], [1, 0], [1, 2]);
    assert.ok(!r.insufficient);
    assert.equal(r.ci95, null);
    assert.equal(hodgesLehmannFromCounts([0, 0], [1, 0], [1, 2]).insufficient, true);
  });
});
