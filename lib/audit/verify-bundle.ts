// Offline verifier for governor-audit-bundle/1 (docs/AUDIT_FORMAT.md). It needs no database and
// no network: it imports only the pure hashing modules, never lib/db, lib/env or the signing keys.
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { LineReader, forEachLineBytes } from "@/lib/audit/line-reader";
import * as tar from "tar";
import { GENESIS_HASH, canonicalJson, chainHash, type HashedEvent } from "@/lib/audit/event";
import { leafHash, rootFromProof } from "@/lib/audit/merkle";
import {
  BUNDLE_FILES, BUNDLE_FILE_NAMES, BUNDLE_FORMAT,
  type BundleCheckpoint, type BundleDecision, type BundleEvent, type BundleManifest, type FailureKind,
} from "@/lib/audit/bundle-format";

export type VerifyFailure = { ok: false; kind: FailureKind; seq: number | null; detail: string };
export type VerifyReport =
  | {
      ok: true;
      events: number;
      matched: number;
      range: BundleManifest["range"];
      lastHash: string;
      checkpoints: { verified: number; keyIds: string[] };
      decisions: { proven: number; batches: number };
    }
  | VerifyFailure;

class Failed extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.detail);
  }
}
const fail = (kind: FailureKind, seq: number | null, detail: string): never => {
  throw new Failed({ ok: false, kind, seq, detail });
};

const HEX64 = /^[0-9a-f]{64}$/;
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks a bundle (.tar.gz, or a directory holding its files) and names the first failure.
 * `trustedKeys` (SPKI PEM): when given, only these keys count and keys.json is ignored.
 */
export async function verifyBundle(bundle: string, opts: { trustedKeys?: string[] } = {}): Promise<VerifyReport> {
  const isDir = (await stat(bundle)).isDirectory();
  let dir: string | undefined;
  try {
    dir = isDir ? bundle : await extract(bundle);
    return await verifyDir(dir, opts.trustedKeys);
  } catch (e) {
    if (e instanceof Failed) return e.failure;
    throw e;
  } finally {
    if (dir && !isDir) await rm(dir, { recursive: true, force: true });
  }
}

