// Significance tests for canary-versus-control comparisons. The distributions (normal and
// chi-square CDFs) come from stdlib's maintained, tested packages; the test statistics themselves
// are the textbook formulas, a few lines each, written here so every step is visible and checked
// against reference values in stats.test.ts (SciPy, and a textbook example).
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

/** qnorm(0.975): the two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

/** Two-sided p-value of a standard-normal z; computed from the lower tail so tiny p keep precision. */
export const twoSidedP = (z: number) => Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));

export type Insufficient = { insufficient: true; reason: string };

export type ZTest = {
  insufficient: false;
  p1: number;
  p2: number;
  /** p1 − p2 */
  diff: number;
  /** Unpooled Wald interval for p1 − p2, clamped to [−1, 1] (as R's prop.test does). */
  ci95: [number, number];
  /** Pooled z; z² is the Pearson chi-square of the 2×2 table. */
  z: number;
  pValue: number;
};

function checkCount(name: string, x: number, n: number) {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0 || x > n) {
    throw new RangeError(`${name}: need integers 0 ≤ x ≤ n, got x=${x}, n=${n}`);
  }
}

/** Two-proportion z-test of x1/n1 against x2/n2 (R: prop.test(correct = FALSE)). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest | Insufficient {
  checkCount("sample 1", x1, n1);
  checkCount("sample 2", x2, n2);
  if (n1 === 0 || n2 === 0) return { insufficient: true, reason: `no observations in sample ${n1 === 0 ? 1 : 2}` };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const diff = p1 - p2;
  const half = Z95 * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  // se = 0 only when both samples are all 0s or all 1s: identical proportions, no evidence of a difference.
  const z = se === 0 ? 0 : diff / se;
  return { insufficient: false, p1, p2, diff, ci95: [Math.max(-1, diff - half), Math.min(1, diff + half)], z, pValue: twoSidedP(z) };
}

export type MannWhitney = {
  insufficient: false;
  /** U of the first sample: pairs (a, b) with a > b, plus half the ties. */
  u: number;
  z: number;
  pValue: number;
  /** u / (n1·n2) = P(A > B) + ½·P(A = B): 0.5 means neither sample tends to be larger. */
  probSuperiority: number;
};

/**
 * Mann-Whitney U from counts of two samples over the same ordered categories (latency buckets).
 * Every value in one bucket is a tie, so it takes the bucket's midrank. Normal approximation with
 * the tie correction and no continuity correction (SciPy: mannwhitneyu(method="asymptotic",
 * use_continuity=False); R: wilcox.test(exact=FALSE, correct=FALSE)).
 */
export function mannWhitneyUFromCounts(countsA: readonly number[], countsB: readonly number[]): MannWhitney | Insufficient {
  if (countsA.length !== countsB.length) throw new RangeError(`bucket counts differ in length: ${countsA.length} vs ${countsB.length}`);
  for (const c of [...countsA, ...countsB]) if (!Number.isInteger(c) || c < 0) throw new RangeError(`bucket counts must be integers ≥ 0, got ${c}`);
  const n1 = countsA.reduce((s, c) => s + c, 0);
  const n2 = countsB.reduce((s, c) => s + c, 0);
  if (n1 === 0 || n2 === 0) return { insufficient: true, reason: `no observations in sample ${n1 === 0 ? 1 : 2}` };
  const n = n1 + n2;
  let below = 0;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < countsA.length; i++) {
    const t = countsA[i]! + countsB[i]!;
    rankSumA += countsA[i]! * (below + (t + 1) / 2);
    tieTerm += t * t * t - t;
    below += t;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  // variance = 0 only when every value is one tie: the samples cannot be told apart.
  const z = variance > 0 ? (u - (n1 * n2) / 2) / Math.sqrt(variance) : 0;
  return { insufficient: false, u, z, pValue: twoSidedP(z), probSuperiority: u / (n1 * n2) };
}

/** Mann-Whitney U on raw samples: the distinct values become the ordered categories. */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney | Insufficient {
  for (const v of [...a, ...b]) if (!Number.isFinite(v)) throw new RangeError(`samples must be finite numbers, got ${v}`);
  const values = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const index = new Map(values.map((v, i) => [v, i]));
  const countsA = new Array<number>(values.length).fill(0);
  const countsB = new Array<number>(values.length).fill(0);
  for (const v of a) countsA[index.get(v)!]!++;
  for (const v of b) countsB[index.get(v)!]!++;
  return mannWhitneyUFromCounts(countsA, countsB);
}

