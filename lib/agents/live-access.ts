import type { Db } from "@/lib/db/client";
import { agentAccess, type AgentAccess } from "@/lib/agents/access";
import { committedSnapshots } from "@/lib/dataplane/committed-snapshots";

export interface LiveAccess {
  stable: AgentAccess;
  /** During a rollout, what the candidate gives the sessions routed to it. */
  canary: (AgentAccess & { rolloutId: string; percent: number }) | null;
}

/**
 * The agent's access under the committed state, compiled the way the data plane compiles it
 * (same source, same compiler), for the console's agent page.
 */
export async function liveAccess(db: Db, agent: string, now = Date.now()): Promise<LiveAccess> {
  const { stable, canary } = await committedSnapshots(db);
  return {
    stable: agentAccess(stable, agent, now),
    canary: canary ? { rolloutId: canary.id, percent: canary.percent, ...agentAccess(canary.snapshot, agent, now) } : null,
  };
}
