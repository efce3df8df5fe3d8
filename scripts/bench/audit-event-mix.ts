// The audit events the audit benchmarks append: a mix of actors, actions and tools, the same in
// audit-bench.ts and the offline-verify benchmark's bundle, so their figures compare.
// No "decisions.seal": the verifier rightly insists that a seal event carries a Merkle root.
const ACTIONS = ["policy.apply_changeset", "control.activate", "control.deactivate", "approval.vote.approve", "approval.request", "token.create", "auth.login", "grant.create"];
const TOOLS = ["search_kb", "send_email", "refund_payment", "restart_service", "drop_table"];
const USERS = ["admin", "oncall", "editor", "reviewer1", "reviewer2", "reviewer3", "auditor"];

/** The i-th benchmark event. */
export function auditBenchEvent(i: number) {
  const actor = USERS[i % USERS.length]!;
  const tool = TOOLS[i % TOOLS.length]!;
  return {
    actor: { type: "user" as const, id: actor, name: actor },
    action: ACTIONS[i % ACTIONS.length]!,
    target: `${tool}:${i % 997}`,
    after: { tool, agentId: i % 2 ? "support-bot" : "ops-bot", n: i },
    reason: i % 10 === 0 ? `ticket INC-${i}` : undefined,
  };
}
