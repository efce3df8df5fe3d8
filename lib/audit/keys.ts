import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return createHash("sha256").update(raw).digest("hex").slice(0, 16);
}

// AES-256-GCM under a key derived from GOVERNOR_SECRET: a copy of the database alone cannot sign.
// scrypt is deliberately slow (~30 ms, blocking), so derive once per process and secret.
let wrapping: { secret: string; key: Buffer } | undefined;
function wrappingKey(): Buffer {
  const secret = authSecret();
  if (wrapping?.secret !== secret) wrapping = { secret, key: scryptSync(secret, "governor-audit-key-wrap", 32) };
  return wrapping.key;
}

function encrypt(pem: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", wrappingKey(), iv);
  const body = Buffer.concat([cipher.update(pem, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(".");
}

function decrypt(blob: string): string {
  const [v, iv, tag, body] = blob.split(".");
  if (v !== "v1" || !iv || !tag || !body) throw new Error("unknown audit key envelope");
  const decipher = createDecipheriv("aes-256-gcm", wrappingKey(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { id: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString() };
}

// Any constant; it serialises key creation between instances so only one active key appears.
const KEY_LOCK = 7_446_003;

/**
 * The key that signs new checkpoints: from GOVERNOR_AUDIT_KEY_FILE (a PEM Ed25519 private key)
 * when set, otherwise the newest unretired key in the store, created on first use.
 */
export async function activeSigningKey(db: Db): Promise<SigningKey> {
  const file = process.env.GOVERNOR_AUDIT_KEY_FILE;
  if (file) {
    const key = fromPrivatePem(readFileSync(file, "utf8"));
    await db.auditKey.upsert({ where: { id: key.id }, create: { id: key.id, publicKey: key.publicKeyPem }, update: {} });
    return key;
  }
  // The signer asks several times a second and a key almost always exists: one read, and the
  // key decrypted once per stored envelope. Only creating the first key needs the lock and a
  // transaction, which on PGlite would hold the only connection for every round trip in it.
  const row = await activeRow(db);
  if (row) return unwrapped(row);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${KEY_LOCK})`;
    const raced = await activeRow(tx);
    return raced ? unwrapped(raced) : createStoredKey(tx);
  });
}

const activeRow = (db: Db | Tx) => db.auditKey.findFirst({ where: { retiredAt: null, privateKeyEnc: { not: null } }, orderBy: { createdAt: "desc" }, select: { privateKeyEnc: true } });

// The envelope is the cache key: a rotated key is a new envelope, and one written under another
// GOVERNOR_SECRET is decrypted again (and fails, as it should).
let lastUnwrapped: { envelope: string; secret: string; key: SigningKey } | undefined;
function unwrapped(row: { privateKeyEnc: string | null }): SigningKey {
  const envelope = row.privateKeyEnc!;
  const secret = authSecret();
  if (lastUnwrapped?.envelope !== envelope || lastUnwrapped.secret !== secret) lastUnwrapped = { envelope, secret, key: fromPrivatePem(decrypt(envelope)) };
  return lastUnwrapped.key;
}

async function createStoredKey(tx: Tx): Promise<SigningKey> {
  const { privateKey } = generateKeyPairSync("ed25519");
  const key = fromPrivatePem(privateKey.export({ format: "pem", type: "pkcs8" }).toString());
  await tx.auditKey.create({ data: { id: key.id, publicKey: key.publicKeyPem, privateKeyEnc: encrypt(key.privateKey.export({ format: "pem", type: "pkcs8" }).toString()) } });
  return key;
}

export const RotateKeyInput = z.strictObject({
  reason: z.string().trim().min(3, "must be at least 3 characters").max(500, "must be at most 500 characters").optional(),
});

/**
 * Retires the active stored key and creates a new one, with the permission check, its audit
 * event and a generation bump, in one transaction; old public keys stay for verification. A key
 * loaded from GOVERNOR_AUDIT_KEY_FILE is not the store's to rotate: rotating the stored key would
 * change nothing, so that is refused.
 */
export async function rotateSigningKey(opts: { db: Db; principal: Principal; input?: z.infer<typeof RotateKeyInput> }): Promise<{ retired: string[]; active: string; generation: number }> {
  if (process.env.GOVERNOR_AUDIT_KEY_FILE) {
    throw new AppError("conflict", "The signing key is loaded from GOVERNOR_AUDIT_KEY_FILE: rotate it by replacing that file and restarting, not here.");
  }
  const { result, generation } = await mutate({ db: opts.db, principal: opts.principal, permission: "audit.keys.rotate" }, async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${KEY_LOCK})`;
    const retired = (await tx.auditKey.findMany({ where: { retiredAt: null }, select: { id: true } })).map((r) => r.id);
    await tx.auditKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
    const key = await createStoredKey(tx);
    const result = { retired, active: key.id };
    return { result, audit: { action: "audit.key_rotate", target: `audit-key:${key.id}`, after: result, reason: opts.input?.reason } };
  });
  return { ...result, generation };
}

export async function publicKeys(db: Db) {
  return (await db.auditKey.findMany({ orderBy: { createdAt: "asc" } })).map((k) => ({ keyId: k.id, algorithm: "Ed25519", publicKey: k.publicKey, createdAt: k.createdAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null }));
}
