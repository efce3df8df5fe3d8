// Small numeric helpers shared by the benchmarks: percentiles over samples, medians over rounds,
// and the number formats the report uses.

/** Nearest-rank percentile (q in 0..100) of an ascending array. */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Sorts a copy (typed arrays sort numerically) and returns the requested percentiles. */
export function percentiles(samples: Float64Array | number[], qs: readonly number[]): number[] {
  const sorted = Float64Array.from(samples).sort();
  return qs.map((q) => percentileSorted(sorted, q));
}

export function median(values: readonly number[]): number {
  return percentiles([...values], [50])[0]!;
}

/** 1234.5 → "1,235"; small values keep `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return "n/a";
  return `${r >= 10 ? fmt(r, 0) : fmt(r, r >= 1 ? 1 : 2)}×`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
