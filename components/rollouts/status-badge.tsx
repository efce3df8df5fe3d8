import { STATUS_TEXT, VERDICT_TEXT } from "@/components/rollouts/format";
import type { Comparison, RolloutStatus } from "@/components/rollouts/types";

// Every badge says its meaning in words with a glyph; the colour only reinforces it.
const STATUS: Record<RolloutStatus, { glyph: string; cls: string }> = {
  running: { glyph: "▶", cls: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  paused: { glyph: "❚❚", cls: "bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200" },
  promoted: { glyph: "✓", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  rolled_back: { glyph: "↺", cls: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  aborted: { glyph: "✕", cls: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
};

export function RolloutStatusBadge({ status }: { status: RolloutStatus }) {
  const s = STATUS[status] ?? STATUS.aborted;
  return (
    <span data-testid="rollout-status" className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${s.cls}`}>
      <span aria-hidden>{s.glyph}</span>
      {STATUS_TEXT[status] ?? status}
    </span>
  );
}

const VERDICT: Record<Comparison["verdict"], { glyph: string; cls: string }> = {
  better: { glyph: "▲", cls: "text-emerald-700 dark:text-emerald-300" },
  worse: { glyph: "▼", cls: "text-red-700 dark:text-red-300" },
  no_difference: { glyph: "=", cls: "text-slate-700 dark:text-slate-300" },
  insufficient_data: { glyph: "…", cls: "text-slate-500 dark:text-slate-400" },
};

export function VerdictBadge({ verdict }: { verdict: Comparison["verdict"] }) {
  const v = VERDICT[verdict];
  return (
    <span data-testid="verdict" className={`inline-flex items-center gap-1 text-sm font-semibold ${v.cls}`}>
      <span aria-hidden>{v.glyph}</span>
      {VERDICT_TEXT[verdict]}
    </span>
  );
}
