// Upper bounds (ms) of the latency histogram: fine where the thresholds sit, coarse elsewhere.
const BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 300, 400, 500, 750, 1000, 2000, 5000, 10_000, Infinity];
const BUCKETS_PER_WINDOW = 30;

export interface Sample {
  count: number;
  errors?: number;
  denies?: number;
  /** Latency of this sample, for the histogram. */
  latencyMs?: number;
  /** The sample took longer than the latency bound in force (counted exactly, not from bins). */
  slow?: boolean;
}

export interface WindowTotals {
  count: number;
  errors: number;
  denies: number;
  slow: number;
}

interface Cell extends WindowTotals {
  hist: number[];
}

const emptyCell = (): Cell => ({ count: 0, errors: 0, denies: 0, slow: 0, hist: BOUNDS.map(() => 0) });

function addInto(into: Cell, from: Cell): void {
  into.count += from.count;
  into.errors += from.errors;
  into.denies += from.denies;
  into.slow += from.slow;
  for (let i = 0; i < BOUNDS.length; i++) into.hist[i]! += from.hist[i]!;
}

/**
 * Counts over a rolling time window, in 30 buckets per window (10 s each for 5 minutes), with a
 * latency histogram. `windows` > 1 keeps earlier windows too: totals(1) is the window before the
 * current one. Adding is O(1); the per-window sums are rebuilt only when a new bucket starts.
 */
export class RollingWindow {
  private readonly width: number;
  private buckets: { start: number; cell: Cell }[] = [];
  private sums: Cell[];

  constructor(private readonly windowMs: number, private readonly windows: number, private readonly now: () => number) {
    this.width = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    this.sums = Array.from({ length: windows }, emptyCell);
  }

  add(s: Sample): void {
    const cell = this.current();
    const one: Cell = emptyCell();
    one.count = s.count;
    one.errors = s.errors ?? 0;
    one.denies = s.denies ?? 0;
    one.slow = s.slow ? 1 : 0;
    if (s.latencyMs !== undefined) one.hist[BOUNDS.findIndex((b) => s.latencyMs! <= b)]! += s.count;
    addInto(cell, one);
    addInto(this.sums[0]!, one);
  }

  totals(window = 0): WindowTotals {
    this.current();
    const { count, errors, denies, slow } = this.sums[window] ?? emptyCell();
    return { count, errors, denies, slow };
  }

  /** The q-quantile of the current window's latencies, as the upper bound of its histogram bin. */
  quantile(q: number): number | null {
    this.current();
    const { count, hist } = this.sums[0]!;
    if (count === 0) return null;
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (let i = 0; i < BOUNDS.length; i++) {
      seen += hist[i]!;
      if (seen >= rank) return Number.isFinite(BOUNDS[i]!) ? BOUNDS[i]! : BOUNDS[BOUNDS.length - 2]! * 2;
    }
    return null;
  }

  reset(): void {
    this.buckets = [];
    this.sums = Array.from({ length: this.windows }, emptyCell);
  }

  /** The bucket for now, rolling older buckets into earlier windows (or out) when time moved on. */
  private current(): Cell {
    const start = Math.floor(this.now() / this.width) * this.width;
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.start === start) return last.cell;
    const oldest = start - this.windows * this.windowMs;
    this.buckets = this.buckets.filter((b) => b.start > oldest);
    const cell = emptyCell();
    this.buckets.push({ start, cell });
    this.sums = Array.from({ length: this.windows }, emptyCell);
    for (const b of this.buckets) {
      const k = Math.floor((start - b.start) / this.windowMs);
      if (k < this.windows) addInto(this.sums[k]!, b.cell);
    }
    return cell;
  }
}
