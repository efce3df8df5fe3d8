import { z } from "zod";
import { readJson } from "@/lib/http/node-http";
import { parseInput, parseQuery } from "@/lib/http/validate";
import type { Route } from "@/lib/http/router";
import { listRollouts, rolloutDetail, rolloutMetrics } from "@/lib/rollouts/read";
import { ReasonInput, StartRolloutInput } from "@/lib/rollouts/schemas";
import { startRollout } from "@/lib/rollouts/start";
import { controlRollout, type ManualAction } from "@/lib/rollouts/transitions";

const MetricsQuery = z.object({ minutes: z.coerce.number({ error: "must be a number of minutes" }).int().min(1, "must be at least 1").max(30 * 24 * 60, "must be at most 43200 (30 days)").default(60) });

const control = (action: ManualAction): Route => ({
  method: "POST",
  path: `/api/v1/admin/rollouts/:id/${action}`,
  permission: "rollouts.write",
  handler: async ({ store, principal, req, params }) => {
    const { reason } = parseInput(ReasonInput, await readJson(req));
    return controlRollout({ db: store.prisma, principal, id: params.id!, action, reason });
  },
});

// Policy rollouts: canary and blue-green, their manual control and their metrics.
export const ROLLOUT_ROUTES: Route[] = [
  // GET /api/v1/admin/rollouts – newest first, the active one marked
  { method: "GET", path: "/api/v1/admin/rollouts", permission: "console.read", handler: async ({ store }) => listRollouts(store.prisma) },
  // POST /api/v1/admin/rollouts – start a rollout of a change set or an existing version
  {
    method: "POST",
    path: "/api/v1/admin/rollouts",
    permission: "rollouts.write",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(StartRolloutInput, await readJson(req));
      const { id, candidateVersion, status } = await startRollout({ db: store.prisma, principal, input });
      return { id, candidateVersion, status };
    },
  },
  // GET /api/v1/admin/rollouts/:id – detail with stages and events
  { method: "GET", path: "/api/v1/admin/rollouts/:id", permission: "console.read", handler: async ({ store, params }) => rolloutDetail(store.prisma, params.id!) },
  // GET /api/v1/admin/rollouts/:id/metrics?minutes=60 – the dashboard's series, totals, comparisons and stage progress
  {
    method: "GET",
    path: "/api/v1/admin/rollouts/:id/metrics",
    permission: "console.read",
    handler: async ({ store, params, url }) => {
      const q = parseQuery(MetricsQuery, url.searchParams);
      return rolloutMetrics(store.prisma, params.id!, { minutes: q.minutes });
    },
  },
  control("pause"),
  control("resume"),
  control("advance"),
  control("promote"),
  control("abort"),
];
