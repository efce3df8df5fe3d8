import type { Tx } from "@/lib/db/client";
import { GENESIS_HASH, chainHash, toJsonValue, type AuditInput, type HashedEvent } from "@/lib/audit/event";

// Any constant shared by every instance; it names the lock that serialises chain appends.
const AUDIT_CHAIN_LOCK = 7_446_001;

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

/**
 * Takes the chain lock for the caller's transaction and hashes `inputs` onto the head: the rows
 * to insert, in order. For writers that insert them in a statement of their own making (the
 * decision seal puts the event, its batch and the decisions in one statement).
 */
export async function lockedChainRows(tx: Tx, inputs: readonly AuditInput[]) {
  const head = await lockedHead(tx);
  return chainRows(inputs, head.seq, head.hash);
}

/**
 * The chain head, read under the transaction-level advisory lock that makes appends from every
 * instance take turns, so the chain has one order; released at commit or rollback.
 */
async function lockedHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
}

function chainRows(inputs: readonly AuditInput[], headSeq: number, headHash: string) {
  let prevHash = headHash;
  let seq = headSeq;
  const at = new Date().toISOString();
  const rows = inputs.map((input) => {
    const e = hashed(input, ++seq, at);
    const hash = chainHash(prevHash, e);
    const row = {
      seq: e.seq, at: e.at, actorType: e.actor.type, actorId: e.actor.id, actorName: e.actor.name, action: e.action, target: e.target,
      before: e.before, after: e.after, reason: e.reason, policyVersion: e.policyVersion, generation: e.generation,
      requestIp: e.request.ip, userAgent: e.request.userAgent, prevHash, hash,
    };
    prevHash = hash;
    return row;
  });
  return { rows, firstSeq: headSeq + 1, lastSeq: seq, lastHash: prevHash };
}

/** INSERT of AuditEvent rows travelling as one JSON parameter (`$n`). */
export const auditRowsInsert = (param: string) => `INSERT INTO "AuditEvent" SELECT * FROM json_populate_recordset(NULL::"AuditEvent", ${param}::json)`;

/**
 * Appends many events in one statement, for bulk producers (imports, replays, benchmarks):
 * one lock, one read of the head, one INSERT whose rows travel as a single JSON parameter.
 */
export async function appendAuditBatch(tx: Tx, inputs: readonly AuditInput[]): Promise<{ firstSeq: number; lastSeq: number; lastHash: string }> {
  const { rows, firstSeq, lastSeq, lastHash } = await lockedChainRows(tx, inputs);
  await tx.$executeRawUnsafe(auditRowsInsert("$1"), JSON.stringify(rows));
  return { firstSeq, lastSeq, lastHash };
}

/**
 * Appends one event inside the caller's transaction (see lockedHead); a rolled-back change
 * leaves no audit row behind.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<HashedEvent & { hash: string }> {
  const { seq, hash: prevHash } = await lockedHead(tx);
  const event = hashed(input, seq + 1, new Date().toISOString());
  const hash = chainHash(prevHash, event);
  await tx.auditEvent.create({
    data: {
      seq: event.seq,
      at: new Date(event.at),
      actorType: event.actor.type,
      actorId: event.actor.id,
      actorName: event.actor.name,
      action: event.action,
      target: event.target,
      before: event.before === null ? undefined : (event.before as object),
      after: event.after === null ? undefined : (event.after as object),
      reason: event.reason,
      policyVersion: event.policyVersion,
      generation: event.generation,
      requestIp: event.request.ip,
      userAgent: event.request.userAgent,
      prevHash,
      hash,
    },
  });
  return { ...event, hash };
}
