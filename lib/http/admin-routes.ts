import { z } from "zod";
import { listAuditEvents } from "@/lib/audit/list";
import { verifyChain } from "@/lib/audit/verify";
import { CreateTokenInput, createToken, listTokens, revokeToken } from "@/lib/auth/tokens";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/node-http";
import type { Route } from "@/lib/http/router";
import { parseInput } from "@/lib/http/validate";
import { SetControlInput, listControls, setControl } from "@/lib/controls/controls";
import { cancelRecovery, confirmRecovery, pendingRecoveries } from "@/lib/controls/recovery";
import { UpdateSettingsInput, readSettings, updateSettings } from "@/lib/controls/settings";
import { CreateGrantInput, activeGrants, createGrant, revokeGrant } from "@/lib/grants/grants";
import { headVersion, loadVersionDocument, publishVersion } from "@/lib/policy/versions";
import { ApplyInput, applyChangeSet } from "@/lib/changesets/apply";
import { CreateChangeSetInput, EditChangeSetInput, abandonChangeSet, createChangeSet, editChangeSet, getChangeSetOrThrow, listChangeSets } from "@/lib/changesets/changesets";
import { previewChangeSet } from "@/lib/changesets/preview";
import { diffVersions, listVersions, revertToVersion } from "@/lib/changesets/revert";
import { VoteInput, voteOnChangeSet } from "@/lib/changesets/votes";
import { CreateUserInput, UpdateUserInput, createUser, listUsers, updateUser } from "@/lib/users/users";

const Reason = z.object({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() }).optional();
const PublishInput = z.object({
  document: z.record(z.string(), z.unknown(), { error: "must be a policy document object" }),
  reason: z.string().trim().min(1, "is required: say why the policy changes").max(500),
  baseVersion: z.number().int().min(0).nullable().optional(),
});
const GrantCreate = CreateGrantInput;
const VersionParam = z.coerce.number({ error: "must be a version number" }).int().min(1, "must be a version number ≥ 1");
const DiffQuery = z.object({ from: VersionParam, to: VersionParam });
const PreviewInput = z
  .object({
    windowHours: z.number().positive().max(24 * 30, "must be at most 720 hours").optional(),
    limit: z.number().int().min(1).max(100_000, "must be at most 100000").optional(),
  })
  .optional();
const RevertInput = z.object({ reason: z.string().trim().max(1000).optional() }).optional();

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
    path: "/api/v1/admin/controls",
    permission: "console.read",
    handler: async ({ store }) => ({
      controls: await listControls(store.prisma),
      recoveries: await pendingRecoveries(store.prisma),
      settings: await readSettings(store.prisma),
    }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls",
    permission: "controls.write",
    // 202 when lifting the global kill waits for a second operator.
    status: (body) => ((body as { status?: string }).status === "awaiting_confirmation" ? 202 : 200),
    handler: async ({ store, principal, req }) => {
      const input = parseInput(SetControlInput, await readJson(req));
      const { result, generation } = await setControl({ db: store.prisma, principal, input });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls/recoveries/:id/confirm",
    permission: "controls.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await confirmRecovery({ db: store.prisma, principal, recoveryId: params.id! });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls/recoveries/:id/cancel",
    permission: "controls.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await cancelRecovery({ db: store.prisma, principal, recoveryId: params.id! });
      return { ...result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/settings",
    permission: "console.read",
    handler: async ({ store }) => ({ settings: await readSettings(store.prisma) }),
  },
  {
    method: "PATCH",
    path: "/api/v1/admin/settings",
    permission: "settings.manage",
    handler: async ({ store, principal, req }) => {
      const input = parseInput(UpdateSettingsInput, await readJson(req));
      const { result, generation } = await updateSettings({ db: store.prisma, principal, input });
      return { settings: result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/grants",
    permission: "console.read",
    handler: async ({ store }) => ({ grants: await activeGrants(store.prisma) }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/grants",
    permission: "grants.manage",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(GrantCreate, await readJson(req));
      const { result, generation } = await createGrant({ db: store.prisma, principal, input });
      return { grant: result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/grants/:id/revoke",
    permission: "grants.manage",
    handler: async ({ store, principal, req, params }) => {
      const body = parseInput(Reason, await readJson(req));
      const { result, generation } = await revokeGrant({ db: store.prisma, principal, grantId: params.id!, reason: body?.reason });
      return { grant: result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/policy",
    permission: "console.read",
    handler: async ({ store }) => {
      const head = await headVersion(store.prisma);
      const version = head === null ? null : await store.prisma.policyVersion.findUnique({ where: { number: head } });
      return { head, version };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/policy/versions",
    permission: "policy.write",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(PublishInput, await readJson(req));
      return publishVersion({ db: store.prisma, principal, document: input.document, reason: input.reason, baseVersion: input.baseVersion });
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/policy/versions",
    permission: "console.read",
    handler: async ({ store }) => ({ head: await headVersion(store.prisma), versions: await listVersions(store.prisma) }),
  },
  {
    method: "GET",
    path: "/api/v1/admin/policy/versions/:n",
    permission: "console.read",
    handler: async ({ store, params }) => {
      const n = parseInput(VersionParam, params.n);
      const row = await store.prisma.policyVersion.findUnique({ where: { number: n } });
      if (!row) throw new AppError("not_found", `There is no policy version ${n}.`);
      return { ...row, document: await loadVersionDocument(store.prisma, n) };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/policy/diff",
    permission: "console.read",
    handler: async ({ store, url }) => {
      const q = parseInput(DiffQuery, Object.fromEntries(url.searchParams));
      return diffVersions(store.prisma, q.from, q.to);
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/policy/versions/:n/revert",
    permission: "policy.write",
    status: 201,
    handler: async ({ store, principal, params, req }) => {
      const n = parseInput(VersionParam, params.n);
      const body = parseInput(RevertInput, await readJson(req));
      const { result, generation } = await revertToVersion({ db: store.prisma, principal, version: n, reason: body?.reason });
      return { ...result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/changesets",
    permission: "console.read",
    handler: async ({ store, url }) => ({ changeSets: await listChangeSets(store.prisma, { status: url.searchParams.get("status") ?? undefined }) }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/changesets",
    permission: "policy.write",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(CreateChangeSetInput, await readJson(req));
      const { result, generation } = await createChangeSet({ db: store.prisma, principal, input });
      return { ...result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/changesets/:id",
    permission: "console.read",
    handler: async ({ store, params }) => ({ changeSet: await getChangeSetOrThrow(store.prisma, params.id!) }),
  },
  {
    method: "PATCH",
    path: "/api/v1/admin/changesets/:id",
    permission: "policy.write",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(EditChangeSetInput, await readJson(req));
      const { result, generation } = await editChangeSet({ db: store.prisma, principal, id: params.id!, input });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/changesets/:id/preview",
    permission: "console.read",
    handler: async ({ store, req, params }) => {
      const body = parseInput(PreviewInput, await readJson(req));
      return previewChangeSet(store.prisma, params.id!, { windowMs: body?.windowHours ? body.windowHours * 3600_000 : undefined, limit: body?.limit });
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/changesets/:id/apply",
    permission: "policy.write",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(ApplyInput, await readJson(req));
      return applyChangeSet({ db: store.prisma, principal, id: params.id!, input });
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/changesets/:id/votes",
    permission: "approvals.vote",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(VoteInput, await readJson(req));
      const { result, generation } = await voteOnChangeSet({ db: store.prisma, principal, id: params.id!, input });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/changesets/:id/abandon",
    permission: "policy.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await abandonChangeSet({ db: store.prisma, principal, id: params.id! });
      return { ...result, generation };
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
