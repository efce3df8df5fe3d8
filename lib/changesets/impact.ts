import type { Db } from "@/lib/db/client";
import type { Snapshot } from "@/lib/policy/compile";
import { evaluate, type DecisionRequest, type Verdict } from "@/lib/policy/evaluate";

export interface Flip {
  decisionId: string;
  at: string;
  agent: string;
  tenant: string;
  tool: string;
  from: { decision: Verdict; primitive: string | null };
  to: { decision: Verdict; primitive: string | null; reason: string | null };
}

export interface Impact {
  window: { since: string; until: string };
  replayed: number;
  flipped: number;
  byTool: Record<string, number>;
  byAgent: Record<string, number>;
  byPrimitive: Record<string, number>;
  byDirection: Record<string, number>;
  examples: Flip[];
  elapsedMs: number;
  note: string;
}

const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);

/**
 * Replays recorded decisions through the live policy and the candidate and counts verdicts
 * that flip. Both sides run the same pure evaluate() under the same runtime controls, so the
 * difference is the policy change alone; rate-limit counters are state, not policy, and are
 * not replayed.
 */
export async function impactPreview(db: Db, opts: { live: Snapshot; candidate: Snapshot; sinceMs: number; limit: number; examples?: number }): Promise<Impact> {
  const started = performance.now();
  const until = new Date();
  const since = new Date(until.getTime() - opts.sinceMs);
  const rows = await db.decisionLog.findMany({
    where: { at: { gte: since }, failsafe: false },
    orderBy: { at: "desc" },
    take: opts.limit,
    select: { id: true, at: true, request: true },
  });
  const impact: Impact = {
    window: { since: since.toISOString(), until: until.toISOString() },
    replayed: rows.length,
    flipped: 0,
    byTool: {},
    byAgent: {},
    byPrimitive: {},
    byDirection: {},
    examples: [],
    elapsedMs: 0,
    note: "Rate-limit counters are not replayed: both sides see every limit as unused.",
  };
  const maxExamples = opts.examples ?? 10;
  for (const row of rows) {
    const req = row.request as unknown as DecisionRequest;
    const state = { now: row.at.getTime(), cohort: "stable" as const };
    const a = evaluate(req, opts.live, state);
    const b = evaluate(req, opts.candidate, state);
    if (a.decision === b.decision) continue;
    impact.flipped++;
    bump(impact.byTool, req.tool);
    bump(impact.byAgent, req.agent);
    bump(impact.byPrimitive, b.primitive ?? a.primitive ?? "none");
    bump(impact.byDirection, `${a.decision} → ${b.decision}`);
    if (impact.examples.length < maxExamples) {
      impact.examples.push({
        decisionId: row.id,
        at: row.at.toISOString(),
        agent: req.agent,
        tenant: req.tenant,
        tool: req.tool,
        from: { decision: a.decision, primitive: a.primitive },
        to: { decision: b.decision, primitive: b.primitive, reason: b.reasons[0]?.message ?? null },
      });
    }
  }
  impact.elapsedMs = Math.round(performance.now() - started);
  return impact;
}
