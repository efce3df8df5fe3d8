import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { TX_OPTIONS } from "@/lib/db/mutate";
import { appendAudit } from "@/lib/audit/append";
import { AppError } from "@/lib/errors";
import { enqueueWebhooks, slackMessage } from "@/lib/notify/webhooks";
import type { DecisionRequest, Evaluation } from "@/lib/policy/evaluate";

export interface RequestOrigin {
  decisionId: string;
  request: DecisionRequest & { initiator?: string };
  evaluation: Evaluation;
  now: number;
}

/**
 * Turns a pending decision into an action request that reviewers vote on. Idempotent on
 * (agent, idempotencyKey): asking again returns the request already open for the same action.
 */
export async function openActionRequest(db: Db, principal: Principal, origin: RequestOrigin): Promise<{ id: string; existing: boolean }> {
  const { request: req, evaluation: ev } = origin;
  const rule = ev.approval!;
  if (req.idempotencyKey) {
    const found = await db.actionRequest.findUnique({ where: { agentId_idempotencyKey: { agentId: req.agent, idempotencyKey: req.idempotencyKey } }, select: { id: true } });
    if (found) return { id: found.id, existing: true };
  }
  // An agent asking is state, not a policy change: audited in the same transaction, but no
  // generation bump, which would make every instance reload its snapshot and every SDK refetch.
  const result = await db.$transaction(async (tx) => {
    const created = await tx.actionRequest.create({
      data: {
        decisionId: origin.decisionId,
        agentId: req.agent,
        tenant: req.tenant,
        session: req.session,
        tool: req.tool,
        args: (req.args ?? undefined) as object | undefined,
        blastRadius: req.blastRadius ?? null,
        reversal: req.reversal ?? null,
        initiator: req.initiator ?? null,
        source: rule.source,
        quorum: rule.quorum,
        reviewerGroup: rule.group,
        rejectThreshold: rule.reject_threshold,
        policyVersion: ev.policyVersion,
        generation: ev.generation,
        idempotencyKey: req.idempotencyKey ?? null,
        tokenId: principal.tokenId ?? null,
        expiresAt: new Date(origin.now + rule.expires_in_s * 1000),
      },
    });
    await enqueueWebhooks(tx, "approval.requested", {
      ...slackMessage(`:hourglass: ${req.agent} asks to run *${req.tool}* for ${req.tenant}: needs ${rule.quorum} approval(s)${rule.group ? ` from ${rule.group}` : ""}.`, ev.reasons[0]?.message),
      requestId: created.id,
    });
    await appendAudit(tx, {
      actor: principal.actor,
      action: "approval.request",
      target: `approval:${created.id}`,
      after: { tool: req.tool, tenant: req.tenant, quorum: rule.quorum, group: rule.group, source: rule.source, expiresAt: created.expiresAt },
      policyVersion: ev.policyVersion,
      generation: ev.generation,
      request: principal.request,
    });
    return created;
  }, TX_OPTIONS);
  return { id: result.id, existing: false };
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

export async function listActionRequests(db: Db, filter: { status?: string; tool?: string; agent?: string; tenant?: string; q?: string; before?: string }) {
  return db.actionRequest.findMany({
    where: {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.tool ? { tool: filter.tool } : {}),
      ...(filter.agent ? { agentId: filter.agent } : {}),
      ...(filter.tenant ? { tenant: filter.tenant } : {}),
      ...(filter.before ? { createdAt: { lt: new Date(filter.before) } } : {}),
      ...(filter.q ? { OR: [{ tool: { contains: filter.q } }, { agentId: { contains: filter.q } }, { tenant: { contains: filter.q } }, { resolution: { contains: filter.q } }, { session: { contains: filter.q } }] } : {}),
    },
    include: { votes: { orderBy: { createdAt: "asc" } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}
