import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { ChangeOps, applyOps, type ChangeOp } from "@/lib/changesets/ops";
import { sensitivityReasons } from "@/lib/changesets/sensitivity";
import { diffDocuments } from "@/lib/policy/diff";
import { PolicyDocument } from "@/lib/policy/document";
import type { Json } from "@/lib/policy/keypath";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";

export const CreateChangeSetInput = z.object({
  baseVersion: z.number({ error: "is required: the policy version these operations were written against" }).int().min(1),
  reason: z.string().trim().min(1, "is required: say why the policy changes").max(1000),
  ops: ChangeOps,
});
export const EditChangeSetInput = z
  .object({ reason: z.string().trim().min(1).max(1000), ops: ChangeOps, baseVersion: z.number().int().min(1) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "must change at least one of reason, ops, baseVersion");

export type ChangeSetStatus = "draft" | "pending_approval" | "approved" | "applied" | "released" | "rejected" | "conflicted" | "abandoned";
const EDITABLE: ReadonlySet<string> = new Set(["draft", "pending_approval", "approved", "conflicted"]);

/** The candidate document a change set produces on its base, tolerating drafts that do not parse yet. */
export function candidateOf(base: PolicyDocument, ops: readonly ChangeOp[]): { raw: Json; parsed: PolicyDocument | null } {
  const raw = applyOps(base as unknown as Json, ops);
  const parsed = PolicyDocument.safeParse(raw);
  return { raw, parsed: parsed.success ? parsed.data : null };
}

async function sensitivityOf(tx: Tx, base: PolicyDocument, ops: readonly ChangeOp[]): Promise<string[]> {
  const head = await headVersion(tx);
  const live = head === null ? base : await loadVersionDocument(tx, head);
  const { raw, parsed } = candidateOf(base, ops);
  return sensitivityReasons(live, parsed ?? live, diffDocuments(base as unknown as Json, raw));
}

export async function getChangeSetOrThrow(db: Db | Tx, id: string) {
  const cs = await db.changeSet.findUnique({ where: { id }, include: { votes: { orderBy: { createdAt: "asc" } } } });
  if (!cs) throw new AppError("not_found", `No change set with id "${id}".`);
  return cs;
}

export async function listChangeSets(db: Db, opts: { status?: string } = {}) {
  return db.changeSet.findMany({ where: opts.status ? { status: opts.status } : {}, orderBy: { createdAt: "desc" }, take: 100, include: { votes: true } });
}

export async function createChangeSet(opts: { db: Db; principal: Principal; input: z.infer<typeof CreateChangeSetInput> }) {
  const { db, principal, input } = opts;
  return mutate({ db, principal, permission: "policy.write" }, async (tx) => {
    const base = await loadVersionDocument(tx, input.baseVersion).catch(() => {
      throw new AppError("validation_failed", `baseVersion: there is no policy version ${input.baseVersion}`, { fields: [{ path: "baseVersion", message: `there is no policy version ${input.baseVersion}` }] });
    });
    const reasons = await sensitivityOf(tx, base, input.ops);
    const cs = await tx.changeSet.create({
      data: {
        baseVersion: input.baseVersion,
        reason: input.reason,
        ops: input.ops as object[],
        status: reasons.length ? "pending_approval" : "draft",
        sensitive: reasons.length > 0,
        authorId: principal.actor.id,
        author: principal.actor.name,
      },
    });
    return {
      result: { id: cs.id, status: cs.status as ChangeSetStatus, sensitive: cs.sensitive, sensitivity: reasons },
      audit: { action: "changeset.create", target: `changeset:${cs.id}`, after: { baseVersion: cs.baseVersion, ops: input.ops, status: cs.status }, reason: input.reason },
    };
  });
}

/** Edits a change set that has not been applied. Every edit voids the approvals cast so far. */
export async function editChangeSet(opts: { db: Db; principal: Principal; id: string; input: z.infer<typeof EditChangeSetInput> }) {
  const { db, principal, id, input } = opts;
  return mutate({ db, principal, permission: "policy.write" }, async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM "ChangeSet" WHERE "id" = ${id} FOR UPDATE`;
    const cs = await getChangeSetOrThrow(tx, id);
    if (!EDITABLE.has(cs.status)) {
      throw new AppError("conflict", cs.status === "applied" ? `Change set ${id} was applied as version ${cs.appliedVersion}; applied change sets can never be edited. Write a new one.` : `Change set ${id} is ${cs.status} and can no longer be edited.`);
    }
    const ops = (input.ops ?? cs.ops) as ChangeOp[];
    const baseVersion = input.baseVersion ?? cs.baseVersion;
    const base = await loadVersionDocument(tx, baseVersion);
    const reasons = await sensitivityOf(tx, base, ops);
    const after = await tx.changeSet.update({
      where: { id },
      data: { ops: ops as object[], reason: input.reason ?? cs.reason, baseVersion, revision: cs.revision + 1, sensitive: reasons.length > 0, status: reasons.length ? "pending_approval" : "draft", conflicts: undefined },
    });
    return {
      result: { id, status: after.status as ChangeSetStatus, revision: after.revision, sensitivity: reasons, approvalsVoided: cs.votes.filter((v) => v.revision === cs.revision).length },
      audit: { action: "changeset.edit", target: `changeset:${id}`, before: { ops: cs.ops, baseVersion: cs.baseVersion, revision: cs.revision }, after: { ops, baseVersion, revision: after.revision }, reason: input.reason },
    };
  });
}

export async function abandonChangeSet(opts: { db: Db; principal: Principal; id: string }) {
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    const cs = await getChangeSetOrThrow(tx, opts.id);
    if (!EDITABLE.has(cs.status)) throw new AppError("conflict", `Change set ${opts.id} is ${cs.status}; only open change sets can be abandoned.`);
    await tx.changeSet.update({ where: { id: opts.id }, data: { status: "abandoned" } });
    return { result: { id: opts.id, status: "abandoned" as const }, audit: { action: "changeset.abandon", target: `changeset:${opts.id}`, before: { status: cs.status } } };
  });
}
