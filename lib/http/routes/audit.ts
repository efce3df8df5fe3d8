import { z } from "zod";
import { listAuditEvents } from "@/lib/audit/list";
import { verifyChain } from "@/lib/audit/verify";
import { parseInput } from "@/lib/http/validate";
import type { Route } from "@/lib/http/router";

const AuditQuery = z.object({
  before: z.coerce.number().int().positive("must be a positive sequence number").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  action: z.string().max(100).optional(),
});

// The audit log.
export const AUDIT_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/v1/admin/audit",
    permission: "audit.read",
    handler: async ({ store, url }) => {
      const q = parseInput(AuditQuery, Object.fromEntries(url.searchParams));
      return listAuditEvents(store.prisma, q);
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/verify",
    permission: "audit.read",
    handler: async ({ store }) => verifyChain(store.prisma),
  },
];
