import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { tokenAuthenticator } from "@/lib/auth/token-auth";
import { approvalStatus, executeApproval } from "@/lib/dataplane/approvals";
import { publicKeys } from "@/lib/audit/keys";
import { assertActsFor, decide } from "@/lib/dataplane/decide";
import { openApiDocument } from "@/lib/dataplane/openapi";
import { recordFailsafeReports, FailsafeReport } from "@/lib/dataplane/failsafe-reports";
import { recordOutcome } from "@/lib/dataplane/outcomes";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { DecideRequest, OutcomeRequest, SchemaStateRequest, ToolsQuery } from "@/lib/dataplane/schemas";
import { reportSchemaState } from "@/lib/schema-state/report";
import { openStream } from "@/lib/dataplane/stream";
import { AppError } from "@/lib/errors";
import { readJson, sendJson } from "@/lib/http/node-http";
import { decodePathParam } from "@/lib/http/router";
import { parseInput } from "@/lib/http/validate";
import { visibleTools } from "@/lib/policy/evaluate";
import { route } from "@/lib/rollouts/route";

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  dp: DataPlane;
  principal: Principal;
}

type Handler = (ctx: Ctx) => Promise<unknown> | unknown;

/** Agent endpoints: every one needs an agent token, except the API description itself. */
const ROUTES: Record<string, { method: "GET" | "POST"; handler: Handler; public?: boolean }> = {
  // POST /api/v1/decide – evaluate one tool call
  "/api/v1/decide": { method: "POST", handler: async ({ req, dp, principal }) => decide(dp, principal, parseInput(DecideRequest, await readJson(req))) },
  // GET /api/v1/tools – the tools this agent may see for a tenant (presentation layer)
  "/api/v1/tools": {
    method: "GET",
    handler: ({ url, dp, principal }) => {
      const q = parseInput(ToolsQuery, Object.fromEntries(url.searchParams));
      if (q.agent !== undefined) assertActsFor(principal, q.agent);
      // A session in a rollout's canary sees the candidate's tools, as its decisions use them.
      const snap = q.session === undefined ? dp.holder.current : route(dp, q.session).snapshot;
      return { tools: visibleTools(snap, principal.agentId!, q.tenant), policyVersion: snap.policyVersion, generation: snap.generation };
    },
  },
  // GET /api/v1/policy/generation – cheap change check for polling clients
  "/api/v1/policy/generation": {
    method: "GET",
    handler: ({ dp }) => ({ generation: dp.holder.current.generation, policyVersion: dp.holder.current.policyVersion }),
  },
  // GET /api/v1/policy/snapshot – what the SDK compiles to evaluate locally
  "/api/v1/policy/snapshot": { method: "GET", handler: ({ dp }) => dp.holder.source },
  // GET /api/v1/policy/stream – Server-Sent Events, one per generation
  "/api/v1/policy/stream": { method: "GET", handler: ({ req, res, dp }) => openStream(dp, req, res) },
  // POST /api/v1/outcomes – what happened after an allowed call
  "/api/v1/outcomes": {
    method: "POST",
    handler: async ({ req, dp, principal }) => recordOutcome(dp, principal, parseInput(OutcomeRequest, await readJson(req))),
  },
  // POST /api/v1/schema-state – the schema this agent observes in one database (drift detection)
  "/api/v1/schema-state": {
    method: "POST",
    handler: async ({ req, dp, principal }) => reportSchemaState(dp.store.prisma, principal, parseInput(SchemaStateRequest, await readJson(req))),
  },
  // POST /api/v1/failsafe-reports – decisions an SDK made on its own while Governor was unreachable
  "/api/v1/failsafe-reports": {
    method: "POST",
    handler: async ({ req, dp, principal }) => {
      const body = parseInput(z.object({ decisions: z.array(FailsafeReport).min(1).max(10_000) }), await readJson(req));
      for (const d of body.decisions) assertActsFor(principal, d.request.agent);
      return recordFailsafeReports(dp, principal, body.decisions);
    },
  },
  // GET /api/v1/audit/keys – the public keys that verify audit checkpoints (public by nature)
  "/api/v1/audit/keys": { method: "GET", public: true, handler: async ({ dp }) => ({ keys: await publicKeys(dp.store.prisma) }) },
  // GET /api/v1/openapi.json – this API, described from the same zod schemas
  "/api/v1/openapi.json": { method: "GET", public: true, handler: () => openApiDocument() },
};

const APPROVAL_PATH = /^\/api\/v1\/approvals\/([^/]+)(\/execute)?$/;

/** Every fixed data-plane path and whether it needs an agent token (the scope test walks them). */
export const DATA_PLANE_PATHS = Object.entries(ROUTES).map(([path, r]) => ({ path, method: r.method, public: r.public === true }));

export function isDataPlanePath(pathname: string): boolean {
  return Object.hasOwn(ROUTES, pathname) || APPROVAL_PATH.test(pathname);
}

async function agentPrincipal(dp: DataPlane, req: IncomingMessage): Promise<Principal> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!m) throw new AppError("unauthenticated", "Send the agent's token as \"Authorization: Bearer gov_agent_…\".");
  const principal = await tokenAuthenticator(dp.store).authenticate(m[1]!);
  if (principal.via !== "agent_token") throw new AppError("forbidden", "The data plane needs an agent token (gov_agent_…); personal tokens are for /api/v1/admin.");
  return principal;
}

// GET /api/v1/approvals/:id?wait= – where an approval stands (long-poll)
// POST /api/v1/approvals/:id/execute – the one execution an approved request allows
async function handleApproval(dp: DataPlane, req: IncomingMessage, res: ServerResponse, url: URL, m: RegExpExecArray): Promise<void> {
  const id = decodePathParam("id", m[1]!);
  const method = m[2] ? "POST" : "GET";
  if (req.method !== method) {
    res.setHeader("allow", method);
    throw new AppError("bad_request", `${req.method} is not supported on ${url.pathname}; use ${method}.`);
  }
  const principal = await agentPrincipal(dp, req);
  const body = m[2] ? await executeApproval(dp, principal, id) : await approvalStatus(dp, principal, id, url, req);
  if (!res.headersSent && !req.destroyed) sendJson(res, 200, body);
}

export async function handleDataPlane(dp: DataPlane, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const approval = APPROVAL_PATH.exec(url.pathname);
  if (approval) return handleApproval(dp, req, res, url, approval);
  const route = ROUTES[url.pathname]!;
  if (req.method !== route.method) {
    res.setHeader("allow", route.method);
    throw new AppError("bad_request", `${req.method} is not supported on ${url.pathname}; use ${route.method}.`);
  }
  const principal = route.public ? ({} as Principal) : await agentPrincipal(dp, req);
  const body = await route.handler({ req, res, url, dp, principal });
  if (!res.headersSent) sendJson(res, 200, body);
}
