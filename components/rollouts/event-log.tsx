import { explainEvent, utc } from "@/components/rollouts/format";
import type { RolloutEvent } from "@/components/rollouts/types";

/** Every start, advance, pause, rollback…, newest first, each explained in one sentence. */
export function EventLog({ events }: { events: RolloutEvent[] }) {
  const newest = [...events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  if (newest.length === 0) return <p className="text-sm text-slate-500">No events yet.</p>;
  return (
    <ol className="space-y-2 text-sm" aria-label="Rollout events">
      {newest.map((e) => (
        <li key={`${e.kind}-${e.at}`} data-testid="rollout-event" data-kind={e.kind} className="flex flex-wrap gap-x-3">
          <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{utc(e.at, true)}</span>
          <span className={e.automatic ? "font-medium" : ""}>
            {e.automatic && <span className="mr-1 rounded bg-slate-200 px-1 text-xs font-semibold dark:bg-slate-800">AUTO</span>}
            {explainEvent(e)}
          </span>
        </li>
      ))}
    </ol>
  );
}
