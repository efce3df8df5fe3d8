import type { ActionRequest, Db } from "@/lib/db/client";
import { committedSnapshots } from "@/lib/dataplane/committed-snapshots";
import { isEnforced } from "@/lib/policy/adoption";
import type { Snapshot } from "@/lib/policy/compile";
import { evaluate, type Cohort, type DecisionRequest, type Evaluation, type Reason } from "@/lib/policy/evaluate";
import { routeSession } from "@/lib/rollouts/route";

/** What the live policy says of an approved call now, when it refuses it. */
export type PolicyRefusal = { reason: Reason; policyVersion: number } | null;

/** The request fields the checks below read. */
export type AskedRequest = Pick<ActionRequest, "id" | "decisionId" | "agentId" | "tenant" | "session" | "tool" | "args" | "blastRadius" | "reversal">;

/**
 * The call as the agent asked it (target, origin, blast radius): its decision's logged request,
 * else, when the decision was made while the store was unreachable and is not replayed yet, what
 * the request itself kept.
 */
function callOf(r: AskedRequest, logged: unknown): DecisionRequest {
  const ids = { agent: r.agentId, tenant: r.tenant, session: r.session, tool: r.tool };
  if (logged) return { ...(logged as DecisionRequest), ...ids };
  return { ...ids, args: r.args ?? undefined, blastRadius: r.blastRadius ?? undefined, reversal: r.reversal ?? undefined };
}

/** callOf one request. `flush` writes the decision log's buffer, for an approval given within its flush interval. */
export async function askedCall(db: Db, r: AskedRequest, flush?: () => Promise<void>): Promise<DecisionRequest> {
  const read = () => db.decisionLog.findUnique({ where: { id: r.decisionId }, select: { request: true } });
  const row = (await read()) ?? (flush ? await flush().then(read, () => null) : null);
  return callOf(r, row?.request);
}

/**
 * The live policy's refusal of an approved call, or null. The call is evaluated as a decision
 * would be now; "pending" is what the approval answered, so only a deny refuses, and only where
 * the agent is enforced. Rate limits are not consumed again: the call was counted when it was
 * asked. Stops are left out: lib/approvals/execute.ts reads them from the store under its locks.
 */
export function policyRefusal(snapshot: Snapshot, cohort: Cohort, call: DecisionRequest, now = Date.now()): PolicyRefusal {
  let ev: Evaluation;
  try {
    ev = evaluate(call, snapshot, { now, cohort });
  } catch (err) {
    // A policy that cannot be evaluated fails closed for an action someone had to approve.
    return { reason: { primitive: "failsafe", message: `the policy failed to evaluate (${(err as Error).message})` }, policyVersion: snapshot.policyVersion };
  }
  if (ev.decision !== "deny" || ev.primitive === "kill_switch" || ev.primitive === "read_only") return null;
  if (!isEnforced(snapshot, call.agent, ev)) return null;
  return { reason: ev.reasons[0]!, policyVersion: ev.policyVersion };
}

/**
 * policyRefusal of each request under the committed state, compiled the way the data plane
 * compiles it (each session's rollout cohort included), for the console: the request page and
 * the queue's rows. Keyed by request id; a request the policy still allows is left out.
 */
export async function committedPolicyRefusals(db: Db, requests: readonly AskedRequest[], now = Date.now()): Promise<Map<string, NonNullable<PolicyRefusal>>> {
  const out = new Map<string, NonNullable<PolicyRefusal>>();
  if (requests.length === 0) return out;
  const { stable, canary } = await committedSnapshots(db);
  const rows = await db.decisionLog.findMany({ where: { id: { in: requests.map((r) => r.decisionId) } }, select: { id: true, request: true } });
  const asked = new Map(rows.map((row) => [row.id, row.request]));
  for (const r of requests) {
    const routed = routeSession(stable, canary, r.session);
    const refusal = policyRefusal(routed.snapshot, routed.cohort, callOf(r, asked.get(r.decisionId)), now);
    if (refusal) out.set(r.id, refusal);
  }
  return out;
}
