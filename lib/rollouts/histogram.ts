// The latency histogram every rollout metric bucket uses. Fixed bounds (upper edges in ms, the
// last bucket open-ended) let buckets from any instance and any minute be summed by position.
// Decisions take microseconds in process and milliseconds over the wire; the 2 s hard trigger
// needs a bound at 2000 ms, so the edges run roughly 1-2-5 per decade from 0.1 ms to 10 s.

export const HISTOGRAM_BOUNDS_MS: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000, 10000,
];

/** One count per bound plus the overflow bucket (> last bound). */
export const HISTOGRAM_SIZE = HISTOGRAM_BOUNDS_MS.length + 1;

export const emptyCounts = (): number[] => new Array<number>(HISTOGRAM_SIZE).fill(0);

/** Index of the bucket holding `ms`: the first bound it does not exceed. */
export function bucketIndex(ms: number): number {
  for (let i = 0; i < HISTOGRAM_BOUNDS_MS.length; i++) if (ms <= HISTOGRAM_BOUNDS_MS[i]!) return i;
  return HISTOGRAM_BOUNDS_MS.length;
}

/** Adds `b` into `a` position by position (tolerates shorter arrays from older rows). */
export function addCounts(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < a.length; i++) a[i]! += b[i] ?? 0;
  return a;
}

/**
 * The q-quantile (0 < q ≤ 1) read from bucket counts, interpolated linearly inside the bucket that
 * holds it (the Prometheus histogram_quantile convention). The open overflow bucket reports its
 * lower edge, so a value is never invented past the last bound. null when there are no counts.
 */
export function percentile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && seen + c >= rank) {
      if (i >= HISTOGRAM_BOUNDS_MS.length) return HISTOGRAM_BOUNDS_MS[HISTOGRAM_BOUNDS_MS.length - 1]!;
      const lower = i === 0 ? 0 : HISTOGRAM_BOUNDS_MS[i - 1]!;
      const upper = HISTOGRAM_BOUNDS_MS[i]!;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return HISTOGRAM_BOUNDS_MS[HISTOGRAM_BOUNDS_MS.length - 1]!;
}
