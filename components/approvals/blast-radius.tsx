import { percent } from "@/components/approvals/format";

/** The agent's predicted blast radius against the tool's bound, as a bar and in words. */
export function BlastRadius({ tool, value, bound }: { tool: string; value: number | null; bound: number | undefined }) {
  const boundText = bound === undefined ? `The tool has no bound (tools.${tool}.blast_radius.max is not set).` : `Bound for ${tool}: ${percent(bound)}.`;
  if (value === null) {
    return (
      <p className="text-sm">
        <span className="font-medium">Not declared by the agent.</span> <span className="text-slate-600 dark:text-slate-400">{boundText}</span>
      </p>
    );
  }
  const share = bound ? value / bound : null;
  const over = share !== null && share > 1;
  const near = share !== null && share >= 0.8;
  const fill = share === null ? Math.min(1, value) : Math.min(1, share);
  const words =
    share === null ? `${percent(value)} predicted. ${boundText}` : `${percent(value)} predicted, ${Math.round(share * 100)}% of the ${percent(bound!)} bound${over ? " — over the bound" : near ? " — close to the bound" : ""}.`;
  return (
    <div className="space-y-1 text-sm" data-testid="blast-radius">
      <div role="img" aria-label={words} className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800">
        <div className={`h-full ${over ? "bg-red-600" : near ? "bg-amber-500" : "bg-sky-600"}`} style={{ width: `${Math.max(2, fill * 100)}%` }} />
      </div>
      <p>
        {(over || near) && <span aria-hidden>⚠ </span>}
        {words}
      </p>
    </div>
  );
}
