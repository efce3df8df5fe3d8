import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import type { DecideInput, DecideOutput } from "@/lib/dataplane/decide";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { isAppError } from "@/lib/errors";
import { failsafeVerdict } from "@/lib/reliability/failsafe-verdict";

type Engine = (dp: DataPlane, principal: Principal, input: DecideInput) => Promise<DecideOutput>;

/**
 * Runs one decision through the enforcement circuit breaker. Closed: the engine decides (its
 * policy checks, rate-limit counters and approval request), and how long it took and whether it
 * threw go into the breaker's window. Open: the decision follows the tool's failsafe category.
 * An engine failure is answered failsafe too, so the agent gets a logged answer rather than a 500.
 */
export async function guardedDecide(dp: DataPlane, principal: Principal, input: DecideInput, engine: Engine): Promise<DecideOutput> {
  const r = dp.reliability;
  if (r.breaker.admit() === "failsafe") return failsafeDecide(dp, principal, input, `The enforcement circuit is open on ${r.instance} (${r.breaker.status().reason})`);
  const started = performance.now();
  try {
    if (r.testOnlyEvaluationFault) await r.testOnlyEvaluationFault(input);
    const out = await engine(dp, principal, input);
    r.breaker.record({ ok: true, latencyMs: performance.now() - started, decision: out.decision });
    return out;
  } catch (err) {
    // A caller's mistake (a wrong token, an invalid field) is not an evaluation failure.
    if (isAppError(err) && err.code !== "unavailable") throw err;
    r.breaker.record({ ok: false, latencyMs: performance.now() - started });
    r.health.report(err);
    console.error(`[decide] evaluation failed on ${r.instance}; answering failsafe:`, (err as Error).message);
    return failsafeDecide(dp, principal, input, `The evaluation failed on ${r.instance}`);
  }
}

/** A decision by the tool's failsafe category, logged with failsafe: true and primitive "failsafe". */
export function failsafeDecide(dp: DataPlane, principal: Principal, input: DecideInput, why: string): DecideOutput {
  const started = performance.now();
  const snap = dp.holder.current;
  const now = Date.now();
  const v = failsafeVerdict(input, snap, why, now);
  const decisionId = randomUUID();
  dp.log.push({
    id: decisionId,
    at: new Date(now),
    agentId: input.agent,
    tenant: input.tenant,
    session: input.session,
    tool: input.tool,
    request: input as object,
    decision: v.decision,
    primitive: "failsafe",
    reasons: v.reasons,
    policyVersion: snap.policyVersion,
    generation: snap.generation,
    cohort: "stable",
    latencyUs: Math.round((performance.now() - started) * 1000),
    tokenId: principal.tokenId ?? null,
    grantId: null,
    failsafe: true,
  });
  return { decision: v.decision, decisionId, policyVersion: snap.policyVersion, generation: snap.generation, cohort: "stable", enforced: true, primitive: "failsafe", reasons: v.reasons };
}
