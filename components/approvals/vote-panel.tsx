"use client";

import { useId, useState } from "react";
import { InfoIcon } from "@/components/approvals/glyphs";
import { votingBlockers } from "@/components/approvals/eligibility";
import type { ActionRequest, Viewer } from "@/components/approvals/types";
import { useVote, type VoteResult } from "@/components/approvals/use-approvals";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/client/api";

// What a refusal means to the person who clicked, by HTTP status.
const REFUSAL: Record<number, string> = {
  403: "You may not vote on this request",
  409: "The request no longer takes this vote",
  404: "The request no longer exists",
};

/** Approve or reject with a comment; anyone who cannot vote reads why instead of seeing buttons. */
export function VotePanel({ request: r, viewer, groupMembers }: { request: ActionRequest; viewer: Viewer; groupMembers: string[] | null }) {
  const toast = useToast();
  const vote = useVote(r.id);
  const commentId = useId();
  const [comment, setComment] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<VoteResult | null>(null);
  const blockers = votingBlockers(r, viewer, groupMembers);
  const completes = r.approvals + 1 >= r.required;

  function cast(v: "approve" | "reject") {
    setRefusal(null);
    vote.mutate(
      { vote: v, comment: comment.trim() || undefined },
      {
        onSuccess: (res) => {
          setDone(res);
          setComment("");
          if (res.status === "approved") toast("success", `Approved: quorum reached (${res.approvals} of ${res.required}). The agent may now run ${r.tool} once.`);
          else if (res.status === "rejected") toast("success", `Rejected: the agent will not run ${r.tool}.`);
          else toast("success", `Your ${v === "approve" ? "approval" : "rejection"} is counted: ${res.approvals} of ${res.required} approvals so far.`);
        },
        onError: (e) => {
          const status = e instanceof ApiError ? e.status : 0;
          const msg = `${REFUSAL[status] ?? "The vote failed"}${status ? ` (HTTP ${status})` : ""}: ${e.message}`;
          setRefusal(msg);
          toast("error", msg);
        },
      },
    );
  }

  return (
    <Card title="Your vote">
      <div data-testid="vote-panel" className="space-y-3 text-sm">
        {refusal && (
          <p role="alert" data-testid="vote-refusal" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            <span aria-hidden>✕ </span>{refusal}
          </p>
        )}
        {blockers.length > 0 || done ? (
          <div data-testid="cannot-vote" className="space-y-2 text-slate-700 dark:text-slate-300">
            {done && blockers.length === 0 && <p>Your vote is counted. A vote cannot be changed or cast twice.</p>}
            {blockers.map((b) => (
              <p key={b} className="flex gap-2"><InfoIcon className="mt-0.5" /><span>{b}</span></p>
            ))}
          </div>
        ) : (
          <>
            <div>
              <label htmlFor={commentId} className="block font-medium">Comment <span className="font-normal text-slate-500">(optional, shown to everyone and kept in the audit log)</span></label>
              <textarea id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} rows={3} placeholder="e.g. matches ticket #4711, customer charged twice" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
            </div>
            <p className="text-slate-600 dark:text-slate-400">
              {completes ? `Your approval completes the quorum: the agent may then run ${r.tool} once.` : `Approving makes it ${r.approvals + 1} of ${r.required}; ${r.required - r.approvals - 1} more needed after you.`}{" "}
              {r.rejectThreshold === 1 ? "One rejection rejects it." : `${r.rejectThreshold} rejections reject it (${r.rejections} so far).`}
            </p>
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => cast("approve")} disabled={vote.isPending}>{vote.isPending && vote.variables?.vote === "approve" ? "Approving…" : <><span aria-hidden>✓</span> Approve</>}</Button>
              <Button variant="danger" onClick={() => cast("reject")} disabled={vote.isPending}>{vote.isPending && vote.variables?.vote === "reject" ? "Rejecting…" : <><span aria-hidden>✕</span> Reject</>}</Button>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
