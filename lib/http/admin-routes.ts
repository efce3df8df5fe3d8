import { z } from "zod";
import { listAuditEvents } from "@/lib/audit/list";
import { verifyChain } from "@/lib/audit/verify";
import { CreateTokenInput, createToken, listTokens, revokeToken } from "@/lib/auth/tokens";
import { readJson } from "@/lib/http/node-http";
import type { Route } from "@/lib/http/router";
import { parseInput } from "@/lib/http/validate";
import { CreateUserInput, UpdateUserInput, createUser, listUsers, updateUser } from "@/lib/users/users";

const Reason = z.object({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() }).optional();
const AuditQuery = z.object({
  before: z.coerce.number().int().positive("must be a positive sequence number").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  action: z.string().max(100).optional(),
});

/**
 * Every /api/v1/admin endpoint: its method, path, permission and handler. The permission-matrix
 * test walks this list, so a route added here is covered for every role automatically.
 */
export const ADMIN_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/v1/admin/me",
    permission: "console.read",
    handler: async ({ principal }) => ({ actor: principal.actor, role: principal.role, via: principal.via }),
  },
  {
    method: "GET",
    path: "/api/v1/admin/users",
    permission: "users.read",
    handler: async ({ store }) => ({ users: await listUsers(store.prisma) }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/users",
    permission: "users.manage",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(CreateUserInput, await readJson(req));
      const { result, generation } = await createUser({ db: store.prisma, principal, input });
      return { user: result, generation };
    },
  },
  {
    method: "PATCH",
    path: "/api/v1/admin/users/:id",
    permission: "users.manage",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(UpdateUserInput, await readJson(req));
      const { result, generation } = await updateUser({ db: store.prisma, principal, userId: params.id!, input });
      return { user: result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/tokens",
    permission: "tokens.read",
    handler: async ({ store }) => ({ tokens: await listTokens(store.prisma) }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/tokens",
    permission: "tokens.manage",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(CreateTokenInput, await readJson(req));
      return createToken({ db: store.prisma, principal, input });
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/tokens/:id/revoke",
    permission: "tokens.manage",
    handler: async ({ store, principal, req, params }) => {
      const body = parseInput(Reason, await readJson(req));
      const { result, generation } = await revokeToken({ db: store.prisma, principal, tokenId: params.id!, reason: body?.reason });
      return { token: result, generation };
    },
  },
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
  {
    method: "GET",
    path: "/api/v1/admin/directory",
    permission: "console.read",
    handler: async ({ store }) => ({
      agents: await store.prisma.agent.findMany({ orderBy: { id: "asc" } }),
      tenants: await store.prisma.tenant.findMany({ orderBy: { id: "asc" } }),
    }),
  },
];
