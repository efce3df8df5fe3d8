import type { Db, Tx } from "@/lib/db/client";
import { chainTemplate, toJsonValue, type AuditInput, type HashedEvent } from "@/lib/audit/event";

/** Prisma's client or a transaction's: a chain append is one statement, so it runs on either. */
type Runner = Db | Tx;

function hashed(input: AuditInput, seq: number, at: string): HashedEvent {
  return {
    seq,
    at,
    actor: { type: input.actor.type, id: input.actor.id, name: input.actor.name },
    action: input.action,
    target: input.target,
    before: toJsonValue(input.before),
    after: toJsonValue(input.after),
    reason: input.reason ?? null,
    policyVersion: input.policyVersion ?? null,
    generation: input.generation ?? null,
    request: { ip: input.request?.ip ?? null, userAgent: input.request?.userAgent ?? null },
  };
}

/** An event as the store's chain function takes it: its columns, and its hash input around the seq. */
function chainInput(e: HashedEvent) {
  const { pre, post } = chainTemplate(e);
  return {
    at: e.at, actorType: e.actor.type, actorId: e.actor.id, actorName: e.actor.name, action: e.action, target: e.target,
    before: e.before, after: e.after, reason: e.reason, policyVersion: e.policyVersion, generation: e.generation,
    requestIp: e.request.ip, userAgent: e.request.userAgent, pre, post,
  };
}

/**
 * `inputs` as one JSON parameter for chainInsert, in order, stamped with one time. Their seq and
 * hashes are not known until the statement has the chain lock and head.
 */
export function chainParam(inputs: readonly AuditInput[]): string {
  const at = new Date().toISOString();
  return JSON.stringify(inputs.map((input) => chainInput(hashed(input, 0, at))));
}

/**
 * INSERT of the events in JSON parameter `param` (chainParam) onto the audit chain. The store's
 * function `governor_audit_chain` (see its migration) takes the transaction-level advisory lock
 * that makes appends from every instance take turns, reads the head, and hashes each event onto
 * it, so the whole append is this one statement: it needs no transaction of its own, and inside
 * a caller's transaction a rollback leaves no audit row behind. `lockWaitS` bounds the wait for
 * the lock, in seconds, for the rest of the transaction.
 */
export function chainInsert(param: string, lockWaitS?: number): string {
  const wait = lockWaitS === undefined ? "" : `, '${Math.max(1, Math.trunc(lockWaitS))}s'`;
  return `INSERT INTO "AuditEvent" SELECT * FROM governor_audit_chain(${param}::json${wait})`;
}

/**
 * Appends many events in one statement, for bulk producers (imports, replays, benchmarks) and
 * batches of approval requests with keys.
 */
export async function appendAuditBatch(db: Runner, inputs: readonly AuditInput[]): Promise<{ firstSeq: number; lastSeq: number; lastHash: string }> {
  if (inputs.length === 0) throw new Error("appendAuditBatch needs at least one event");
  const [r] = await db.$queryRawUnsafe<{ firstSeq: number; lastSeq: number; lastHash: string }[]>(
    `WITH ev AS (${chainInsert("$1")} RETURNING "seq", "hash")
     SELECT min("seq") AS "firstSeq", max("seq") AS "lastSeq", (SELECT "hash" FROM ev ORDER BY "seq" DESC LIMIT 1) AS "lastHash" FROM ev`,
    chainParam(inputs),
  );
  return r!;
}

/** Appends one event, inside the caller's transaction when given one. */
export async function appendAudit(db: Runner, input: AuditInput): Promise<HashedEvent & { hash: string }> {
  const event = hashed(input, 0, new Date().toISOString());
  const [row] = await db.$queryRawUnsafe<{ seq: number; hash: string }[]>(`${chainInsert("$1")} RETURNING "seq", "hash"`, JSON.stringify([chainInput(event)]));
  return { ...event, seq: row!.seq, hash: row!.hash };
}
