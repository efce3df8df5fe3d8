import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/audit/event";
import { reconcilePendingRequests } from "@/lib/approvals/execute";
import { appendAudit } from "@/lib/audit/append";
import { SYSTEM, type Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate, type MutationContext } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { zodFields } from "@/lib/http/validate";
import { checkDocument, type Diagnostic } from "@/lib/policy/compile";
import { PolicyDocument } from "@/lib/policy/document";

export function documentHash(doc: PolicyDocument): string {
  return createHash("sha256").update(canonicalJson(doc)).digest("hex");
}

/** Parses and checks a document; throws a 400 naming every key path that cannot work. */
export function validateDocument(input: unknown): { document: PolicyDocument; warnings: Diagnostic[] } {
  const parsed = PolicyDocument.safeParse(input);
  if (!parsed.success) {
    const fields = zodFields(parsed.error);
    throw new AppError("validation_failed", `The policy document is invalid: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`, { fields });
  }
  const { errors, warnings } = checkDocument(parsed.data);
  if (errors.length) {
    throw new AppError("validation_failed", `The policy cannot work: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, {
      fields: errors.map((e) => ({ path: e.path, message: e.message })),
    });
  }
  return { document: parsed.data, warnings };
}

/** Locks the head row for the rest of the transaction and returns the version it points at. */
export async function lockHead(tx: Tx): Promise<number | null> {
  return (await tx.$queryRaw<{ version: number }[]>`SELECT "version" FROM "PolicyHead" WHERE "id" = 1 FOR UPDATE`)[0]?.version ?? null;
}

/** Writes the next immutable version without moving the head (a rollout's candidate). */
export async function writeVersion(tx: Tx, v: { document: PolicyDocument; parent: number | null; principal: Principal; reason?: string }): Promise<number> {
  const latest = await tx.policyVersion.aggregate({ _max: { number: true } });
  const number = (latest._max.number ?? 0) + 1;
  await tx.policyVersion.create({
    data: { number, parent: v.parent, document: v.document as object, sha256: documentHash(v.document), authorId: v.principal.actor.id, author: v.principal.actor.name, reason: v.reason ?? null },
  });
  return number;
}

/**
 * Points the head at `number` and approves, as the system, pending requests whose approval
 * requirement the now-live document dropped. The caller holds the head lock.
 */
export async function moveHead(tx: Tx, number: number, document: PolicyDocument): Promise<string[]> {
  await tx.policyHead.upsert({ where: { id: 1 }, create: { id: 1, version: number }, update: { version: number } });
  return releaseDroppedApprovals(tx, document, number);
}

/** Auto-approves pending requests the live `document` no longer requires approval for (audited). */
export async function releaseDroppedApprovals(tx: Tx, document: PolicyDocument, number: number): Promise<string[]> {
  const released = await reconcilePendingRequests(tx, document, number);
  for (const id of released) {
    await appendAudit(tx, { actor: SYSTEM.actor, action: "approval.auto_approve", target: `approval:${id}`, reason: `policy version ${number} removed the approval requirement`, policyVersion: number });
  }
  return released;
}

/** Writes the next immutable version and points the head at it; the caller holds the head lock. */
export async function insertVersion(tx: Tx, v: { document: PolicyDocument; parent: number | null; principal: Principal; reason?: string }): Promise<number> {
  const number = await writeVersion(tx, v);
  await moveHead(tx, number, v.document);
  return number;
}

export async function loadVersionDocument(db: Db | Tx, number: number): Promise<PolicyDocument> {
  const row = await db.policyVersion.findUnique({ where: { number } });
  if (!row) throw new AppError("not_found", `There is no policy version ${number}.`);
  return PolicyDocument.parse(row.document);
}

export async function headVersion(db: Db | Tx): Promise<number | null> {
  return (await db.policyHead.findUnique({ where: { id: 1 } }))?.version ?? null;
}

/**
 * Writes a new immutable version and points the head at it, in one transaction with the audit
 * event and the generation bump. The only way a version comes to exist.
 */
export async function publishVersion(opts: {
  db: Db;
  principal: Principal;
  document: unknown;
  reason?: string;
  /** When given, refuse if the head has moved since (optimistic concurrency). */
  baseVersion?: number | null;
  permission?: MutationContext["permission"];
}) {
  const { document, warnings } = validateDocument(opts.document);
  const sha256 = documentHash(document);
  const { result, generation } = await mutate({ db: opts.db, principal: opts.principal, permission: opts.permission === undefined ? "policy.write" : opts.permission }, async (tx) => {
    // Row lock on the head: concurrent publishers queue here and see each other's versions.
    const head = await lockHead(tx);
    if (opts.baseVersion !== undefined && opts.baseVersion !== head) {
      throw new AppError("conflict", `The policy head moved to version ${head} since base version ${opts.baseVersion}; rebase and try again.`);
    }
    const number = await insertVersion(tx, { document, parent: head, principal: opts.principal, reason: opts.reason });
    return {
      result: { number, parent: head, sha256, warnings },
      audit: { action: "policy.publish", target: `policy:v${number}`, before: head === null ? null : { version: head }, after: { version: number, sha256 }, reason: opts.reason, policyVersion: number },
    };
  });
  return { ...result, generation };
}
