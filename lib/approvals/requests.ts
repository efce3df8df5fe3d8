import type { Principal } from "@/lib/auth/principal";
import type { Db, Prisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { DecisionRequest, Evaluation } from "@/lib/policy/evaluate";
import { requestOpener } from "@/lib/approvals/request-batch";
import { QUEUE_END, WAITING_CAP } from "@/lib/approvals/queue-size";

export interface RequestOrigin {
  decisionId: string;
  request: DecisionRequest & { initiator?: string };
  evaluation: Evaluation;
  now: number;
}

/**
 * Turns a pending decision into an action request that reviewers vote on. Idempotent on
 * (agent, idempotencyKey): asking again returns the request already open for the same action.
 * Requests opened at the same moment share one transaction (request-batch.ts).
 */
export function openActionRequest(db: Db, principal: Principal, origin: RequestOrigin): Promise<{ id: string; existing: boolean }> {
  return requestOpener(db).open(principal, origin);
}

export async function getActionRequestOrThrow(db: Db, id: string) {
  const r = await db.actionRequest.findUnique({ where: { id }, include: { votes: { orderBy: { createdAt: "asc" } } } });
  if (!r) throw new AppError("not_found", `No approval request with id "${id}".`);
  return r;
}

/** What an agent or reviewer needs to know about where a request stands. */
export function requestStatus(r: { status: string; quorum: number; expiresAt: Date; votes: { vote: string }[] }, now = Date.now()) {
  const approvals = r.votes.filter((v) => v.vote === "approve").length;
  const rejections = r.votes.length - approvals;
  // A pending request past its expiry is expired even before the sweeper records it.
  const status = r.status === "pending" && r.expiresAt.getTime() <= now ? "expired" : r.status;
  return { status, approvals, rejections, required: r.quorum, expiresAt: r.expiresAt.toISOString() };
}

export interface RequestFilter {
  status?: string;
  tool?: string;
  agent?: string;
  tenant?: string;
  q?: string;
  before?: string;
}

function requestWhere(filter: RequestFilter) {
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.tool ? { tool: filter.tool } : {}),
    ...(filter.agent ? { agentId: filter.agent } : {}),
    ...(filter.tenant ? { tenant: filter.tenant } : {}),
    ...(filter.before ? { createdAt: { lt: new Date(filter.before) } } : {}),
    ...(filter.q ? { OR: [{ tool: { contains: filter.q } }, { agentId: { contains: filter.q } }, { tenant: { contains: filter.q } }, { resolution: { contains: filter.q } }, { session: { contains: filter.q } }] } : {}),
  };
}

const withVotes = { votes: { orderBy: { createdAt: "asc" as const } } };

export async function listActionRequests(db: Db, filter: RequestFilter) {
  return db.actionRequest.findMany({ where: requestWhere(filter), include: withVotes, orderBy: { createdAt: "desc" }, take: 200 });
}

/** Pending requests matching `where`, counted up to WAITING_CAP (see queue-size.ts). */
export async function countWaiting(db: Db, where: Prisma.ActionRequestWhereInput) {
  const counted = await db.actionRequest.count({ where, take: WAITING_CAP + 1 });
  return { waiting: Math.min(counted, WAITING_CAP), waitingCapped: counted > WAITING_CAP };
}

/**
 * The reviewers' queue: every pending request that has not expired, when there are at most
 * 2 × QUEUE_END; otherwise the QUEUE_END that expire soonest (the ones a reviewer would lose)
 * and the QUEUE_END newest (a risky request that just arrived), with `waiting`, the number of
 * all that match up to WAITING_CAP (`waitingCapped` when there are more). The newest 200 alone,
 * as the list gives, hid a backlog's oldest requests until they expired unseen. The console
 * ranks what it gets by risk (components/approvals/risk.ts).
 */
export async function pendingQueue(db: Db, filter: Omit<RequestFilter, "status" | "before">, now = new Date()) {
  const where = { ...requestWhere(filter), status: "pending", expiresAt: { gt: now } };
  const { waiting, waitingCapped } = await countWaiting(db, where);
  if (waiting <= 2 * QUEUE_END) {
    // Bounded all the same: more may have arrived since the count.
    const requests = await db.actionRequest.findMany({ where, include: withVotes, orderBy: [{ expiresAt: "asc" }, { id: "asc" }], take: 2 * QUEUE_END });
    return { requests, waiting, waitingCapped };
  }
  const expiring = await db.actionRequest.findMany({ where, include: withVotes, orderBy: [{ expiresAt: "asc" }, { id: "asc" }], take: QUEUE_END });
  const newest = await db.actionRequest.findMany({ where, include: withVotes, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: QUEUE_END });
  const seen = new Set(expiring.map((r) => r.id));
  return { requests: [...expiring, ...newest.filter((r) => !seen.has(r.id))], waiting, waitingCapped };
}
