// N-of-M voting, shared by change-set approvals and agent action approvals. Pure: the caller
// loads the votes (inside its transaction) and persists the outcome.

import { isRole } from "@/lib/auth/permissions";

export type VoteValue = "approve" | "reject";

export interface CastVote {
  voterId: string;
  vote: VoteValue;
}

export interface QuorumRule {
  /** Approvals needed. */
  quorum: number;
  /** Rejections that resolve as rejected; 1 means one veto. */
  rejectThreshold: number;
}

export type QuorumStatus = "pending" | "approved" | "rejected";

export interface Tally {
  approvals: number;
  rejections: number;
  required: number;
  status: QuorumStatus;
}

/** Counts one vote per voter (the first cast wins) and resolves against the rule. */
export function tally(votes: readonly CastVote[], rule: QuorumRule): Tally {
  const seen = new Set<string>();
  let approvals = 0;
  let rejections = 0;
  for (const v of votes) {
    if (seen.has(v.voterId)) continue;
    seen.add(v.voterId);
    if (v.vote === "approve") approvals++;
    else rejections++;
  }
  const status: QuorumStatus = rejections >= rule.rejectThreshold ? "rejected" : approvals >= rule.quorum ? "approved" : "pending";
  return { approvals, rejections, required: rule.quorum, status };
}

const REVIEWER_OR_ABOVE = new Set(["reviewer", "admin"]);

/**
 * Why a user may not vote, or null when they may: in the reviewer group, reviewer role or
 * above, and not the person who asked.
 */
export function ineligibility(
  voter: { username: string; role: string; id: string },
  opts: { group: readonly string[] | null; initiatorId?: string | null; initiatorUsername?: string | null },
): string | null {
  if (voter.id === opts.initiatorId || (opts.initiatorUsername && voter.username === opts.initiatorUsername)) {
    return "you started this request, so you cannot vote on it";
  }
  if (!isRole(voter.role) || !REVIEWER_OR_ABOVE.has(voter.role)) return `votes need the reviewer role or above (you are ${voter.role})`;
  // null: no named group (approval-all mode, zone crossings): any reviewer may vote.
  if (opts.group && !opts.group.includes(voter.username)) return `you are not in the reviewer group (${opts.group.join(", ") || "empty"})`;
  return null;
}
