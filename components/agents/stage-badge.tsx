import type { Stage } from "@/components/agents/types";

/** Glyph plus word, so the stage never rests on colour alone. */
export function StageBadge({ stage }: { stage: Stage }) {
  const advisory = stage === "advisory";
  return (
    <span data-testid="stage-badge" className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${advisory ? "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"}`}>
      <span aria-hidden>{advisory ? "◐" : "●"}</span>
      {stage}
    </span>
  );
}
