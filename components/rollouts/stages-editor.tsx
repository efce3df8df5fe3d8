"use client";

import type { Strategy } from "@/components/rollouts/types";
import { Button } from "@/components/ui/button";

/** A stage as the form edits it: strings, so a half-typed number is not lost. */
export interface StageDraft {
  percent: string;
  minutes: string;
}

export const DEFAULT_STAGES: Record<Strategy, StageDraft[]> = {
  canary: [
    { percent: "5", minutes: "5" },
    { percent: "20", minutes: "10" },
    { percent: "100", minutes: "10" },
  ],
  blue_green: [
    { percent: "10", minutes: "5" },
    { percent: "100", minutes: "0" },
  ],
};

const INPUT = "block w-24 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

/** Stage rows: the share of sessions on the candidate and how long the stage lasts at least. */
export function StagesEditor({ strategy, stages, onChange }: { strategy: Strategy; stages: StageDraft[]; onChange: (s: StageDraft[]) => void }) {
  const set = (i: number, patch: Partial<StageDraft>) => onChange(stages.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const fixed = strategy === "blue_green";
  return (
    <fieldset>
      <legend className="text-sm font-medium">Stages</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {fixed ? "Blue-green: a warm-up share, then an atomic switch of every session to 100%." : "Each stage sends a larger share of sessions to the candidate; it advances by itself once its criteria hold for its minimum duration."}
      </p>
      <ol className="mt-2 space-y-2">
        {stages.map((s, i) => (
          <li key={i} className="flex flex-wrap items-end gap-3" data-testid="stage-row">
            <span className="w-16 pb-2 text-sm text-slate-500">Stage {i + 1}</span>
            <label className="text-sm">
              Sessions (%)
              <input className={INPUT} type="number" min={1} max={100} step="any" value={s.percent} disabled={fixed && i === 1} onChange={(e) => set(i, { percent: e.target.value })} aria-label={`Stage ${i + 1} percent of sessions`} />
            </label>
            <label className="text-sm">
              Minimum (min)
              <input className={INPUT} type="number" min={0} step="any" value={s.minutes} onChange={(e) => set(i, { minutes: e.target.value })} aria-label={`Stage ${i + 1} minimum duration in minutes`} />
            </label>
            {!fixed && stages.length > 1 && (
              <Button type="button" variant="ghost" onClick={() => onChange(stages.filter((_, j) => j !== i))} aria-label={`Remove stage ${i + 1}`}>Remove</Button>
            )}
          </li>
        ))}
      </ol>
      {!fixed && stages.length < 10 && (
        <Button type="button" variant="secondary" className="mt-2" onClick={() => onChange([...stages, { percent: "100", minutes: "10" }])}>Add stage</Button>
      )}
    </fieldset>
  );
}

/** Draft rows to the API's stages; NaN is left for the server to name (it says which field). */
export const toStages = (stages: StageDraft[]) => stages.map((s) => ({ percent: Number(s.percent), minDurationSec: Math.round(Number(s.minutes) * 60) }));