async function extract(archive: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "governor-audit-verify-"));
  try {
    // Only the bundle's own regular files: no links, no paths outside the temp dir. Reads of
    // 1 MB (not 16) keep node-tar from buffering most of the archive when the disk is slower.
    await tar.x({ file: archive, cwd: dir, strict: true, maxReadSize: 1 << 20, filter: (p, entry) => BUNDLE_FILE_NAMES.includes(p.replace(/^\.\//, "")) && "type" in entry && entry.type === "File" });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    fail("modified", null, `the archive cannot be read as .tar.gz: ${(e as Error).message}`);
  }
  return dir;
}

async function verifyDir(dir: string, trustedKeys?: string[]): Promise<VerifyReport> {
  const file = (name: string) => path.join(dir, name);
  for (const name of [BUNDLE_FILES.manifest, BUNDLE_FILES.events, BUNDLE_FILES.checkpoints, BUNDLE_FILES.keys, BUNDLE_FILES.decisions, BUNDLE_FILES.matched]) {
    await access(file(name)).catch(() => fail("deleted", null, `${name} is missing from the bundle`));
  }
  const manifest = await readManifest(file(BUNDLE_FILES.manifest));
  const { fromSeq, toSeq } = manifest.range;
  const keys = await loadKeys(file(BUNDLE_FILES.keys), trustedKeys);
  const signed = await checkSignatures(file(BUNDLE_FILES.checkpoints), keys);

  const seqs = await scanSeqs(file(BUNDLE_FILES.events));
  const structural = classifySeqs(seqs, fromSeq, toSeq);
  // Walk the events that sit in their place, in front of the first structural failure, so that
  // a content failure at a lower sequence number is named first.
  let inPlace = 0;
  while (inPlace < seqs.length && seqs[inPlace] === fromSeq + inPlace && (!structural || fromSeq + inPlace < structural.seq)) inPlace++;
  const walk = await walkChain(dir, manifest, inPlace);
  if (structural) fail(structural.kind, structural.seq, structural.detail);

  const n = seqs.length;
  const lastSeq = fromSeq + n - 1;
  if (walk.pendingCheckpoint !== null) fail("truncated", lastSeq + 1, `a signed checkpoint covers sequence ${walk.pendingCheckpoint}, but the events end at ${lastSeq}`);
  if (walk.lastCovered !== lastSeq) fail("truncated", lastSeq + 1, `no signed checkpoint covers the last event (sequence ${lastSeq}); the bundle may have been cut short`);
  if (walk.pendingDecision !== null) fail("inserted", walk.pendingDecision, `decisions.jsonl has a proof for sequence ${walk.pendingDecision}, which is not a decisions.seal event in the range`);

  const c = manifest.counts;
  if (c.events !== n) fail(n < c.events ? "truncated" : "inserted", n < c.events ? lastSeq + 1 : null, `manifest counts ${c.events} events, events.jsonl has ${n}`);
  if (manifest.firstHash !== walk.firstHash) fail("modified", fromSeq, "manifest.firstHash is not the hash of the first event");
  if (manifest.lastHash !== walk.lastHash) fail("modified", lastSeq, "manifest.lastHash is not the hash of the last event");
  if (manifest.range.fromTime !== walk.fromTime || manifest.range.toTime !== walk.toTime) fail("modified", null, "manifest.range times are not those of the first and last event");
  if (c.checkpoints !== signed.count) fail(signed.count < c.checkpoints ? "deleted" : "inserted", null, `manifest counts ${c.checkpoints} checkpoints, checkpoints.jsonl has ${signed.count}`);
  if (c.decisions !== walk.decisions || c.batches !== walk.batches) {
    fail(walk.decisions < c.decisions ? "deleted" : "inserted", null, `manifest counts ${c.decisions} decisions in ${c.batches} batches, decisions.jsonl proves ${walk.decisions} in ${walk.batches}`);
  }
  const matched = await checkMatched(file(BUNDLE_FILES.matched), fromSeq, lastSeq, c.matched);
  return {
    ok: true,
    events: n,
    matched,
    range: manifest.range,
    lastHash: walk.lastHash,
    checkpoints: { verified: signed.count, keyIds: [...signed.keyIds] },
    decisions: { proven: walk.decisions, batches: walk.batches },
  };
}

/** One JSON-lines line; a line that is not a JSON object is a modification. */
function parseLine(raw: string, file: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  // Every line is an object, which also keeps a literal `null` line from passing for the end.
  if (!isObject(v)) fail("modified", null, `${path.basename(file)} line ${line} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** Parsed JSON lines with one line of look-ahead; a line that is not a JSON object is a modification. */
class JsonLines {
  private readonly lines: LineReader;
  private ahead: unknown = undefined; // undefined: not read yet; null: end of file
  line = 0;
  constructor(private readonly file: string) {
    this.lines = new LineReader(file);
  }
  /** The next line unparsed (for a scan that needs one member only); null at the end. */
  async nextRaw(): Promise<string | null> {
    const raw = await this.lines.next();
    if (raw !== null) this.line += 1;
    return raw;
  }
  /** Parses a raw line as nextRaw returned it. */
  parse(raw: string): Record<string, unknown> {
    return parseLine(raw, this.file, this.line);
  }
  async peek(): Promise<unknown> {
    if (this.ahead === undefined) {
      const raw = await this.nextRaw();
      this.ahead = raw === null ? null : this.parse(raw);
    }
    return this.ahead;
  }
  async next(): Promise<unknown> {
    const v = await this.peek();
    if (v !== null) this.ahead = undefined;
    return v;
  }
  close() {
    this.lines.close();
  }
  async *[Symbol.asyncIterator]() {
    try {
      for (let v = await this.next(); v !== null; v = await this.next()) yield v;
    } finally {
      this.close();
    }
  }
}

async function readManifest(file: string): Promise<BundleManifest> {
  let m: BundleManifest;
  try {
    m = JSON.parse(await readFile(file, "utf8")) as BundleManifest;
  } catch {
    return fail("modified", null, "manifest.json is not valid JSON");
  }
  if (m?.format !== BUNDLE_FORMAT) fail("modified", null, `manifest.json format is ${JSON.stringify(m?.format)}, expected ${BUNDLE_FORMAT}`);
  const r = m.range;
  const counted = isObject(m.counts) && Object.values(m.counts).every((v) => Number.isSafeInteger(v) && v >= 0);
  if (!isObject(r) || !isSeq(r.fromSeq) || !isSeq(r.toSeq) || r.toSeq < r.fromSeq || !counted || ![m.prevHash, m.firstHash, m.lastHash].every((h) => typeof h === "string" && HEX64.test(h))) {
    fail("modified", null, "manifest.json lacks a valid range, counts or hashes");
  }
  if (r.fromSeq === 1 && m.prevHash !== GENESIS_HASH) fail("modified", 1, "manifest.prevHash must be the genesis hash when the range starts at sequence 1");
  return m;
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte Ed25519 public key. */
function keyIdOf(key: KeyObject): string {
  return createHash("sha256").update(key.export({ format: "der", type: "spki" }).subarray(-32)).digest("hex").slice(0, 16);
}

function ed25519(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}

async function loadKeys(file: string, trusted?: string[]): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  if (trusted) {
    for (const pem of trusted) {
      const key = ed25519(pem);
      if (!key) throw new Error("a trusted key is not an Ed25519 public key in PEM form");
      keys.set(keyIdOf(key), key);
    }
    return keys;
  }
  let list: unknown;
  try {
    list = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return fail("modified", null, "keys.json is not valid JSON");
  }
  if (!Array.isArray(list)) fail("modified", null, "keys.json is not a list of keys");
  for (const k of list as unknown[]) {
    const key = isObject(k) && k.algorithm === "Ed25519" && typeof k.publicKey === "string" ? ed25519(k.publicKey) : null;
    if (!key || !isObject(k) || keyIdOf(key) !== k.keyId) fail("unknown_key", null, `keys.json entry ${JSON.stringify(isObject(k) ? k.keyId : k)} is not an Ed25519 key whose id matches its public key`);
    keys.set(keyIdOf(key!), key!);
  }
  return keys;
}

function asCheckpoint(v: unknown, line: number): BundleCheckpoint {
  if (!isObject(v) || !isSeq(v.seq) || typeof v.hash !== "string" || typeof v.at !== "string" || typeof v.keyId !== "string" || typeof v.signature !== "string") {
    return fail("modified", isObject(v) && isSeq(v.seq) ? v.seq : null, `checkpoints.jsonl line ${line} is not a checkpoint`);
  }
  return v as unknown as BundleCheckpoint;
}

/** Every checkpoint's Ed25519 signature, in file order; sequence numbers must rise strictly. */
async function checkSignatures(file: string, keys: Map<string, KeyObject>) {
  const lines = new JsonLines(file);
  let count = 0;
  let prev = 0;
  const keyIds = new Set<string>();
  for await (const v of lines) {
    const c = asCheckpoint(v, lines.line);
    const key = keys.get(c.keyId) ?? fail("unknown_key", c.seq, `checkpoint ${c.seq} is signed by key ${c.keyId}, which is not among the ${keys.size} trusted key(s)`);
    const payload = Buffer.from(canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }), "utf8");
    let good = false;
    try {
      good = verify(null, payload, key, Buffer.from(c.signature, "base64"));
    } catch {
      good = false;
    }
    if (!good) fail("bad_signature", c.seq, `the signature of checkpoint ${c.seq} does not verify with key ${c.keyId}`);
    if (c.seq === prev) fail("inserted", c.seq, `checkpoint ${c.seq} appears twice`);
    if (c.seq < prev) fail("reordered", c.seq, `checkpoint ${c.seq} comes after checkpoint ${prev}`);
    prev = c.seq;
    count += 1;
    keyIds.add(c.keyId);
  }
  return { count, keyIds };
}

function asEvent(v: unknown, line: number): BundleEvent {
  if (!isObject(v) || !isSeq(v.seq) || typeof v.hash !== "string" || typeof v.prevHash !== "string") {
    return fail("modified", isObject(v) && isSeq(v.seq) ? v.seq : null, `events.jsonl line ${line} is not an event with seq, prevHash and hash`);
  }
  return v as unknown as BundleEvent;
}

/** The seq of every line of events.jsonl, in file order (4 bytes each). */
async function scanSeqs(file: string): Promise<Int32Array> {
  let seqs = new Int32Array(1024);
  let n = 0;
  await forEachLineBytes(file, (bytes, line) => {
    // The exporter writes seq first: read it from the bytes and leave the full parse (and the
    // check that the parsed seq is this one) to walkChain, which reads every in-place line.
    let seq = leadingSeq(bytes);
    seq ??= asEvent(parseLine(bytes.toString("utf8"), file, line), line).seq;
    if (seq > 0x7fffffff) fail("modified", null, `events.jsonl line ${line} has an impossible sequence number`);
    if (n === seqs.length) {
      const grown = new Int32Array(n * 2);
      grown.set(seqs);
      seqs = grown;
    }
    seqs[n++] = seq;
  });
  return seqs.subarray(0, n);
}

const SEQ_PREFIX = Buffer.from('{"seq":');

/** The seq of a line that begins `{"seq":<digits>,`, as the exporter writes them; else null. */
function leadingSeq(b: Buffer): number | null {
  if (b.length < 9 || b.compare(SEQ_PREFIX, 0, 7, 0, 7) !== 0 || b[7] === 48) return null;
  let seq = 0;
  let i = 7;
  for (; i < 17 && i < b.length && b[i]! >= 48 && b[i]! <= 57; i++) seq = seq * 10 + (b[i]! - 48);
  return i > 7 && i < 17 && b[i] === 44 ? seq : null;
}

type Structural = { kind: FailureKind; seq: number; detail: string };

/**
 * Sequence-number failures, from the list of seqs alone. Duplicates and seqs outside the range
 * are insertions, a missing seq is a deletion (a missing tail is truncation); the lowest such
 * seq wins. With none of those the set is exactly fromSeq..toSeq, so a line out of its place is
 * a reordering, named by the seq that belongs there.
 */
function classifySeqs(seqs: Int32Array, fromSeq: number, toSeq: number): Structural | null {
  if (seqs.length === 0) return { kind: "truncated", seq: fromSeq, detail: "events.jsonl holds no events" };
  let found: Structural | null = null;
  const consider = (s: Structural) => {
    if (!found || s.seq < found.seq) found = s;
  };
  const sorted = Int32Array.from(seqs).sort();
  let expected = fromSeq;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (s < fromSeq || s > toSeq) consider({ kind: "inserted", seq: s, detail: `sequence ${s} lies outside the range ${fromSeq}–${toSeq}` });
    else if (i > 0 && s === sorted[i - 1]) consider({ kind: "inserted", seq: s, detail: `sequence ${s} appears more than once` });
    else {
      if (s > expected) consider({ kind: "deleted", seq: expected, detail: `sequence ${expected} is missing${s - expected > 1 ? ` (and ${s - expected - 1} after it)` : ""}` });
      expected = s + 1;
    }
  }
  if (expected <= toSeq) consider({ kind: "truncated", seq: expected, detail: `the events end at ${expected - 1}, the range at ${toSeq}` });
  if (found) return found;
  const at = seqs.findIndex((s, i) => s !== fromSeq + i);
  return at === -1 ? null : { kind: "reordered", seq: fromSeq + at, detail: `sequence ${seqs[at]} stands where ${fromSeq + at} belongs` };
}

/**
 * Recomputes the first `count` events' hashes and links, merging in the checkpoints (each must
 * equal the event hash at its seq) and the decision proofs (each batch against its seal event).
 */
async function walkChain(dir: string, manifest: BundleManifest, count: number) {
  const events = new JsonLines(path.join(dir, BUNDLE_FILES.events));
  const checkpoints = new JsonLines(path.join(dir, BUNDLE_FILES.checkpoints));
  const decisions = new JsonLines(path.join(dir, BUNDLE_FILES.decisions));
  const out = { firstHash: "", lastHash: "", fromTime: "", toTime: "", lastCovered: 0, decisions: 0, batches: 0, pendingCheckpoint: null as number | null, pendingDecision: null as number | null };
  let prev = manifest.prevHash;
  try {
    for (let i = 0; i < count; i++) {
      const e = asEvent(await events.next(), events.line);
      const s = e.seq;
      // scanSeqs read this seq from the line's first member; JSON.parse keeps the last of duplicates.
      if (s !== manifest.range.fromSeq + i) fail("modified", manifest.range.fromSeq + i, `events.jsonl line ${events.line} names sequence ${manifest.range.fromSeq + i} and then ${s}`);
      let c = await checkpoints.peek();
      if (c !== null && asCheckpoint(c, checkpoints.line).seq < s) fail("inserted", (c as BundleCheckpoint).seq, `checkpoint ${(c as BundleCheckpoint).seq} lies before the range`);
      const d = await decisions.peek();
      if (d !== null && asDecision(d, decisions.line).auditSeq < s) fail("inserted", (d as BundleDecision).auditSeq, `decisions.jsonl has a proof for sequence ${(d as BundleDecision).auditSeq}, which is not a decisions.seal event in the range`);

      if (e.prevHash !== prev) fail("modified", s, i === 0 ? "prevHash of the first event is not manifest.prevHash" : `prevHash does not equal the hash of sequence ${s - 1}: one of the two was changed`);
      const { prevHash, hash, ...event } = e;
      if (chainHash(prevHash, event as HashedEvent) !== hash) fail("modified", s, "the event's contents do not match its hash");
      c = await checkpoints.peek();
      if (c !== null && (c as BundleCheckpoint).seq === s) {
        await checkpoints.next();
        if ((c as BundleCheckpoint).hash !== hash) fail("modified", s, `the signed checkpoint at sequence ${s} has hash ${(c as BundleCheckpoint).hash}, the event has ${hash}`);
        out.lastCovered = s;
      }
      if (event.action === "decisions.seal") await checkBatch(decisions, s, event.after, out);
      if (i === 0) Object.assign(out, { firstHash: hash, fromTime: event.at });
      out.lastHash = prev = hash;
      out.toTime = event.at;
    }
    const c = await checkpoints.peek();
    out.pendingCheckpoint = c === null ? null : asCheckpoint(c, checkpoints.line).seq;
    const d = await decisions.peek();
    out.pendingDecision = d === null ? null : asDecision(d, decisions.line).auditSeq;
    return out;
  } finally {
    events.close();
    checkpoints.close();
    decisions.close();
  }
}

function asDecision(v: unknown, line: number): BundleDecision {
  if (!isObject(v) || !isObject(v.decision) || !isSeq(v.auditSeq) || !Number.isSafeInteger(v.index) || !isSeq(v.size) || !Array.isArray(v.path) || !v.path.every((h) => typeof h === "string" && HEX64.test(h))) {
    return fail("modified", isObject(v) && isSeq(v.auditSeq) ? v.auditSeq : null, `decisions.jsonl line ${line} is not a decision with its proof`);
  }
  return v as unknown as BundleDecision;
}

/** The proofs of one batch: each against the sealed root, every index 0..count-1 exactly once. */
async function checkBatch(lines: JsonLines, seq: number, after: unknown, out: { decisions: number; batches: number }) {
  const seal = isObject(after) ? after : {};
  const root = seal.root;
  const size = seal.count;
  if (typeof root !== "string" || !isSeq(size)) return fail("modified", seq, "the decisions.seal event carries no root and count");
  const seen = new Uint8Array(size);
  let proven = 0;
  for (let v = await lines.peek(); v !== null && asDecision(v, lines.line).auditSeq === seq; v = await lines.peek()) {
    await lines.next();
    const d = v as BundleDecision;
    const id = JSON.stringify(d.decision.id ?? null);
    if (d.size !== size || d.index < 0 || d.index >= size) fail("modified", seq, `decision ${id} claims index ${d.index} of ${d.size}; the batch sealed at sequence ${seq} has ${size}`);
    if (seen[d.index]) fail("inserted", seq, `index ${d.index} of the batch sealed at sequence ${seq} appears twice`);
    seen[d.index] = 1;
    const computed = rootFromProof(leafHash(d.decision), d.index, d.size, d.path.map((h) => Buffer.from(h, "hex")));
    if (computed?.toString("hex") !== root) fail("modified", seq, `decision ${id} (index ${d.index}) does not prove against the root sealed at sequence ${seq}`);
    proven += 1;
  }
  if (proven < size) fail("deleted", seq, `${size - proven} of the ${size} decisions sealed at sequence ${seq} are missing (first: index ${seen.indexOf(0)})`);
  out.decisions += proven;
  out.batches += 1;
}

/** matched.txt: ascending seqs inside the events, as many as the manifest counts. */
async function checkMatched(file: string, fromSeq: number, lastSeq: number, counted: number): Promise<number> {
  const input = createReadStream(file);
  let n = 0;
  let prev = 0;
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      const s = Number(line);
      if (!isSeq(s) || !/^\d+$/.test(line) || s < fromSeq || s > lastSeq) fail("modified", null, `matched.txt line ${n + 1} is not a sequence number inside the range`);
      if (s <= prev) fail(s === prev ? "inserted" : "reordered", s, `matched.txt lists ${s} after ${prev}`);
      prev = s;
      n += 1;
    }
  } finally {
    input.destroy();
  }
  if (n !== counted) fail(n < counted ? "deleted" : "inserted", null, `manifest counts ${counted} matching events, matched.txt lists ${n}`);
  return n;
}
