// Rejecting a flood. When an agent goes wrong it can open hundreds of approval requests a
// minute; on-call stops the agent, and a reviewer then has to clear what it left in the queue.
// One request at a time that is hundreds of clicks, so a reviewer may reject every pending
// request that matches a filter, in batches, each batch one transaction. Approving stays one
// request at a time: a quorum exists so that each action is looked at.
import { z } from "zod";
import { ineligibility, tally } from "@/lib/approvals/quorum";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Prisma, Tx } from "@/lib/db/client";
import { mutate, type AuditDraft } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { enqueueWebhookBatch, slackMessage } from "@/lib/notify/webhooks";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";

/** The most requests one call rejects: one transaction, one audit statement, a short lock. */
export const BULK_REJECT_MAX = 200;

const Name = z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters");

export const BulkRejectFilter = z.strictObject({
  tool: Name.optional(),
  agent: Name.optional(),
  tenant: Name.optional(),
  /**
   * Only requests that arrived at or before this time: what the reviewer saw when they
   * confirmed. Requests that arrive while the batches run are not rejected unseen.
   */
  asOf: z.iso.datetime({ error: (iss) => (iss.input === undefined ? "is required: the preview's asOf, the moment the reviewer saw the count" : "must be an ISO 8601 time (the preview's asOf)") }),
});

export const BulkRejectInput = BulkRejectFilter.extend({
  comment: z.string().trim().min(3, "must say why, in at least 3 characters").max(1000, "must be at most 1000 characters"),
  limit: z.number().int("must be a whole number").min(1, "must be at least 1").max(BULK_REJECT_MAX, `must be at most ${BULK_REJECT_MAX}`).optional(),
});

export type BulkRejectFilter = z.infer<typeof BulkRejectFilter>;

/** The preview's query: the filter, with `asOf` optional (see previewBulkReject). */
export const BulkRejectPreviewQuery = BulkRejectFilter.partial({ asOf: true });

export interface BulkRejectPreview {
  asOf: string;
  /** Pending, not expired, arrived by asOf, matching the filter. */
  matching: number;
  /** Of those, the ones this reviewer may still reject. */
  eligible: number;
  alreadyVoted: number;
  /** Started by this reviewer, who cannot vote on them. */
  ownRequests: number;
  /** Held for a reviewer group this reviewer is not in, by group. */
  otherGroups: { group: string; count: number }[];
}

export interface BulkRejectResult {
  /** Requests this call resolved as rejected. */
  rejected: number;
  /** Requests that took the reject vote but need more rejections (a reject threshold above 1). */
  votedStillPending: number;
  /** What is still eligible and matching after this call; the caller repeats until 0. */
  remaining: number;
  requestIds: string[];
}

interface Voter {
  id: string;
  username: string;
  role: string;
  groups: string[];
}

async function voterOf(db: Db | Tx, principal: Principal): Promise<Voter> {
  const user = await db.user.findUnique({ where: { id: principal.actor.id } });
  if (!user) throw new AppError("forbidden", "Only signed-in reviewers can vote.");
  const head = await headVersion(db);
  const groups = head === null ? {} : (await loadVersionDocument(db, head)).reviewer_groups;
  return { id: user.id, username: user.username, role: user.role, groups: Object.keys(groups).filter((g) => groups[g]!.includes(user.username)) };
}

function matchingWhere(f: BulkRejectFilter, now: Date): Prisma.ActionRequestWhereInput {
  return {
    status: "pending",
    expiresAt: { gt: now },
    createdAt: { lte: new Date(f.asOf) },
    ...(f.tool ? { tool: f.tool } : {}),
    ...(f.agent ? { agentId: f.agent } : {}),
    ...(f.tenant ? { tenant: f.tenant } : {}),
  };
}

/** The same rules as ineligibility() in lib/approvals/quorum.ts, as a query. */
function eligibleWhere(f: BulkRejectFilter, voter: Voter, now: Date): Prisma.ActionRequestWhereInput {
  return {
    AND: [
      matchingWhere(f, now),
      { votes: { none: { voterId: voter.id } } },
      { OR: [{ reviewerGroup: "" }, { reviewerGroup: { in: voter.groups } }] },
      { OR: [{ initiator: null }, { initiator: { not: voter.username } }] },
    ],
  };
}

/**
 * What a bulk reject would do for this reviewer now: the dialog's and the CLI's confirm step.
 * Without `asOf` it is the store's clock, the one that stamps requests' createdAt, so a server
 * whose clock runs ahead of the database's cannot widen the set to requests nobody has counted.
 */
