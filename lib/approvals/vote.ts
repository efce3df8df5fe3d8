import { z } from "zod";
import { ineligibility, tally } from "@/lib/approvals/quorum";
import { requestStatus } from "@/lib/approvals/requests";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate, type AuditDraft } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { enqueueWebhookBatch, enqueueWebhooks, slackMessage } from "@/lib/notify/webhooks";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";

export const ActionVoteInput = z.object({
  vote: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  comment: z.string().trim().max(1000, "must be at most 1000 characters").optional(),
});

const when = (d: Date | null) => (d ? d.toISOString() : "an unknown time");

/**
 * Marks the given requests expired where still pending, inside the caller's transaction, with a
 * notification each, and returns the ones it expired: what an expiry writes, for a vote that
 * arrives late and for the sweep. Rows are locked in id order, as a bulk reject and a policy
 * change's reconcile lock them, so changes over overlapping requests wait instead of deadlocking.
 */
async function expireRequests(tx: Tx, ids: readonly string[]) {
  const expired = await tx.$queryRaw<{ id: string; agentId: string; tool: string; tenant: string }[]>`
    WITH locked AS (SELECT "id" FROM "ActionRequest" WHERE "id" = ANY(${ids}::text[]) AND "status" = 'pending' ORDER BY "id" FOR UPDATE)
    UPDATE "ActionRequest" AS r SET "status" = 'expired', "resolvedAt" = r."expiresAt", "resolvedBy" = 'system', "resolution" = 'expired before reaching quorum'
    FROM locked WHERE r."id" = locked."id"
    RETURNING r."id", r."agentId", r."tool", r."tenant"`;
  const message = (r: (typeof expired)[number]) => slackMessage(`:alarm_clock: Approval for ${r.agentId} → *${r.tool}* (${r.tenant}) expired without a decision.`);
  await enqueueWebhookBatch(tx, expired.map((r) => ({ event: "approval.expired", message: { ...message(r), requestId: r.id } })));
  return expired;
}

type Outcome = { kind: "voted"; status: string; approvals: number; rejections: number; required: number } | { kind: "expired"; at: Date };

/**
 * One reviewer's vote. The request row is locked for the transaction, so concurrent votes
 * count one after another and the request resolves exactly once; a (request, voter) unique
 * key makes a second vote from the same reviewer impossible even then.
 */
export async function voteOnActionRequest(opts: { db: Db; principal: Principal; id: string; input: z.infer<typeof ActionVoteInput> }) {
  const { db, principal, id, input } = opts;
  const { result, generation } = await mutate<Outcome>({ db, principal, permission: "approvals.vote" }, async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM "ActionRequest" WHERE "id" = ${id} FOR UPDATE`;
    const r = await tx.actionRequest.findUnique({ where: { id }, include: { votes: true } });
    if (!r) throw new AppError("not_found", `No approval request with id "${id}".`);
    if (r.status !== "pending") {
      throw new AppError("conflict", `This request was already ${r.status} ${r.resolvedBy ? `by ${r.resolvedBy} ` : ""}at ${when(r.resolvedAt)}${r.resolution ? ` (${r.resolution})` : ""}; it takes no more votes.`);
    }
    if (r.expiresAt.getTime() <= Date.now()) {
      await expireRequests(tx, [r.id]);
      return { result: { kind: "expired", at: r.expiresAt }, audit: { action: "approval.expire", target: `approval:${id}`, after: { status: "expired" }, reason: "a vote arrived after the expiry" } };
    }
    const voter = await tx.user.findUnique({ where: { id: principal.actor.id } });
    if (!voter) throw new AppError("forbidden", "Only signed-in reviewers can vote.");
    const head = await headVersion(tx);
    const live = head === null ? null : await loadVersionDocument(tx, head);
    const group = r.reviewerGroup ? (live?.reviewer_groups[r.reviewerGroup] ?? []) : null;
    const why = ineligibility(voter, { group, initiatorUsername: r.initiator });
    if (why) throw new AppError("forbidden", `You cannot vote on this request: ${why}.`);
    if (r.votes.some((v) => v.voterId === voter.id)) throw new AppError("conflict", "You already voted on this request; a vote cannot be changed.");
    await tx.actionVote.create({ data: { requestId: id, voterId: voter.id, voter: voter.username, vote: input.vote, comment: input.comment ?? null } });
    const t = tally([...r.votes, { voterId: voter.id, vote: input.vote }].map((v) => ({ voterId: v.voterId, vote: v.vote as "approve" | "reject" })), { quorum: r.quorum, rejectThreshold: r.rejectThreshold });
    if (t.status !== "pending") {
      await tx.actionRequest.update({ where: { id }, data: { status: t.status, resolvedAt: new Date(), resolvedBy: voter.username, resolution: `${t.approvals} approve, ${t.rejections} reject` } });
      const icon = t.status === "approved" ? ":white_check_mark:" : ":no_entry:";
      await enqueueWebhooks(tx, `approval.${t.status}`, { ...slackMessage(`${icon} ${r.agentId} → *${r.tool}* (${r.tenant}) was ${t.status} (${t.approvals} approve, ${t.rejections} reject).`, input.comment), requestId: id });
    }
    return {
      result: { kind: "voted", status: t.status, approvals: t.approvals, rejections: t.rejections, required: t.required },
      audit: { action: `approval.vote.${input.vote}`, target: `approval:${id}`, after: { ...t, tool: r.tool }, reason: input.comment },
    };
  });
  if (result.kind === "expired") throw new AppError("conflict", `This request expired at ${result.at.toISOString()}; it takes no more votes.`);
  return { status: result.status, approvals: result.approvals, rejections: result.rejections, required: result.required, generation };
}

/** The most requests one sweep expires: one transaction, one audit statement, one generation. */
export const EXPIRE_BATCH = 200;

/**
 * Sweeps requests past their expiry (every instance runs it; the update skips what another
 * instance expired first). A sweep is one transaction however many expire. One transaction and
 * one generation per request made a flood expire as a storm: every generation has each instance
 * reload and recompile its snapshot and each policy stream resend it. Thousands of requests a
 * probe had opened an hour before held a 2-core demo server at 100 % CPU for minutes, and 257
 * decisions in a minute took over 50 ms against 24 with batches (docs/BENCHMARKS.md §7b).
 */
export async function expireDue(db: Db, principal: Principal): Promise<number> {
  const due = await db.actionRequest.findMany({ where: { status: "pending", expiresAt: { lte: new Date() } }, orderBy: { expiresAt: "asc" }, take: EXPIRE_BATCH, select: { id: true } });
  if (due.length === 0) return 0;
  const alreadyDone = new Error("expired elsewhere");
  const swept = await mutate({ db, principal, permission: null }, async (tx) => {
    const expired = await expireRequests(tx, due.map((r) => r.id));
    // Another instance expired them all first: roll back rather than audit a non-event.
    if (expired.length === 0) throw alreadyDone;
    const audit = expired.map((r): AuditDraft => ({ action: "approval.expire", target: `approval:${r.id}`, after: { status: "expired" } }));
    return { result: expired.length, audit: audit as [AuditDraft, ...AuditDraft[]] };
  }).catch((e) => {
    if (e === alreadyDone) return null;
    throw e;
  });
  return swept?.result ?? 0;
}

export { requestStatus };
