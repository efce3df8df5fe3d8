import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createChangeSet } from "@/lib/changesets/changesets";
import { opsFromDiff } from "@/lib/changesets/ops";
import { diffDocuments } from "@/lib/policy/diff";
import type { Json } from "@/lib/policy/keypath";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";

export async function listVersions(db: Db) {
  return db.policyVersion.findMany({ orderBy: { number: "desc" }, select: { number: true, parent: true, sha256: true, author: true, reason: true, createdAt: true }, take: 500 });
}

export async function diffVersions(db: Db, from: number, to: number) {
  const [a, b] = await Promise.all([loadVersionDocument(db, from), loadVersionDocument(db, to)]);
  return { from, to, changes: diffDocuments(a as unknown as Json, b as unknown as Json) };
}

/**
 * Revert is a change set from the head back to an older version's content, so it passes the
 * same compiler, conflict and approval checks as any other change.
 */
export async function revertToVersion(opts: { db: Db; principal: Principal; version: number; reason?: string }) {
  const head = await headVersion(opts.db);
  if (head === null) throw new AppError("conflict", "There is no published policy yet.");
  if (opts.version === head) throw new AppError("conflict", `Version ${opts.version} is already the live version.`);
  const { changes } = await diffVersions(opts.db, head, opts.version);
  return createChangeSet({
    db: opts.db,
    principal: opts.principal,
    input: { baseVersion: head, reason: opts.reason ?? `Revert to version ${opts.version}`, ops: opsFromDiff(changes) },
  });
}
