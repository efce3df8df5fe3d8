import type { Db } from "@/lib/db/client";
import { agreementSummary, errorSummary, humanDecision, type Verdict } from "@/lib/calibration/summary";

const MAX_POINTS = 2000;
const MAX_ADVISORY = 5000;

/**
 * Predicted (server, agent, and the max the decision used) against observed blast radius, newest
 * outcome first. One statement that reads only the columns a point shows: the service comes out
 * of the stored request in the store, because reading 2,000 requests back through Prisma (to take
 * one field of each) cost the event loop that answers decisions 68 ms of CPU a call (now 40 ms,
 * docs/BENCHMARKS.md §7), every 15 s while the Calibration page is open.
 */
export async function blastCalibration(db: Db, filter: { agent?: string } = {}) {
  const rows = await db.$queryRawUnsafe<{ decisionId: string; agent: string; tool: string; service: string | null; at: Date | string; outcome: string; server: number | null; agentPredicted: number | null; observed: number }[]>(
    `WITH o AS (
       SELECT "id", "decisionId", "outcome", "observedBlastRadius" AS observed FROM "DecisionOutcome"
        WHERE "observedBlastRadius" IS NOT NULL ${filter.agent ? `AND "agentId" = $2` : ""}
        ORDER BY "id" DESC LIMIT $1
     )
     SELECT d."id" AS "decisionId", d."agentId" AS agent, d."tool", d."request"->'target'->>'service' AS service, d."at",
            o."outcome", d."serverBlastRadius" AS server, d."agentBlastRadius" AS "agentPredicted", o.observed
       FROM o JOIN "DecisionLog" d ON d."id" = o."decisionId"
      WHERE d."serverBlastRadius" IS NOT NULL OR d."agentBlastRadius" IS NOT NULL
      ORDER BY o."id" DESC`,
    MAX_POINTS,
    ...(filter.agent ? [filter.agent] : []),
  );
  const points = rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), predicted: Math.max(r.server ?? 0, r.agentPredicted ?? 0) }));
  return { points, summary: errorSummary(points) };
}

/**
 * blastCalibration's summary alone, computed in the store over the same outcomes: the agent page
 * polls it, and building 2,000 points in JavaScript (each decision's request read back to name
 * its service) held the event loop that answers decisions for 15–35 ms a call.
 */
export async function blastSummary(db: Db, filter: { agent?: string } = {}): Promise<ReturnType<typeof errorSummary>> {
  const [row] = await db.$queryRawUnsafe<{ n: number; mae: number; bias: number; under: number }[]>(
    `WITH o AS (
       SELECT "decisionId", "observedBlastRadius" AS observed FROM "DecisionOutcome"
        WHERE "observedBlastRadius" IS NOT NULL ${filter.agent ? `AND "agentId" = $2` : ""}
        ORDER BY "id" DESC LIMIT $1
     ), e AS (
       SELECT greatest(coalesce(d."serverBlastRadius", 0), coalesce(d."agentBlastRadius", 0)) - o.observed AS e
         FROM o JOIN "DecisionLog" d ON d."id" = o."decisionId"
        WHERE d."serverBlastRadius" IS NOT NULL OR d."agentBlastRadius" IS NOT NULL
     )
     SELECT count(*)::int AS n, avg(abs(e))::float8 AS mae, avg(e)::float8 AS bias, avg(CASE WHEN e < -1e-9 THEN 1 ELSE 0 END)::float8 AS under FROM e`,
    MAX_POINTS,
    ...(filter.agent ? [filter.agent] : []),
  );
  const n = row?.n ?? 0;
  // avg() is NULL only over no rows, which n === 0 covers.
  return n === 0 ? { n: 0, meanAbsoluteError: null, bias: null, underPredicted: null } : { n, meanAbsoluteError: row!.mae, bias: row!.bias, underPredicted: row!.under };
}

/** For decisions made while an agent was advisory: the policy's verdict against the humans'. */
export async function advisoryAgreement(db: Db, filter: { agent?: string } = {}) {
  const decisions = await db.decisionLog.findMany({
    where: { enforced: false, ...(filter.agent ? { agentId: filter.agent } : {}) },
    orderBy: { at: "desc" },
    take: MAX_ADVISORY,
    select: { id: true, agentId: true, decision: true },
  });
  const ids = decisions.map((d) => d.id);
  const requests = await db.actionRequest.findMany({ where: { decisionId: { in: ids } }, select: { decisionId: true, status: true } });
  const outcomes = await db.decisionOutcome.findMany({ where: { decisionId: { in: ids } }, select: { decisionId: true, outcome: true } });
  const status = new Map(requests.map((r) => [r.decisionId, r.status]));
  const reported = new Map<string, string[]>();
  for (const o of outcomes) reported.set(o.decisionId, [...(reported.get(o.decisionId) ?? []), o.outcome]);
  const perAgent = new Map<string, { verdict: Verdict; human: ReturnType<typeof humanDecision> }[]>();
  for (const d of decisions) {
    const verdict = d.decision as Verdict;
    const rows = perAgent.get(d.agentId) ?? [];
    rows.push({ verdict, human: humanDecision(verdict, status.get(d.id), reported.get(d.id) ?? []) });
    perAgent.set(d.agentId, rows);
  }
  return [...perAgent.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([agent, rows]) => ({ agent, ...agreementSummary(rows) }));
}
