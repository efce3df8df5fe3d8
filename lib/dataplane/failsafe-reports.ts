import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { DecideRequest } from "@/lib/dataplane/schemas";

export const FailsafeReport = z.object({
  decisionId: z.string().uuid(),
  at: z.iso.datetime({ message: "must be an ISO 8601 time" }),
  request: DecideRequest,
  decision: z.enum(["allow", "deny"]),
  failsafe: z.enum(["security_critical", "operational"]),
  error: z.string().max(500).optional(),
});

/**
 * Logs decisions an SDK made by itself while its breaker was open (security-critical tools
 * denied, operational tools allowed), marked failsafe so they stand out in the audit evidence.
 */
export function recordFailsafeReports(dp: DataPlane, principal: Principal, reports: z.output<typeof FailsafeReport>[]) {
  const snap = dp.holder.current;
  for (const r of reports) {
    dp.log.push({
      id: r.decisionId,
      at: new Date(r.at),
      agentId: r.request.agent,
      tenant: r.request.tenant,
      session: r.request.session,
      tool: r.request.tool,
      request: r.request as object,
      decision: r.decision,
      primitive: "failsafe",
      reasons: [{ primitive: "failsafe", message: `Decided by the SDK while Governor was unreachable (${r.failsafe}): ${r.error ?? "no answer"}` }],
      policyVersion: snap.policyVersion,
      generation: snap.generation,
      cohort: "stable",
      latencyUs: 0,
      tokenId: principal.tokenId ?? null,
      grantId: null,
      failsafe: true,
    });
  }
  return { recorded: reports.length };
}
