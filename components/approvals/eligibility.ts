// Why the signed-in user cannot vote on a request, in the words the server would use, so the
// page can say it before anyone clicks. The server still decides (lib/approvals/quorum.ts).
import { utc } from "@/components/approvals/format";
import type { ActionRequest, Viewer } from "@/components/approvals/types";

export function votingBlockers(r: ActionRequest, viewer: Viewer, groupMembers: string[] | null, now = Date.now()): string[] {
  const out: string[] = [];
  const mine = r.votes.find((v) => v.voterId === viewer.id);
  if (mine) out.push(`You ${mine.vote === "approve" ? "approved" : "rejected"} this request at ${utc(mine.createdAt, true)}. A vote cannot be changed or cast twice.`);
  if (r.status === "expired" || (r.status === "pending" && Date.parse(r.expiresAt) <= now)) {
    out.push(`This request expired at ${utc(r.expiresAt, true)} without reaching quorum; it takes no more votes. The agent has to ask again.`);
  } else if (r.status !== "pending") {
    out.push(`This request was already ${r.status}${r.resolvedBy ? ` by ${r.resolvedBy}` : ""} at ${utc(r.resolvedAt, true)}${r.resolution ? ` (${r.resolution})` : ""}; it takes no more votes.`);
  }
  if (mine || out.length) return out;
  if (!viewer.canVote) out.push(`Voting needs the reviewer or admin role; you are signed in as ${viewer.role}. You can follow the request here as it is decided.`);
  else if (r.initiator && r.initiator === viewer.username) out.push("You started this request, so you cannot vote on it: someone else has to approve it.");
  else if (groupMembers && !groupMembers.includes(viewer.username)) {
    out.push(`You are not in the reviewer group "${r.reviewerGroup}" (${groupMembers.join(", ") || "no members"}). Ask an editor to add you in the policy's reviewer_groups if you should vote.`);
  }
  return out;
}