export type ChiSquareGof = { chiSquare: number; df: number; pValue: number };

/**
 * Pearson chi-square goodness of fit of observed counts to expected shares (normalised to sum 1;
 * SciPy: chisquare(f_obs, f_exp); R: chisq.test(x, p)). A category expected at 0 is left out of
 * the statistic and the degrees of freedom; if it was observed anyway the fit is impossible and
 * the result is chiSquare = Number.MAX_VALUE, pValue = 0 (finite, so it survives JSON).
 */
export function chiSquareGof(observed: readonly number[], expectedShares: readonly number[]): ChiSquareGof | Insufficient {
  if (observed.length !== expectedShares.length || observed.length < 2) {
    throw new RangeError(`need at least two categories and one share per count, got ${observed.length} counts and ${expectedShares.length} shares`);
  }
  for (const o of observed) if (!Number.isFinite(o) || o < 0) throw new RangeError(`observed counts must be ≥ 0, got ${o}`);
  for (const s of expectedShares) if (!Number.isFinite(s) || s < 0) throw new RangeError(`expected shares must be ≥ 0, got ${s}`);
  const total = observed.reduce((s, o) => s + o, 0);
  const shareSum = expectedShares.reduce((s, e) => s + e, 0);
  if (shareSum === 0) throw new RangeError("expected shares must not all be 0");
  if (total === 0) return { insufficient: true, reason: "no observations" };
  let chiSquare = 0;
  let categories = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (total * expectedShares[i]!) / shareSum;
    if (expected === 0) {
      if (observed[i]! > 0) return { chiSquare: Number.MAX_VALUE, df: Math.max(1, categories), pValue: 0 };
      continue;
    }
    chiSquare += (observed[i]! - expected) ** 2 / expected;
    categories++;
  }
  const df = categories - 1;
  if (df < 1) return { chiSquare: 0, df: 0, pValue: 1 };
  return { chiSquare, df, pValue: Math.max(0, 1 - chisquareCdf(chiSquare, df)) };
}

export type ShiftEstimate = { insufficient: false; estimate: number; ci95: [number, number] | null };

/**
 * Hodges–Lehmann shift of A relative to B (the median of all pairwise differences a − b) with the
 * Moses distribution-free 95% interval (Hollander, Wolfe & Chicken, Nonparametric Statistical
 * Methods, 3rd ed., §4.3, large-sample form): with N = n1·n2 sorted differences D and
 * C = ⌊N/2 − z₀.₉₇₅·√(n1·n2·(n1+n2+1)/12)⌋, the interval is [D(C), D(N+1−C)].
 * From binned data each value is its bucket's representative (`values[i]`), so the N differences
 * collapse to one weighted difference per pair of buckets and the interval's resolution is the
 * bucket width. ci95 is null when the samples are too small for C ≥ 1.
 */
export function hodgesLehmannFromCounts(countsA: readonly number[], countsB: readonly number[], values: readonly number[]): ShiftEstimate | Insufficient {
  if (countsA.length !== values.length || countsB.length !== values.length) throw new RangeError("counts and bucket values differ in length");
  const n1 = countsA.reduce((s, c) => s + c, 0);
  const n2 = countsB.reduce((s, c) => s + c, 0);
  if (n1 === 0 || n2 === 0) return { insufficient: true, reason: `no observations in sample ${n1 === 0 ? 1 : 2}` };
  const pairs: { d: number; w: number }[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!countsA[i]) continue;
    for (let j = 0; j < values.length; j++) if (countsB[j]) pairs.push({ d: values[i]! - values[j]!, w: countsA[i]! * countsB[j]! });
  }
  pairs.sort((x, y) => x.d - y.d);
  const total = n1 * n2;
  /** D(k), 1-based order statistic of the weighted differences. */
  const orderStat = (k: number) => {
    let seen = 0;
    for (const p of pairs) if ((seen += p.w) >= k) return p.d;
    return pairs[pairs.length - 1]!.d;
  };
  const estimate = total % 2 === 1 ? orderStat((total + 1) / 2) : (orderStat(total / 2) + orderStat(total / 2 + 1)) / 2;
  const c = Math.floor(total / 2 - Z95 * Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12));
  return { insufficient: false, estimate, ci95: c >= 1 ? [orderStat(c), orderStat(total + 1 - c)] : null };
}
