import { utc } from "@/components/approvals/format";
import type { ActionVote } from "@/components/approvals/types";

/** Every vote cast, oldest first: who, when, which way and why. */
export function VotesList({ votes }: { votes: ActionVote[] }) {
  if (votes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No votes yet.</p>;
  return (
    <ol className="space-y-2 text-sm" data-testid="votes">
      {votes.map((v) => (
        <li key={v.id} className="rounded-md border border-slate-100 px-3 py-2 dark:border-slate-800">
          <span className={`font-semibold ${v.vote === "approve" ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}>
            <span aria-hidden>{v.vote === "approve" ? "✓ " : "✕ "}</span>
            {v.vote === "approve" ? "Approved" : "Rejected"}
          </span>{" "}
          by <span className="font-medium">{v.voter}</span>
          <span className="text-xs text-slate-500 dark:text-slate-400"> · {utc(v.createdAt, true)}</span>
          {v.comment ? <blockquote className="mt-1 border-l-2 border-slate-300 pl-2 text-slate-700 italic dark:border-slate-600 dark:text-slate-300">{v.comment}</blockquote> : <p className="mt-1 text-xs text-slate-500">No comment.</p>}
        </li>
      ))}
    </ol>
  );
}
