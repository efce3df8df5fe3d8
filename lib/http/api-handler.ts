import type { IncomingMessage, ServerResponse } from "node:http";
import { assertCan } from "@/lib/auth/permissions";
import { readGeneration } from "@/lib/db/generation";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { handleDataPlane, isDataPlanePath } from "@/lib/dataplane/routes";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ADMIN_ROUTES } from "@/lib/http/admin-routes";
import { authenticate } from "@/lib/http/authenticate";
import { clientIp, sendError, sendJson } from "@/lib/http/node-http";
import { compileRoutes, matchRoute } from "@/lib/http/router";
import { VERSION } from "@/lib/version";
import { reliabilityHealth } from "@/lib/reliability/health-report";
import { storeUnavailableError } from "@/lib/reliability/store-health";

const adminRoutes = compileRoutes(ADMIN_ROUTES);

/** True when the path belongs to the API that server.ts answers without Next. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api/health" || pathname.startsWith("/api/v1/");
}

// GET /api/health – liveness, which store is in use, the current generation, and what is degraded
async function health(dp: DataPlane, res: ServerResponse): Promise<void> {
  const generation = dp.reliability.health.isUp ? await readGeneration(dp.store.prisma).catch(() => dp.holder.current.generation) : dp.holder.current.generation;
  const { status, ...reliability } = reliabilityHealth(dp);
  sendJson(res, 200, { status, store: dp.store.kind, generation, version: VERSION, policyVersion: dp.holder.current.policyVersion, ...reliability });
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, dp: DataPlane): Promise<void> {
  const store = dp.store;
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/api/health") return await health(dp, res);
    if (isDataPlanePath(url.pathname)) return await handleDataPlane(dp, req, res, url);

    const match = matchRoute(adminRoutes, req.method ?? "GET", url.pathname);
    if (!match) throw new AppError("not_found", `No API endpoint at ${req.method} ${url.pathname}.`);
    if ("methodNotAllowed" in match) {
      res.setHeader("allow", match.methodNotAllowed.join(", "));
      throw new AppError("bad_request", `${req.method} is not supported on ${url.pathname}; use ${match.methodNotAllowed.join(" or ")}.`);
    }
    // Without the store no one can be authenticated nor anything changed: say so at once.
    if (!dp.reliability.health.isUp) throw storeUnavailableError(req.method === "GET" || req.method === "HEAD");
    const request = { ip: clientIp(req, env().GOVERNOR_TRUST_PROXY), userAgent: req.headers["user-agent"] };
    const principal = await authenticate(store, req, request);
    assertCan(principal.role, match.route.permission);
    const body = await match.route.handler({ req, res, url, params: match.params, principal, store });
    const status = typeof match.route.status === "function" ? match.route.status(body) : (match.route.status ?? 200);
    if (!res.headersSent) sendJson(res, status, body);
  } catch (err) {
    if (!res.headersSent) sendError(res, err);
    else res.destroy();
  }
}
