import type { Db } from "@/lib/db/client";
import { toCheckpoint, verifyCheckpoint } from "@/lib/audit/checkpoint";
import { verifyChain } from "@/lib/audit/verify";

/**
 * The console's "Verify" for a range: the chain from `from` to `to`, and the signed checkpoint
 * that covers its end (the first at or after `to`), checked against the stored public key.
 */
export async function verifyRange(db: Db, range: { from?: number; to?: number }) {
  const head = (await db.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
  const from = range.from ?? 1;
  const to = Math.min(range.to ?? head, head);
  const report = await verifyChain(db, 1000, { from, to });
  const row = await db.auditCheckpoint.findFirst({ where: { seq: { gte: to } }, orderBy: { seq: "asc" } });
  let checkpoint = null;
  if (row) {
    const key = await db.auditKey.findUnique({ where: { id: row.keyId } });
    const event = await db.auditEvent.findUnique({ where: { seq: row.seq }, select: { hash: true } });
    const cp = toCheckpoint(row);
    checkpoint = { ...cp, keyKnown: Boolean(key), signatureValid: key ? verifyCheckpoint(cp, key.publicKey) : false, matchesChain: event?.hash === row.hash };
  }
  const checkpointOk = checkpoint === null || (checkpoint.signatureValid && checkpoint.matchesChain);
  return {
    ok: report.ok && checkpointOk,
    checked: report.count,
    range: { from, to },
    ...(report.ok ? {} : { firstFailure: { seq: report.firstBrokenSeq, kind: report.problem, detail: report.detail } }),
    ...(report.ok && !checkpointOk && checkpoint ? { firstFailure: { seq: checkpoint.seq, kind: checkpoint.signatureValid ? "modified" : "bad_signature", detail: checkpoint.signatureValid ? "the chain no longer matches its signed checkpoint" : "the checkpoint signature does not verify" } } : {}),
    checkpoint,
  };
}
