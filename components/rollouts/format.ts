// How the rollout pages write numbers, metrics and events. One place, so an automatic action
// reads the same in the event log, on the chart annotations and in the banner.
import type { Comparison, RolloutEvent, RolloutStatus } from "@/components/rollouts/types";

export { utc } from "@/components/ui/time";

/** 0.072 → "7.2%", 0.05 → "5%": one decimal, trailing zero dropped. */
export const pct = (x: number, digits = 1) => `${Number((x * 100).toFixed(digits))}%`;

export const ms = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x >= 100 ? `${Math.round(x)} ms` : `${Number(x.toFixed(2))} ms`);

/** "300s" or 300 → "5 min"; "45s" → "45 s"; "2h" style strings pass through. */
export function windowWords(w: string | number | null | undefined): string | null {
  if (w === null || w === undefined) return null;
  const m = typeof w === "number" ? [String(w), String(w)] : /^(\d+)\s*s$/.exec(w);
  if (!m) return String(w);
  const s = Number(m[1]);
  if (s % 3600 === 0 && s >= 3600) return `${s / 3600} h`;
  if (s % 60 === 0 && s >= 60) return `${s / 60} min`;
  return `${s} s`;
}

export function durationWords(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
}

const MS_METRICS = new Set(["p99_ms", "p95_ms", "p50_ms", "latency", "max_p99_ms"]);
/** Metrics whose bound is a floor: they fire when the value drops below it. */
const FLOOR_METRICS = new Set(["task_completion_ratio", "task_completion", "min_decisions", "min_duration_sec"]);

export function metricValue(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (MS_METRICS.has(metric) || metric.endsWith("_ms")) return ms(v);
  if (metric === "min_duration_sec") return durationWords(v);
  if (metric === "min_decisions") return String(v);
  return pct(v);
}

export const METRIC_LABEL: Record<string, string> = {
  deny_rate: "Deny rate",
  error_rate: "Error rate",
  task_completion: "Task completion",
  latency: "Latency p50",
  p99_ms: "p99 latency",
  deny_rate_delta: "Deny-rate change",
  task_completion_ratio: "Completion vs baseline",
  min_duration_sec: "Minimum duration",
  min_decisions: "Canary decisions",
  policy_head: "Policy head",
};

const DONE: Record<RolloutEvent["kind"], string> = {
  start: "Started",
  advance: "Advanced",
  pause: "Paused",
  resume: "Resumed",
  promote: "Promoted",
  rollback: "Rolled back",
  abort: "Aborted",
};

/**
 * One sentence per event. Automatic actions name the metric, its value, the bound and the window:
 * "Rolled back automatically: error_rate 7.2% > 5% over the last 5 min".
 */
export function explainEvent(e: RolloutEvent): string {
  const d = e.detail ?? {};
  if (e.automatic) {
    const head = `${DONE[e.kind]} automatically`;
    const win = windowWords(d.window);
    if (d.metric && typeof d.value === "number" && typeof d.threshold === "number") {
      const op = FLOOR_METRICS.has(d.metric) ? "<" : ">";
      return `${head}: ${d.metric} ${metricValue(d.metric, d.value)} ${op} ${metricValue(d.metric, d.threshold)}${win ? ` over the last ${win}` : ""}`;
    }
    const to = typeof d.toStage === "number" ? d.toStage : typeof d.stage === "number" ? d.stage + 1 : null;
    if (e.kind === "advance" && to !== null) return `${head} to stage ${to + 1}${typeof d.percent === "number" ? ` (${d.percent}%)` : ""}: every criterion held for the stage's minimum duration${win ? ` (window ${win})` : ""}`;
    return `${head}: ${e.reason}`;
  }
  return `${DONE[e.kind]} by ${e.actor}${e.reason ? `: ${e.reason}` : ""}`;
}

export const STATUS_TEXT: Record<RolloutStatus, string> = {
  running: "Running",
  paused: "Paused",
  promoted: "Promoted",
  rolled_back: "Rolled back",
  aborted: "Aborted",
};

export const VERDICT_TEXT: Record<Comparison["verdict"], string> = {
  better: "Better",
  worse: "Worse",
  no_difference: "No difference",
  insufficient_data: "Not enough data",
};

/** A comparison's numbers as the tile prints them: rates in %, latency in ms. */
export function comparisonText(c: Comparison) {
  const val = (x: number) => (c.metric === "latency" ? ms(x) : pct(x, 2));
  const signed = (x: number) => (x > 0 ? "+" : x < 0 ? "−" : "±") + (c.metric === "latency" ? ms(Math.abs(x)) : `${Number((Math.abs(x) * 100).toFixed(2))} pp`);
  return {
    canary: val(c.canary),
    control: val(c.control),
    diff: signed(c.diff),
    ci95: c.ci95 ? `${signed(c.ci95[0])} to ${signed(c.ci95[1])}` : "—",
    pValue: c.pValue === null ? "—" : c.pValue < 0.0001 ? "< 0.0001" : c.pValue.toFixed(4),
  };
}
