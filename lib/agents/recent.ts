import type { Db } from "@/lib/db/client";

export interface RecentActivity {
  allow: number;
  deny: number;
  pending: number;
  /** The agent's newest logged decision, ISO 8601; null if it never asked. */
  lastDecisionAt: string | null;
}

export const RECENT_MINUTES = 15;

/**
 * Per agent: its verdicts over the last RECENT_MINUTES and when it last asked, for the agents
 * list ("is it running, is it being refused"). One grouped scan of the window on the (at) index,
 * and one index probe per agent on (agentId, at) for the newest decision.
 */
export async function recentActivity(db: Db, agents: readonly string[], now = new Date()): Promise<Map<string, RecentActivity>> {
  const out = new Map<string, RecentActivity>(agents.map((a) => [a, { allow: 0, deny: 0, pending: 0, lastDecisionAt: null }]));
  if (agents.length === 0) return out;
  const from = new Date(now.getTime() - RECENT_MINUTES * 60_000);
  const [counts, last] = await Promise.all([
    db.$queryRawUnsafe<{ agent: string; decision: string; n: number }[]>(
      `SELECT "agentId" AS agent, "decision", count(*)::int AS n FROM "DecisionLog"
        WHERE "at" >= $1 AND "at" <= $2 AND "agentId" = ANY($3::text[]) GROUP BY 1, 2`,
      from,
      now,
      agents,
    ),
    db.$queryRawUnsafe<{ agent: string; at: Date | null }[]>(
      `SELECT a AS agent, (SELECT max("at") FROM "DecisionLog" WHERE "agentId" = a) AS at FROM unnest($1::text[]) AS a`,
      agents,
    ),
  ]);
  for (const r of counts) {
    const s = out.get(r.agent);
    if (s && (r.decision === "allow" || r.decision === "deny" || r.decision === "pending")) s[r.decision] += r.n;
  }
  for (const r of last) {
    const s = out.get(r.agent);
    if (s && r.at) s.lastDecisionAt = new Date(r.at).toISOString();
  }
  return out;
}
