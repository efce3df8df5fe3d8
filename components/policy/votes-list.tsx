import type { Vote } from "@/components/policy/types";
import { utc } from "@/components/policy/types";

/** Votes on a change set; only votes on the current revision count, older ones were voided by an edit. */
export function VotesList({ votes, revision }: { votes: Vote[]; revision: number }) {
  if (votes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No votes yet.</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="votes">
      {votes.map((v) => {
        const current = v.revision === revision;
        return (
          <li key={v.id} className={current ? "" : "text-slate-500 line-through decoration-slate-400"}>
            <span className={`font-semibold ${v.vote === "approve" ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}>{v.vote === "approve" ? "✓ Approved" : "✕ Rejected"}</span> by {v.voter}
            <span className="text-xs text-slate-500"> · {utc(v.createdAt)} · revision {v.revision}{current ? "" : " (voided by a later edit)"}</span>
            {v.comment && <span className="block pl-5 text-slate-700 italic dark:text-slate-300">“{v.comment}”</span>}
          </li>
        );
      })}
    </ul>
  );
}

export const approvalsOn = (votes: Vote[], revision: number) => votes.filter((v) => v.revision === revision && v.vote === "approve").length;
