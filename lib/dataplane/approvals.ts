import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { claimExecution } from "@/lib/approvals/execute";
import { askedCall, policyRefusal } from "@/lib/approvals/live-policy";
import { getActionRequestOrThrow, requestStatus } from "@/lib/approvals/requests";
import type { Principal } from "@/lib/auth/principal";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/rollouts/route";

const MAX_WAIT_S = 60;

async function ownRequest(dp: DataPlane, principal: Principal, id: string) {
  const r = await getActionRequestOrThrow(dp.store.prisma, id);
  if (r.agentId !== principal.agentId) throw new AppError("forbidden", `Approval request ${id} belongs to agent "${r.agentId}".`);
  return r;
}

/**
 * GET /api/v1/approvals/:id?wait=30 – long-polls until the request is resolved or the wait runs
 * out. Every resolution bumps the generation on whichever instance it happened, so this
 * re-reads the request on each generation event rather than polling the database.
 */
export async function approvalStatus(dp: DataPlane, principal: Principal, id: string, url: URL, req: IncomingMessage) {
  const waitRaw = url.searchParams.get("wait");
  const wait = waitRaw === null ? 0 : Number(waitRaw);
  if (!Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_S) throw new AppError("validation_failed", `wait: must be a number of seconds from 0 to ${MAX_WAIT_S}`, { fields: [{ path: "wait", message: `must be 0–${MAX_WAIT_S} seconds` }] });
  let r = await ownRequest(dp, principal, id);
  const deadline = Date.now() + wait * 1000;
  while (requestStatus(r).status === "pending" && Date.now() < deadline) {
    const changed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), Math.min(deadline, r.expiresAt.getTime() + 10) - Date.now());
      const off = dp.store.bus.onGeneration(() => done(true));
      const onClose = () => done(false);
      req.once("close", onClose);
      function done(v: boolean) {
        clearTimeout(timer);
        off();
        req.off("close", onClose);
        resolve(v);
      }
    });
    if (req.destroyed) break;
    if (changed || Date.now() >= r.expiresAt.getTime()) r = await ownRequest(dp, principal, id);
  }
  return { ...requestStatus(r), executedAt: r.executedAt?.toISOString() ?? null };
}

/** POST /api/v1/approvals/:id/execute – the single execution an approval allows, as a decision. */
export async function executeApproval(dp: DataPlane, principal: Principal, id: string) {
  const executionId = randomUUID();
  const r = await ownRequest(dp, principal, id);
  // The policy the session's decisions are made under now: during a rollout, its cohort's.
  const { snapshot: policy, cohort } = route(dp, r.session);
  const live = policy.tools.get(r.tool);
  // Also while pending: the last vote may land between this read and the claim.
  const refusal = r.executedAt ? null : policyRefusal(policy, cohort, await askedCall(dp.store.prisma, r, () => dp.log.flush()));
  const { result: outcome, generation } = await claimExecution(dp.store.prisma, principal, id, executionId, live ? { kind: live.kind, mutating: policy.mutating.has(r.tool) } : null, refusal);
  const reasons = outcome.allowed
    ? [{ primitive: "approval", message: `Approved by ${outcome.approvers.join(", ")}`, value: outcome.approvers, bound: r.quorum }]
    : [outcome.stop ? { ...outcome.stop, message: outcome.message } : { primitive: "approval", message: outcome.message }];
  const primitive = reasons[0]!.primitive;
  const decision = outcome.allowed ? "allow" : "deny";
  dp.log.push({
    id: executionId,
    at: new Date(),
    agentId: r.agentId,
    tenant: r.tenant,
    session: r.session,
    tool: r.tool,
    request: { agent: r.agentId, tenant: r.tenant, session: r.session, tool: r.tool, args: r.args, approvalId: id },
    decision,
    primitive,
    reasons,
    policyVersion: policy.policyVersion,
    generation,
    cohort,
    latencyUs: 0,
    tokenId: principal.tokenId ?? null,
    grantId: null,
    failsafe: false,
  });
  return { decision, decisionId: executionId, policyVersion: policy.policyVersion, generation, cohort, enforced: true, primitive, reasons, approvalId: id };
}
