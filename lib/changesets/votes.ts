import { z } from "zod";
import { ineligibility, tally } from "@/lib/approvals/quorum";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { getChangeSetOrThrow } from "@/lib/changesets/changesets";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";

export const VoteInput = z.object({
  vote: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  comment: z.string().trim().max(1000).optional(),
});

/** One reviewer's vote on a sensitive change set; the quorum comes from the live change_control. */
export async function voteOnChangeSet(opts: { db: Db; principal: Principal; id: string; input: z.infer<typeof VoteInput> }) {
  const { db, principal, id, input } = opts;
  return mutate({ db, principal, permission: "approvals.vote" }, async (tx) => {
    // The row lock makes concurrent votes on one change set count one after another.
    await tx.$queryRaw`SELECT 1 AS locked FROM "ChangeSet" WHERE "id" = ${id} FOR UPDATE`;
    const cs = await getChangeSetOrThrow(tx, id);
    if (cs.status !== "pending_approval") throw new AppError("conflict", `Change set ${id} is ${cs.status}; votes are only taken while it is pending approval.`);
    const head = await headVersion(tx);
    const live = await loadVersionDocument(tx, head ?? cs.baseVersion);
    const cc = live.change_control;
    const voter = await tx.user.findUnique({ where: { id: principal.actor.id } });
    if (!voter) throw new AppError("forbidden", "Only signed-in reviewers can vote.");
    const why = ineligibility(voter, { group: live.reviewer_groups[cc.group] ?? [], initiatorId: cs.authorId });
    if (why) throw new AppError("forbidden", `You cannot vote on this change set: ${why}.`);
    const current = cs.votes.filter((v) => v.revision === cs.revision);
    if (current.some((v) => v.voterId === voter.id)) throw new AppError("conflict", "You already voted on this revision; a vote cannot be changed.");
    await tx.changeSetVote.create({ data: { changeSetId: id, revision: cs.revision, voterId: voter.id, voter: voter.username, vote: input.vote, comment: input.comment ?? null } });
    const result = tally([...current, { voterId: voter.id, vote: input.vote }].map((v) => ({ voterId: v.voterId, vote: v.vote as "approve" | "reject" })), { quorum: cc.quorum, rejectThreshold: 1 });
    const status = result.status === "approved" ? "approved" : result.status === "rejected" ? "rejected" : "pending_approval";
    if (status !== cs.status) await tx.changeSet.update({ where: { id }, data: { status } });
    return { result: { ...result, changeSetStatus: status }, audit: { action: `changeset.vote.${input.vote}`, target: `changeset:${id}`, after: { ...result, revision: cs.revision }, reason: input.comment } };
  });
}
