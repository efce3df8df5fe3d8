import { z } from "zod";
import { AppError } from "@/lib/errors";
import { readJson } from "@/lib/http/node-http";
import { parseInput, parseQuery } from "@/lib/http/validate";
import { headVersion, loadVersionDocument, publishVersion } from "@/lib/policy/versions";
import { ApplyInput, applyChangeSet } from "@/lib/changesets/apply";
import { CreateChangeSetInput, EditChangeSetInput, abandonChangeSet, createChangeSet, editChangeSet, getChangeSetOrThrow, listChangeSets } from "@/lib/changesets/changesets";
import { previewChangeSet } from "@/lib/changesets/preview";
import { diffVersions, listVersions, revertToVersion } from "@/lib/changesets/revert";
import { VoteInput, voteOnChangeSet } from "@/lib/changesets/votes";
import type { Route } from "@/lib/http/router";

const PublishInput = z.object({
  document: z.record(z.string(), z.unknown(), { error: "must be a policy document object" }),
  reason: z.string().trim().min(1, "is required: say why the policy changes").max(500),
  baseVersion: z.number().int().min(0).nullable().optional(),
});
const VersionParam = z.coerce.number({ error: "must be a version number" }).int().min(1, "must be a version number ≥ 1");
const DiffQuery = z.object({ from: VersionParam, to: VersionParam });
const PreviewInput = z
  .object({
    windowHours: z.number().positive().max(24 * 30, "must be at most 720 hours").optional(),
    limit: z.number().int().min(1).max(100_000, "must be at most 100000").optional(),
  })
  .optional();
const RevertInput = z.object({ reason: z.string().trim().max(1000).optional() }).optional();


// Policy versions, history and change sets.
export const POLICY_ROUTES: Route[] = [
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
      const q = parseQuery(DiffQuery, url.searchParams);
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
];
