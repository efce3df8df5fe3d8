import { z } from "zod";
import { AgentDecisionQuery, agentDecisions } from "@/lib/agents/decisions";
import { liveAccess } from "@/lib/agents/live-access";
import { RECENT_MINUTES, recentActivity } from "@/lib/agents/recent";
import { StageInput, setAgentStage, stageHistory } from "@/lib/agents/stage";
import { countWaiting } from "@/lib/approvals/requests";
import { advisoryAgreement, blastCalibration, blastSummary } from "@/lib/calibration/figures";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/node-http";
import { parseInput, parseQuery } from "@/lib/http/validate";
import type { Route } from "@/lib/http/router";

const Filter = z.object({ agent: z.string().min(1).max(128).optional() });

// Agents' adoption stages and the calibration figures that justify promoting them.
export const AGENT_ROUTES: Route[] = [
  // GET /api/v1/admin/agents – every agent with its stage and its last 15 minutes of verdicts
  {
    method: "GET",
    path: "/api/v1/admin/agents",
    permission: "console.read",
    handler: async ({ store }) => {
      const agents = await store.prisma.agent.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, description: true, stage: true } });
      const recent = await recentActivity(store.prisma, agents.map((a) => a.id));
      return { recentMinutes: RECENT_MINUTES, agents: agents.map((a) => ({ ...a, recent: recent.get(a.id)! })) };
    },
  },
  // GET /api/v1/admin/agents/:name – stage, its history, the agreement figures, and what it may
  // call now, per tool and tenant (the engine's verdict on a plain call; see lib/agents/access.ts)
  {
    method: "GET",
    path: "/api/v1/admin/agents/:name",
    permission: "console.read",
    handler: async ({ store, params }) => {
      const agent = await store.prisma.agent.findUnique({ where: { id: params.name! }, select: { id: true, name: true, description: true, stage: true, createdAt: true } });
      if (!agent) throw new AppError("not_found", `No agent named "${params.name}".`);
      const [agreement] = await advisoryAgreement(store.prisma, { agent: agent.id });
      return {
        agent,
        agreement: agreement ?? null,
        blast: await blastSummary(store.prisma, { agent: agent.id }),
        history: await stageHistory(store.prisma, agent.id),
        access: await liveAccess(store.prisma, agent.id),
        recent: (await recentActivity(store.prisma, [agent.id])).get(agent.id)!,
        // Its requests waiting for reviewers: after a stop, what someone still has to clear.
        approvals: await countWaiting(store.prisma, { agentId: agent.id, status: "pending", expiresAt: { gt: new Date() } }),
      };
    },
  },
  // GET /api/v1/admin/agents/:name/decisions?verdict=&tool=&tenant=&cursor=&limit= – its latest
  // decisions, without arguments (those are audit evidence: /api/v1/admin/audit/decisions)
  {
    method: "GET",
    path: "/api/v1/admin/agents/:name/decisions",
    permission: "console.read",
    handler: async ({ store, params, url }) => {
      const q = parseQuery(AgentDecisionQuery, url.searchParams);
      if (!(await store.prisma.agent.findUnique({ where: { id: params.name! }, select: { id: true } }))) throw new AppError("not_found", `No agent named "${params.name}".`);
      return agentDecisions(store.prisma, params.name!, q);
    },
  },
  // POST /api/v1/admin/agents/:name/stage – promote or demote, with a reason (audited)
  {
    method: "POST",
    path: "/api/v1/admin/agents/:name/stage",
    permission: "policy.write",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(StageInput, await readJson(req));
      const { result, generation } = await setAgentStage({ db: store.prisma, principal, agentId: params.name!, input });
      return { agent: result, generation };
    },
  },
  // GET /api/v1/admin/calibration?agent= – predicted vs observed blast radius, advisory agreement
  {
    method: "GET",
    path: "/api/v1/admin/calibration",
    permission: "console.read",
    handler: async ({ store, url }) => {
      const filter = parseQuery(Filter, url.searchParams);
      return { blast: await blastCalibration(store.prisma, filter), agreement: await advisoryAgreement(store.prisma, filter) };
    },
  },
];
