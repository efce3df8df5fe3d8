import type { Db } from "@/lib/db/client";
import { agentAccess, type AgentAccess } from "@/lib/agents/access";
import { loadSnapshotSource } from "@/lib/dataplane/snapshot-holder";
import { compile } from "@/lib/policy/compile";
import { compileCanary } from "@/lib/rollouts/route";

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
  const source = await loadSnapshotSource(db);
  const canary = compileCanary(source);
  return {
    stable: agentAccess(compile(source.document, source.overlay, source), agent, now),
    canary: canary ? { rolloutId: canary.id, percent: canary.percent, ...agentAccess(canary.snapshot, agent, now) } : null,
  };
}
