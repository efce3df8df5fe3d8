// Per-minute rows of the metrics series, one per cohort, folded into one point per minute for
// the charts: rates per cohort (null in a minute without traffic, so the line breaks instead of
// dropping to zero) and the latency percentiles.
import type { RolloutEvent, SeriesPoint } from "@/components/rollouts/types";

export interface ChartPoint {
  t: number;
  [key: string]: number | null;
}

const rate = (x: number, n: number) => (n > 0 ? x / n : null);

/**
 * Each minute is plotted at the middle of the part of it the rollout was live (from its start,
 * to its end or now), so an event inside that minute sits on the right side of its data.
 */
export function chartPoints(series: readonly SeriesPoint[], live: { from: number; to: number } = { from: -Infinity, to: Infinity }): ChartPoint[] {
  const byMinute = new Map<number, ChartPoint>();
  for (const s of series) {
    const minute = Date.parse(s.minute);
    const from = Math.max(minute, live.from);
    const to = Math.min(minute + 60_000, live.to);
    const t = to > from ? Math.round((from + to) / 2) : minute + 30_000;
    const p = byMinute.get(t) ?? { t };
    const reported = s.outcomes.success + s.outcomes.failure + s.outcomes.partial + s.outcomes.rolled_back;
    const c = s.cohort;
    p[`${c}_decisions`] = s.decisions;
    p[`${c}_deny`] = rate(s.denies, s.decisions);
    p[`${c}_error`] = rate(s.errors, s.decisions);
    p[`${c}_completion`] = rate(s.outcomes.success, reported);
    p[`${c}_p50`] = s.decisions ? s.p50Ms : null;
    p[`${c}_p95`] = s.decisions ? s.p95Ms : null;
    p[`${c}_p99`] = s.decisions ? s.p99Ms : null;
    byMinute.set(t, p);
  }
  return [...byMinute.values()].sort((a, b) => a.t - b.t);
}

/** The charts' time axis: the window, trimmed to when the rollout started and (if over) ended. */
export function timeDomain(minutes: number, now: number, startedAt: string, endedAt?: string | null): [number, number] {
  // Whole minutes: the current minute's point (plotted at its middle) stays inside the axis.
  const end = Math.ceil((endedAt ? Math.min(now, Date.parse(endedAt)) : now) / 60_000) * 60_000;
  const start = Math.max(end - minutes * 60_000, Math.floor(Date.parse(startedAt) / 60_000) * 60_000);
  return [start, Math.max(end, start + 60_000)];
}

/** The events that fall inside the domain, as chart annotations. */
export const eventsIn = (events: readonly RolloutEvent[], [from, to]: [number, number]) =>
  events.map((e) => ({ ...e, t: Date.parse(e.at) })).filter((e) => e.t >= from && e.t <= to);
