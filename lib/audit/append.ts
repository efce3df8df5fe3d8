import type { Tx } from "@/lib/db/client";
import { GENESIS_HASH, chainHash, toJsonValue, type AuditInput, type HashedEvent } from "@/lib/audit/event";

// Any constant shared by every instance; it names the lock that serialises chain appends.
const AUDIT_CHAIN_LOCK = 7_446_001;

/**
 * Appends one event inside the caller's transaction. The transaction-level advisory lock makes
 * appends from every instance take turns, so the chain has one order; it is released at commit
 * or rollback, and a rolled-back change leaves no audit row behind.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<HashedEvent & { hash: string }> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
  const last = await tx.auditEvent.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const event: HashedEvent = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
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
