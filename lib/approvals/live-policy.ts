import type { Db } from "@/lib/db/client";
import { loadSnapshotSource } from "@/lib/dataplane/snapshot-holder";
import { isEnforced } from "@/lib/policy/adoption";
import { compile, type Snapshot } from "@/lib/policy/compile";
import { evaluate, type Cohort, type DecisionRequest, type Evaluation, type Reason } from "@/lib/policy/evaluate";
import { cohortFor } from "@/lib/rollouts/hash";
import { compileCanary } from "@/lib/rollouts/route";

/** What the live policy says of an approved call now, when it refuses it. */
export type PolicyRefusal = { reason: Reason; policyVersion: number } | null;

/** The request fields the checks below read. */
export interface AskedRequest {
  decisionId: string;
  agentId: string;
  tenant: string;
  session: string;
  tool: string;
  args: unknown;
  blastRadius: number | null;
  reversal: string | null;
}

/**
 * The call as the agent asked it (target, origin, blast radius), from its decision's log row.
 * `flush` writes the decision log's buffer, for an approval given within its flush interval.
 */
export async function askedCall(db: Db, r: AskedRequest, flush?: () => Promise<void>): Promise<DecisionRequest> {
  const ids = { agent: r.agentId, tenant: r.tenant, session: r.session, tool: r.tool };
  const read = () => db.decisionLog.findUnique({ where: { id: r.decisionId }, select: { request: true } });
  const row = (await read()) ?? (flush ? await flush().then(read, () => null) : null);
  if (row) return { ...(row.request as unknown as DecisionRequest), ...ids };
  // Decided while the store was unreachable and not replayed yet: what the request itself kept.
  return { ...ids, args: r.args ?? undefined, blastRadius: r.blastRadius ?? undefined, reversal: r.reversal ?? undefined };
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
 * policyRefusal under the committed state, compiled the way the data plane compiles it (the
 * session's rollout cohort included), for the console's request page.
 */
export async function committedPolicyRefusal(db: Db, r: AskedRequest): Promise<PolicyRefusal> {
  const source = await loadSnapshotSource(db);
  const canary = compileCanary(source);
  const inCanary = canary !== null && cohortFor(canary.id, r.session, canary.percent) === "canary";
  const snapshot = inCanary ? canary.snapshot : compile(source.document, source.overlay, source);
  return policyRefusal(snapshot, inCanary ? "canary" : "stable", await askedCall(db, r));
}
