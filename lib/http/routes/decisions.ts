import { ActivityQuery, decisionActivity } from "@/lib/decisions/activity";
import type { Route } from "@/lib/http/router";
import { parseQuery } from "@/lib/http/validate";

// Decision traffic for the console's overview.
export const DECISION_ROUTES: Route[] = [
  {
    // GET /api/v1/admin/decisions/activity – verdicts per time bucket and what refused most
    method: "GET",
    path: "/api/v1/admin/decisions/activity",
    permission: "console.read",
    handler: async ({ store, url }) => decisionActivity(store.prisma, parseQuery(ActivityQuery, url.searchParams)),
  },
];
