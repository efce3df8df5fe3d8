import { z } from "zod";
import { CreateTokenInput, createToken, listTokens, revokeToken } from "@/lib/auth/tokens";
import { readJson } from "@/lib/http/node-http";
import { parseInput } from "@/lib/http/validate";
import { CreateUserInput, UpdateUserInput, createUser, listUsers, updateUser } from "@/lib/users/users";
import type { Route } from "@/lib/http/router";

const Reason = z.object({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() }).optional();

// Users, tokens and who am I.
export const IDENTITY_ROUTES: Route[] = [
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
    path: "/api/v1/admin/directory",
    permission: "console.read",
    handler: async ({ store }) => ({
      agents: await store.prisma.agent.findMany({ orderBy: { id: "asc" } }),
      tenants: await store.prisma.tenant.findMany({ orderBy: { id: "asc" } }),
    }),
  },
];
