// Its own module, free of the engine, so the console's access table can import it.
import type { AccessCell, AgentAccess } from "@/lib/agents/access";

/** One cell where a rollout's candidate answers a plain call differently from the live version. */
export interface CanaryDifference {
  tool: string;
  tenant: string;
  /** The candidate's cell; null when it has none (see `why`). */
  canary: AccessCell | null;
  /** Why the candidate has no cell: it takes the tool off the agent's list, or drops the tenant. */
  why?: string;
}

/**
 * Every live cell the candidate answers differently, for the agent page and the CLI. Tools only
 * the candidate allows are not cells of the live table; `added` lists them.
 */
export function canaryDifferences(stable: AgentAccess, canary: AgentAccess): { cells: CanaryDifference[]; added: string[] } {
  const cells: CanaryDifference[] = [];
  for (const t of stable.tools) {
    const ct = canary.tools.find((x) => x.tool === t.tool);
    for (const c of t.tenants) {
      const cc = ct?.tenants.find((x) => x.tenant === c.tenant);
      if (!ct) cells.push({ tool: t.tool, tenant: c.tenant, canary: null, why: "off its allow list" });
      else if (!cc) cells.push({ tool: t.tool, tenant: c.tenant, canary: null, why: `no tenant ${c.tenant}` });
      else if (cc.decision !== c.decision || cc.primitive !== c.primitive) cells.push({ tool: t.tool, tenant: c.tenant, canary: cc });
    }
  }
  const added = canary.tools.filter((t) => !stable.tools.some((s) => s.tool === t.tool)).map((t) => t.tool);
  return { cells, added };
}
