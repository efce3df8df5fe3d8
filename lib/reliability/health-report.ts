import type { DataPlane } from "@/lib/dataplane/runtime";
import type { ReliabilityStatus } from "@/lib/reliability/reliability";

export interface DegradedPart {
  component: "database" | "enforcement";
  since: string;
  message: string;
}

/**
 * The reliability part of GET /api/health: `degraded` (with what is down and since when) while
 * the database is unreachable or the enforcement circuit is not closed. Still HTTP 200: the
 * instance keeps deciding, and a load balancer must not take every instance out at once
 * because the database they share went away.
 */
export function reliabilityHealth(dp: DataPlane): { status: "ok" | "degraded"; degraded: DegradedPart[]; reliability: ReliabilityStatus } {
  const s = dp.reliability.status();
  const degraded: DegradedPart[] = [];
  if (!s.database.up) {
    degraded.push({
      component: "database",
      since: s.database.since,
      message: `The database is unreachable (${s.database.detail ?? "no answer"}). Decisions continue from the policy snapshot of generation ${dp.holder.current.generation}; rate limits count per instance (approximate); calls that need approval are denied; changes are refused; decision and audit records are journaled on this instance and replayed when the database is back.`,
    });
  }
  if (s.circuit.state !== "closed") {
    degraded.push({
      component: "enforcement",
      since: s.circuit.since,
      message: `The enforcement circuit is ${s.circuit.state === "open" ? "open" : "half-open (probing)"} on ${s.instance}: ${s.circuit.reason}. ${s.circuit.state === "open" ? "Decisions follow each tool's failsafe category: security-critical tools are denied, operational tools allowed and marked failsafe." : "A sample of decisions goes through the engine again; the rest follow the failsafe category."}`,
    });
  }
  return { status: degraded.length ? "degraded" : "ok", degraded, reliability: s };
}
