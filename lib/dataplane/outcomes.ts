import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { DataPlane } from "@/lib/dataplane/runtime";
import type { OutcomeRequest } from "@/lib/dataplane/schemas";
import { AppError } from "@/lib/errors";
import { revokeGrantAfterFailure } from "@/lib/grants/grants";
import { routedOutcome } from "@/lib/rollouts/route";

/** Records an agent's report of what happened; a failure revokes the grant the call used, when the grant says so. */
export async function recordOutcome(dp: DataPlane, principal: Principal, input: z.output<typeof OutcomeRequest>) {
  const decision = await dp.log.lookup(input.decisionId);
  if (!decision) throw new AppError("not_found", `decisionId: no decision "${input.decisionId}" was made by Governor.`);
  if (decision.agentId !== principal.agentId) {
    throw new AppError("forbidden", `Decision "${input.decisionId}" belongs to agent "${decision.agentId}", not "${principal.agentId}".`);
  }
  await dp.store.prisma.decisionOutcome.create({
    data: {
      decisionId: input.decisionId,
      agentId: decision.agentId,
      outcome: input.outcome,
      observedBlastRadius: input.observedBlastRadius ?? null,
      latencyMs: input.latencyMs ?? null,
    },
  });
  // Outcomes of decisions routed during a rollout feed its task-completion comparison.
  const routed = await routedOutcome(dp, input.decisionId);
  if (routed) dp.metrics.recordOutcome(routed.rolloutId, routed.cohort, input.outcome);
  let grantRevoked = false;
  if (decision.grantId && (input.outcome === "failure" || input.outcome === "rolled_back")) {
    grantRevoked = await revokeGrantAfterFailure(dp.store.prisma, decision.grantId, input.outcome, input.decisionId);
  }
  return { recorded: true as const, grantRevoked };
}
