import { sign, verify, createPublicKey } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { canonicalJson } from "@/lib/audit/event";
import { activeSigningKey } from "@/lib/audit/keys";

export const CHECKPOINT_EVERY = 1000;

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

/** The bytes an Ed25519 checkpoint signature covers: RFC 8785 JSON of { at, hash, keyId, seq }. */
export function checkpointPayload(c: Omit<Checkpoint, "signature">): Buffer {
  return Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }), "utf8");
}

export function verifyCheckpoint(c: Checkpoint, publicKeyPem: string): boolean {
  try {
    return verify(null, checkpointPayload(c), createPublicKey(publicKeyPem), Buffer.from(c.signature, "base64"));
  } catch {
    return false;
  }
}

/**
 * Signs the chain head if it moved, plus every 1,000th sequence number in between, so
 * checkpoints are at most 1,000 events apart. Called at least once a second; several instances
 * may run it, and a checkpoint that exists already is left as it is.
 */
export async function checkpointTick(db: Db): Promise<number> {
  const [last, head] = await Promise.all([
    db.auditCheckpoint.aggregate({ _max: { seq: true } }),
    db.auditEvent.aggregate({ _max: { seq: true } }),
  ]);
  const from = last._max.seq ?? 0;
  const to = head._max.seq ?? 0;
  if (to <= from) return 0;
  const seqs: number[] = [];
  for (let s = from + CHECKPOINT_EVERY; s < to; s += CHECKPOINT_EVERY) seqs.push(s);
  seqs.push(to);
  const rows = await db.auditEvent.findMany({ where: { seq: { in: seqs } }, select: { seq: true, hash: true } });
  const key = await activeSigningKey(db);
  const at = new Date().toISOString();
  const data = rows.map((r) => {
    const unsigned = { seq: r.seq, hash: r.hash, at, keyId: key.id };
    return { ...unsigned, at: new Date(at), signature: sign(null, checkpointPayload(unsigned), key.privateKey).toString("base64") };
  });
  const created = await db.auditCheckpoint.createMany({ data, skipDuplicates: true });
  return created.count;
}

export const toCheckpoint = (r: { seq: number; hash: string; at: Date; keyId: string; signature: string }): Checkpoint => ({ seq: r.seq, hash: r.hash, at: r.at.toISOString(), keyId: r.keyId, signature: r.signature });
