import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { DataPlane } from "@/lib/dataplane/runtime";
import type { DecideRequest, DecideResponse } from "@/lib/dataplane/schemas";
import { AppError } from "@/lib/errors";
import { applyRateLimit } from "@/lib/policy/evaluate";
import { isEnforced } from "@/lib/policy/adoption";
import { advisoryReview } from "@/lib/dataplane/advisory";
import { predictBlastRadius } from "@/lib/policy/blast-radius";
import { openActionRequest } from "@/lib/approvals/requests";
import { evaluateRouted, route } from "@/lib/rollouts/route";
import { guardedDecide } from "@/lib/reliability/guarded-decide";
import { APPROVAL_UNAVAILABLE, approvalUnavailable } from "@/lib/reliability/failsafe-verdict";

export type DecideInput = z.output<typeof DecideRequest>;
export type DecideOutput = z.output<typeof DecideResponse>;

export function assertActsFor(principal: Principal, agent: string): void {
  if (principal.agentId !== agent) {
    throw new AppError("forbidden", `This token belongs to agent "${principal.agentId}" and cannot act for "${agent}".`);
  }
}

/** One decision, through the enforcement circuit breaker (lib/reliability/guarded-decide.ts). */
export async function decide(dp: DataPlane, principal: Principal, input: DecideInput): Promise<DecideOutput> {
  assertActsFor(principal, input.agent);
  return guardedDecide(dp, principal, input, engineDecide);
}

/**
 * One decision: evaluate against the snapshot held now, consume rate-limit counters for calls
 * that would run, log it (batched), answer. The snapshot is read once, so a change that lands
 * mid-decision applies to the next decision, not half of this one.
 */
async function engineDecide(dp: DataPlane, principal: Principal, input: DecideInput): Promise<DecideOutput> {
  const started = process.hrtime.bigint();
  assertActsFor(principal, input.agent);
  // During a rollout the session's sticky cohort picks the stable or the candidate snapshot.
  const routed = route(dp, input.session);
  const now = Date.now();
  const evaluated = evaluateRouted(routed, input, now);
  let ev = evaluated.ev;
  let retryAfter: number | undefined;
  if (ev.decision !== "deny" && ev.limits.length > 0) {
    const exhausted = await dp.limiter.consume(ev.limits, now);
    const limited = applyRateLimit(ev, exhausted, now);
    ev = limited;
    retryAfter = limited.retryAfter;
  }
  const decisionId = randomUUID();
  const storeUp = dp.reliability.health.isUp;
  if (ev.decision === "pending" && !storeUp) ev = approvalUnavailable(ev);
  const enforced = isEnforced(routed.snapshot, input.agent, ev);
  // A pending verdict opens (or finds, by idempotency key) the request reviewers vote on; so
  // does an advisory deny, so humans record what they would have decided (advisory.ts). Neither
  // can open while the store is unreachable.
  const review = enforced ? ev : advisoryReview(ev);
  const approvalId = storeUp && review.decision !== "allow" && review.approval ? (await openActionRequest(dp.store.prisma, principal, { decisionId, request: input, evaluation: review, now })).id : undefined;
  const blast = predictBlastRadius(routed.snapshot, input);
  const latencyUs = Number((process.hrtime.bigint() - started) / 1000n);
  if (routed.rolloutId) dp.metrics.recordDecision({ rolloutId: routed.rolloutId, cohort: ev.cohort, decisionId, verdict: ev.decision, latencyUs, error: evaluated.error, now, session: input.session, shareBp: routed.shareBp });
  dp.log.push({
    id: decisionId,
    at: new Date(now),
    agentId: input.agent,
    tenant: input.tenant,
    session: input.session,
    tool: input.tool,
    request: input as object,
    decision: ev.decision,
    primitive: ev.primitive,
    reasons: ev.reasons,
    policyVersion: ev.policyVersion,
    generation: ev.generation,
    cohort: ev.cohort,
    latencyUs,
    tokenId: principal.tokenId ?? null,
    grantId: ev.grantId ?? null,
    failsafe: ev.primitive === APPROVAL_UNAVAILABLE,
    serverBlastRadius: blast.server ?? null,
    agentBlastRadius: blast.agent ?? null,
    enforced,
  });
  return {
    decision: ev.decision,
    decisionId,
    policyVersion: ev.policyVersion,
    generation: ev.generation,
    cohort: ev.cohort,
    enforced,
    primitive: ev.primitive,
    reasons: ev.reasons,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(approvalId ? { approvalId } : {}),
  };
}
