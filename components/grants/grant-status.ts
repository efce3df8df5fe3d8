// A sandbox grant as the console reads it, and how it stands now: the server keeps only
// revokedAt and expiresAt, so active / expired / revoked is worked out here.
import { duration, utc } from "@/components/approvals/format";

export interface Grant {
  id: string;
  agentId: string;
  tools: string[];
  resourcePattern: string | null;
  expiresAt: string;
  revokeOnFailure: boolean;
  reason: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

export type GrantStatus = "active" | "expired" | "revoked";

export function grantStatus(g: Pick<Grant, "revokedAt" | "expiresAt">, now = Date.now()): GrantStatus {
  if (g.revokedAt) return "revoked";
  return Date.parse(g.expiresAt) <= now ? "expired" : "active";
}

// lib/grants/grants.ts writes this reason when an agent reports a failed outcome.
const AUTO_REVOKE = /^outcome "([^"]+)" reported for decision (\S+)$/;

/** How the grant ends or ended, in one sentence. */
export function grantEnding(g: Grant, now = Date.now()): string {
  const status = grantStatus(g, now);
  if (status === "active") return `Ends in ${duration(Date.parse(g.expiresAt) - now)} (${utc(g.expiresAt)})${g.revokeOnFailure ? ", or at the first failed outcome" : ""}.`;
  if (status === "expired") return `Ran its course: expired at ${utc(g.expiresAt)}.`;
  const auto = g.revokedReason ? AUTO_REVOKE.exec(g.revokedReason) : null;
  if (auto) return `Auto-revoked at ${utc(g.revokedAt)}: the agent reported outcome "${auto[1]}" for decision ${auto[2]}.`;
  return `Revoked at ${utc(g.revokedAt)}${g.revokedReason ? `: ${g.revokedReason}` : " (no reason given)"}.`;
}

/** Active grants first, soonest to end first; then the ended ones, newest first. */
export function sortGrants(grants: Grant[], now = Date.now()): Grant[] {
  const active = (g: Grant) => grantStatus(g, now) === "active";
  return [...grants].sort((a, b) => {
    if (active(a) !== active(b)) return active(a) ? -1 : 1;
    return active(a) ? Date.parse(a.expiresAt) - Date.parse(b.expiresAt) : Date.parse(b.createdAt) - Date.parse(a.createdAt);
  });
}
