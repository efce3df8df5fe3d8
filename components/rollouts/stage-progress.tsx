import { durationWords, METRIC_LABEL, metricValue, utc } from "@/components/rollouts/format";
import type { StageProgress as Stage } from "@/components/rollouts/types";

const STAGE_STATUS = {
  done: { glyph: "✓", text: "Done", cls: "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/40" },
  current: { glyph: "▶", text: "Current", cls: "border-sky-400 bg-sky-50 dark:border-sky-700 dark:bg-sky-950/40" },
  pending: { glyph: "○", text: "Pending", cls: "border-slate-200 dark:border-slate-800" },
} as const;

/** Floors (the value must reach the bound) read "≥"; every other criterion is a ceiling. */
const FLOORS = new Set(["min_duration_sec", "min_decisions", "task_completion_ratio"]);

/** The stages in order, each with its share, minimum duration and criteria met or not met. */
export function StageProgressList({ stages, ended = false }: { stages: Stage[]; ended?: boolean }) {
  return (
    <ol className="grid gap-3 md:grid-cols-3" aria-label="Stages">
      {stages.map((s) => {
        // After a rollback or abort the stage it stopped in is no longer "current".
        const st = ended && s.status === "current" ? { ...STAGE_STATUS.current, glyph: "■", text: "Stopped here" } : STAGE_STATUS[s.status];
        return (
          <li key={s.index} data-testid="stage" data-status={s.status} aria-current={s.status === "current" ? "step" : undefined} className={`rounded-lg border p-3 ${st.cls}`}>
            <div className="flex items-baseline justify-between gap-2">
              <p className="font-semibold">Stage {s.index + 1}: {s.percent}%</p>
              <span className="text-xs font-semibold"><span aria-hidden>{st.glyph} </span>{st.text}</span>
            </div>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              at least {durationWords(s.minDurationSec)}{s.startedAt ? ` · since ${utc(s.startedAt)}` : ""}
            </p>
            {s.criteria.length > 0 && (
              <ul className="mt-2 space-y-0.5 text-sm">
                {s.criteria.map((c) => {
                  // A stage not reached yet has nothing to judge: show its bounds, not a red cross.
                  const state = s.status === "pending" ? "pending" : c.met ? "met" : "not met";
                  const glyph = { pending: "○ ", met: "✓ ", "not met": "✕ " }[state];
                  const cls = { pending: "text-slate-500", met: "text-emerald-700 dark:text-emerald-300", "not met": "text-red-700 dark:text-red-300" }[state];
                  return (
                    <li key={c.name} data-testid="criterion" data-met={s.status === "pending" ? undefined : c.met} className="flex items-center justify-between gap-2">
                      <span>
                        <span aria-hidden className={cls}>{glyph}</span>
                        {METRIC_LABEL[c.name] ?? c.name}
                        <span className="sr-only">{` ${state}`}</span>
                      </span>
                      <span className="font-mono text-xs tabular-nums">
                        {s.status === "pending" ? "" : `${metricValue(c.name, c.value)} `}{FLOORS.has(c.name) ? "≥" : "≤"} {metricValue(c.name, c.threshold)}
                        <span aria-hidden className="ml-1 text-slate-500">{state}</span>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
