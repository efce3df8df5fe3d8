import { glance } from "@/lib/overview/glance";
import type { Route } from "@/lib/http/router";

// The console's overview tiles.
export const OVERVIEW_ROUTES: Route[] = [
  {
    // GET /api/v1/admin/overview – live policy, rollout, approvals waiting, change sets in review
    method: "GET",
    path: "/api/v1/admin/overview",
    permission: "console.read",
    handler: async ({ store }) => ({ store: store.kind, ...(await glance(store.prisma)) }),
  },
];
