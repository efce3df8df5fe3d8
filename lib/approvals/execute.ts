import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { toControlState } from "@/lib/controls/controls";
import { AppError } from "@/lib/errors";
import { compileControls } from "@/lib/policy/compile";
import type { PolicyDocument } from "@/lib/policy/document";
import { killReason, readOnlyReason, type Reason } from "@/lib/policy/evaluate";
import type { PolicyRefusal } from "@/lib/approvals/live-policy";

export type ExecuteOutcome =
  | { allowed: true; executionId: string; approvers: string[] }
  | { allowed: false; message: string; stop?: Reason };

/** The tool as the live policy knows it; `null` when it no longer has it (treated as mutating). */
export type ToolKind = { kind: string; mutating: boolean } | null;

/**
 * Claims the one execution an approved request allows. The audit event names the approvers,
 * so the record of the action carries its chain of authority.
 *
 * A kill switch or read-only mode in force refuses the execution without using it up: an
 * approval given before an operator's stop must not outrank the stop, and once the stop is
 * lifted the agent may claim it again. The controls are read under the generation row's lock,
 * taken after the request's (the order a vote takes them), so a stop committed on any instance
 * is either seen here or waits for this claim to finish.
 *
 * So does a live policy that now refuses the call for a reason other than the approval it needed
 * (`refusal`: the agent lost the tool, the tenant's tier changed, the grant was revoked, the
 * service's blast radius grew past its bound): an approval answers "may this call run?" under
 * the policy it was asked under, and operators who tightened the policy since must not be
 * outranked by it either.
 */
export async function claimExecution(db: Db, principal: Principal, requestId: string, executionId: string, tool: ToolKind, refusal: PolicyRefusal = null) {
  return mutate<ExecuteOutcome>({ db, principal, permission: null }, async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM "ActionRequest" WHERE "id" = ${requestId} FOR UPDATE`;
    const r = await tx.actionRequest.findUnique({ where: { id: requestId }, include: { votes: true } });
    if (!r) throw new AppError("not_found", `No approval request with id "${requestId}".`);
    if (r.agentId !== principal.agentId) throw new AppError("forbidden", `Approval request ${requestId} belongs to agent "${r.agentId}".`);
    await tx.$queryRaw`SELECT 1 AS locked FROM "Generation" WHERE "id" = 1 FOR UPDATE`;
    const controls = compileControls((await tx.runtimeControl.findMany()).map(toControlState));
    const kill = killReason(controls, { agent: r.agentId, tenant: r.tenant, tool: r.tool });
    const stop = kill ?? (controls.readOnly && (tool?.mutating ?? true) ? readOnlyReason(controls.readOnly, r.tool, tool?.kind ?? "unknown") : null);
    let outcome: ExecuteOutcome;
    if (r.status !== "approved") outcome = { allowed: false, message: `The request is ${r.status === "pending" && r.expiresAt.getTime() <= Date.now() ? "expired" : r.status}, not approved.` };
    else if (stop && !r.executedAt) outcome = { allowed: false, message: `${stop.message}; the approved action stays unused until that is lifted.`, stop };
    else if (r.executedAt) outcome = { allowed: false, message: `The approved action was already executed at ${r.executedAt.toISOString()}; an approval allows one execution.` };
    else if (refusal) outcome = { allowed: false, message: `The live policy (version ${refusal.policyVersion}) no longer allows this call: ${refusal.reason.message}. The approved action stays unused unless the policy allows it again.`, stop: refusal.reason };
    else {
      const approvers = r.votes.filter((v) => v.vote === "approve").map((v) => v.voter);
      await tx.actionRequest.update({ where: { id: requestId }, data: { executedAt: new Date(), executionId } });
      outcome = { allowed: true, executionId, approvers: approvers.length ? approvers : [r.resolvedBy ?? "system"] };
    }
    return {
      result: outcome,
      audit: {
        action: outcome.allowed ? "approval.execute" : "approval.execute_refused",
        target: `approval:${requestId}`,
        after: outcome.allowed
          ? { decisionId: executionId, tool: r.tool, tenant: r.tenant, approvers: outcome.approvers, requestedBy: r.agentId, onBehalfOf: r.initiator }
          : { reason: outcome.message, ...(outcome.stop ? { primitive: outcome.stop.primitive, ...(stop ? { control: kill ? kill.value : "read_only" } : { policyVersion: refusal!.policyVersion }) } : {}) },
      },
    };
  });
}

/**
 * When a new policy version drops the approval rule a pending request waits on, the request is
 * approved by the system in the same transaction. Requirements added later are not applied to
 * requests (or decisions) that already exist.
 */
export async function reconcilePendingRequests(tx: Tx, doc: PolicyDocument, version: number): Promise<string[]> {
  // In id order, the order every multi-request change locks rows in (bulk reject, expiry sweep).
  const pending = await tx.actionRequest.findMany({ where: { status: "pending", source: "rule" }, select: { id: true, tool: true }, orderBy: { id: "asc" } });
  const released = pending.filter((r) => !doc.tools[r.tool]?.approval);
  for (const r of released) {
    await tx.actionRequest.update({
      where: { id: r.id },
      data: { status: "approved", resolvedAt: new Date(), resolvedBy: "system", resolution: `policy version ${version} no longer requires approval for ${r.tool}` },
    });
  }
  return released.map((r) => r.id);
}