export async function previewBulkReject(db: Db, principal: Principal, given: z.infer<typeof BulkRejectPreviewQuery>, now = new Date()): Promise<BulkRejectPreview> {
  const asOf = given.asOf ?? (await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`)[0]!.now.toISOString();
  const filter = { ...given, asOf };
  const voter = await voterOf(db, principal);
  const base = matchingWhere(filter, now);
  const [matching, eligible, alreadyVoted, ownRequests, byGroup] = await Promise.all([
    db.actionRequest.count({ where: base }),
    db.actionRequest.count({ where: eligibleWhere(filter, voter, now) }),
    db.actionRequest.count({ where: { AND: [base, { votes: { some: { voterId: voter.id } } }] } }),
    db.actionRequest.count({ where: { AND: [base, { initiator: voter.username }] } }),
    db.actionRequest.groupBy({ by: ["reviewerGroup"], where: { AND: [base, { reviewerGroup: { notIn: ["", ...voter.groups] } }] }, _count: { _all: true } }),
  ]);
  const otherGroups = byGroup.map((g) => ({ group: g.reviewerGroup, count: g._count._all })).sort((a, b) => b.count - a.count);
  return { asOf: filter.asOf, matching, eligible, alreadyVoted, ownRequests, otherGroups };
}

const nothingLeft = new Error("nothing left to reject");

/**
 * Casts this reviewer's reject vote on up to `limit` matching requests, oldest first, in one
 * transaction: the rows are locked as a single vote locks its row, so a vote cast on one of them
 * meanwhile counts before or after, never twice; each request gets its own audit event and its
 * webhook as if it had been rejected alone.
 */
export async function bulkReject(opts: { db: Db; principal: Principal; input: z.infer<typeof BulkRejectInput>; now?: Date }): Promise<BulkRejectResult & { generation: number | null }> {
  const { db, principal, input } = opts;
  const now = opts.now ?? new Date();
  const limit = input.limit ?? BULK_REJECT_MAX;
  const run = mutate<BulkRejectResult>({ db, principal, permission: "approvals.vote" }, async (tx) => {
    const voter = await voterOf(tx, principal);
    const where = eligibleWhere(input, voter, now);
    const picked = await tx.actionRequest.findMany({ where, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
    if (picked.length === 0) throw nothingLeft;
    await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM "ActionRequest" WHERE "id" IN (SELECT json_array_elements_text($1::json)) ORDER BY "id" FOR UPDATE`, JSON.stringify(picked.map((p) => p.id)));
    // Read again under the lock: a vote may have resolved one of them since the pick.
    const rows = await tx.actionRequest.findMany({ where: { AND: [where, { id: { in: picked.map((p) => p.id) } }] }, include: { votes: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    if (rows.length === 0) throw nothingLeft;

    const resolved: { id: string; resolution: string }[] = [];
    const audit: AuditDraft[] = [];
    const webhooks: { event: string; message: ReturnType<typeof slackMessage> & Record<string, unknown> }[] = [];
    for (const r of rows) {
      // The query already applied these rules; this keeps the query honest against quorum.ts.
      const why = ineligibility(voter, { group: r.reviewerGroup ? (voter.groups.includes(r.reviewerGroup) ? [voter.username] : []) : null, initiatorUsername: r.initiator });
      if (why) throw new Error(`bulk reject picked request ${r.id} that ${voter.username} may not vote on: ${why}`);
      const t = tally([...r.votes, { voterId: voter.id, vote: "reject" }].map((v) => ({ voterId: v.voterId, vote: v.vote as "approve" | "reject" })), { quorum: r.quorum, rejectThreshold: r.rejectThreshold });
      if (t.status === "rejected") {
        resolved.push({ id: r.id, resolution: `${t.approvals} approve, ${t.rejections} reject` });
        webhooks.push({ event: "approval.rejected", message: { ...slackMessage(`:no_entry: ${r.agentId} → *${r.tool}* (${r.tenant}) was rejected (${t.approvals} approve, ${t.rejections} reject).`, input.comment), requestId: r.id } });
      }
      audit.push({ action: "approval.vote.reject", target: `approval:${r.id}`, after: { ...t, tool: r.tool, bulk: { tool: input.tool ?? null, agent: input.agent ?? null, tenant: input.tenant ?? null, asOf: input.asOf } }, reason: input.comment });
    }
    await tx.actionVote.createMany({ data: rows.map((r) => ({ requestId: r.id, voterId: voter.id, voter: voter.username, vote: "reject", comment: input.comment })) });
    if (resolved.length) {
      await tx.$executeRawUnsafe(
        `UPDATE "ActionRequest" AS r SET "status" = 'rejected', "resolvedAt" = $1::timestamptz, "resolvedBy" = $2, "resolution" = x."resolution"
         FROM json_to_recordset($3::json) AS x("id" text, "resolution" text) WHERE r."id" = x."id" AND r."status" = 'pending'`,
        now.toISOString(), voter.username, JSON.stringify(resolved),
      );
    }
    await enqueueWebhookBatch(tx, webhooks);
    const remaining = await tx.actionRequest.count({ where });
    const [first, ...rest] = audit;
    return {
      result: { rejected: resolved.length, votedStillPending: rows.length - resolved.length, remaining, requestIds: rows.map((r) => r.id) },
      audit: [first!, ...rest],
    };
  });
  try {
    const { result, generation } = await run;
    return { ...result, generation };
  } catch (e) {
    if (e !== nothingLeft) throw e;
    return { rejected: 0, votedStillPending: 0, remaining: 0, requestIds: [], generation: null };
  }
}
