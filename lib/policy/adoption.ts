import type { Snapshot } from "@/lib/policy/compile";
import type { Evaluation } from "@/lib/policy/evaluate";
import type { AgentStage } from "@/lib/policy/overlay";

/*
 * Phased adoption. An agent in `advisory` mode gets the real verdict with `enforced: false`: the
 * SDK lets the call proceed and the verdict is recorded so it can be compared with what humans
 * decide (lib/calibration). `enforced` agents are bound by the verdict. Agents not in the
 * stages table are enforced, so a new or unknown agent is never advisory by accident.
 *
 * Two verdicts bind in every stage: a kill switch (an operator's stop is never advisory) and a
 * destructive schema change waiting for human approval (it always needs a human).
 */
export function stageOf(snap: Snapshot, agent: string): AgentStage {
  return snap.agentStages.get(agent) ?? "enforced";
}

export function isEnforced(snap: Snapshot, agent: string, ev: Pick<Evaluation, "decision" | "primitive" | "approval">): boolean {
  if (stageOf(snap, agent) === "enforced") return true;
  return ev.primitive === "kill_switch" || ev.approval?.source === "schema_drift";
}
