import type { Db } from "@/lib/db/client";
import { agreementSummary, errorSummary, humanDecision, type Verdict } from "@/lib/calibration/summary";

const MAX_POINTS = 2000;
const MAX_ADVISORY = 5000;

/** Predicted (server, agent, and the max the decision used) against observed blast radius. */
export async function blastCalibration(db: Db, filter: { agent?: string } = {}) {
  const outcomes = await db.decisionOutcome.findMany({
    where: { observedBlastRadius: { not: null }, ...(filter.agent ? { agentId: filter.agent } : {}) },
    orderBy: { id: "desc" },
    take: MAX_POINTS,
  });
  const logs = await db.decisionLog.findMany({
    where: { id: { in: outcomes.map((o) => o.decisionId) } },
    select: { id: true, agentId: true, tool: true, at: true, serverBlastRadius: true, agentBlastRadius: true, request: true },
  });
  const byId = new Map(logs.map((l) => [l.id, l]));
  const points = outcomes.flatMap((o) => {
    const l = byId.get(o.decisionId);
    if (!l || (l.serverBlastRadius === null && l.agentBlastRadius === null)) return [];
    const predicted = Math.max(l.serverBlastRadius ?? 0, l.agentBlastRadius ?? 0);
    const service = (l.request as { target?: { service?: string } }).target?.service ?? null;
    return [{ decisionId: l.id, agent: l.agentId, tool: l.tool, service, at: l.at.toISOString(), outcome: o.outcome, server: l.serverBlastRadius, agentPredicted: l.agentBlastRadius, predicted, observed: o.observedBlastRadius! }];
  });
  return { points, summary: errorSummary(points) };
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
