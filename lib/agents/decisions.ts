import { z } from "zod";
import { DecisionQuery, listDecisions } from "@/lib/audit/list";
import type { Db } from "@/lib/db/client";

export const AgentDecisionQuery = DecisionQuery.pick({ verdict: true, tool: true, tenant: true, cursor: true }).extend({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(100, "must be at most 100").default(25),
});

/** A logged decision as the agent page lists it. */
export interface DecisionLine {
  id: string;
  at: string;
  tool: string;
  tenant: string;
  session: string;
  decision: string;
  primitive: string | null;
  /** The first reason's message: what the agent was told. */
  message: string | null;
  cohort: string;
  policyVersion: number;
  latencyUs: number;
  failsafe: boolean;
  /** False for an advisory agent's verdict; null on rows from before advisory mode. */
  enforced: boolean | null;
}

function firstMessage(reasons: unknown): string | null {
  const first: unknown = Array.isArray(reasons) ? reasons[0] : undefined;
  const message = first && typeof first === "object" ? (first as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : null;
}

/**
 * One agent's latest decisions for everyone who reads the console. The request's arguments and
 * target are left out: they are audit evidence, read in the audit browser (audit.read).
 */
export async function agentDecisions(db: Db, agent: string, q: z.output<typeof AgentDecisionQuery>): Promise<{ decisions: DecisionLine[]; nextCursor: string | null }> {
  const { decisions, nextCursor } = await listDecisions(db, { ...q, agent });
  return {
    nextCursor,
    decisions: decisions.map((d) => ({
      id: d.id,
      at: d.at.toISOString(),
      tool: d.tool,
      tenant: d.tenant,
      session: d.session,
      decision: d.decision,
      primitive: d.primitive,
      message: firstMessage(d.reasons),
      cohort: d.cohort,
      policyVersion: d.policyVersion,
      latencyUs: d.latencyUs,
      failsafe: d.failsafe,
      enforced: d.enforced,
    })),
  };
}
