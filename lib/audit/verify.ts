import type { AuditEvent, Db } from "@/lib/db/client";
import { GENESIS_HASH, chainHash, type HashedEvent } from "@/lib/audit/event";

export type ChainProblem = "modified" | "broken_link" | "gap";

export type ChainReport =
  | { ok: true; count: number; headSeq: number; headHash: string }
  | { ok: false; count: number; firstBrokenSeq: number; problem: ChainProblem; detail: string };

export function rowToHashed(row: AuditEvent): HashedEvent {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actor: { type: row.actorType as HashedEvent["actor"]["type"], id: row.actorId, name: row.actorName },
    action: row.action,
    target: row.target,
    before: row.before ?? null,
    after: row.after ?? null,
    reason: row.reason,
    policyVersion: row.policyVersion,
    generation: row.generation,
    request: { ip: row.requestIp, userAgent: row.userAgent },
  };
}

/**
 * Walks the chain in seq order, in pages, and names the first row that does not hold. With
 * `from`/`to` it checks that range, linking its first row to the stored hash before it.
 */
export async function verifyChain(db: Db, pageSize = 1000, range: { from?: number; to?: number } = {}): Promise<ChainReport> {
  let expectedSeq = range.from ?? 1;
  let prevHash = expectedSeq > 1 ? ((await db.auditEvent.findUnique({ where: { seq: expectedSeq - 1 }, select: { hash: true } }))?.hash ?? GENESIS_HASH) : GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { seq: { gte: expectedSeq, ...(range.to ? { lte: range.to } : {}) } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, count, firstBrokenSeq: expectedSeq, problem: "gap", detail: `sequence ${expectedSeq} is missing (next row is ${row.seq})` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, count, firstBrokenSeq: row.seq, problem: "broken_link", detail: `prevHash does not match the hash of sequence ${row.seq - 1}` };
      }
      if (chainHash(prevHash, rowToHashed(row)) !== row.hash) {
        return { ok: false, count, firstBrokenSeq: row.seq, problem: "modified", detail: `contents do not match the stored hash` };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) break;
  }
  return { ok: true, count, headSeq: expectedSeq - 1, headHash: prevHash };
}
