// Offline verifier for governor-audit-bundle/1 (docs/AUDIT_FORMAT.md). It needs no database and
// no network: it imports only the pure hashing modules, never lib/db, lib/env or the signing keys.
//
// It reads the archive once, as a stream: events.jsonl is checked line by line as it arrives
// (event-scan.ts), the small files are kept in memory, and decisions.jsonl is read against what
// the events pass kept. The failure reported is the one the steps of §6, run in order, would find
// first, whatever the order of the files in the archive.
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { stat } from "node:fs/promises";
import { LineReader, forEachLineBytes } from "@/lib/audit/line-reader";
import { GENESIS_HASH, canonicalJson } from "@/lib/audit/event";
import { batchProofs, leafHash, rootFromProof } from "@/lib/audit/merkle";
import { EventScan } from "@/lib/audit/event-scan";
import { readBundle } from "@/lib/audit/bundle-reader";
import { Failed, HEX64, fail, isObject, isSeq, parseLine, type VerifyFailure } from "@/lib/audit/bundle-checks";
import {
  BUNDLE_FILES, BUNDLE_FORMAT,
  type BundleCheckpoint, type BundleDecision, type BundleManifest, type FailureKind,
} from "@/lib/audit/bundle-format";

export type { VerifyFailure } from "@/lib/audit/bundle-checks";
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

/**
 * Checks a bundle (.tar.gz, or a directory holding its files) and names the first failure.
 * `trustedKeys` (SPKI PEM): when given, only these keys count and keys.json is ignored.
 */
export async function verifyBundle(bundle: string, opts: { trustedKeys?: string[] } = {}): Promise<VerifyReport> {
  const isDir = (await stat(bundle)).isDirectory();
  const v = new Verification(opts.trustedKeys);
  try {
    await readBundle(bundle, isDir, (name, chunks) => v.file(name, chunks));
    return await v.result();
  } catch (e) {
    if (e instanceof Failed) return e.failure;
    throw e;
  }
}

const collect = async (chunks: AsyncIterable<Buffer>): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
};
async function* fromBuffers(parts: Buffer[]): AsyncIterable<Buffer> {
  yield* parts;
}

/** What §6 steps 1–3 establish: the manifest, the trusted keys and the signed checkpoints. */
type Head = { manifest: BundleManifest; checkpoints: BundleCheckpoint[]; keyIds: Set<string> };
type Walk = Awaited<ReturnType<typeof walkChain>>;
/** The steps' results, each kept until result() reports the first failure in §6 order. */
type Outcome<T> = { value: T } | { error: unknown };

class Verification {
  private readonly seen = new Set<string>();
  private readonly small = new Map<string, Buffer>();
  private scan: EventScan | null = null;
  private head: Outcome<Head> | null = null;
  private walk: Outcome<Walk> | null = null;
  private decisions: Buffer[] | null = null; // decisions.jsonl when it came before what it needs

  constructor(private readonly trustedKeys?: string[]) {}

  async file(name: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    // Extracting would have kept one copy; a second one is something added to the bundle.
    if (this.seen.has(name)) fail("inserted", null, `the archive holds ${name} more than once`);
    this.seen.add(name);
    if (name === BUNDLE_FILES.events) {
      const scan = new EventScan();
      await forEachLineBytes(chunks, (buf, start, end) => scan.line(buf, start, end), () => scan.endChunk());
      this.scan = scan;
    } else if (name === BUNDLE_FILES.decisions) {
      const lines = new JsonLines(chunks, name);
      if (this.settled()) await lines.drain(); // an earlier step has failed: the proofs do not matter
      else if (this.ready()) await this.runWalk(lines);
      else this.decisions = [await collect(chunks)];
    } else {
      this.small.set(name, await collect(chunks));
    }
  }

  /** Steps 1–3 once their files are in: they come before anything the events show. */
  private headOutcome(): Outcome<Head> | null {
    if (this.head) return this.head;
    const m = this.small.get(BUNDLE_FILES.manifest), k = this.small.get(BUNDLE_FILES.keys), c = this.small.get(BUNDLE_FILES.checkpoints);
    if (!m || !k || !c) return null;
    try {
      const manifest = readManifest(m);
      const keys = loadKeys(k, this.trustedKeys);
      this.head = { value: { manifest, ...checkSignatures(c, keys) } };
    } catch (e) {
      this.head = { error: e };
    }
    return this.head;
  }

  /** Whether decisions.jsonl can be checked as it arrives: everything that comes before it is in and passed. */
  private ready(): boolean {
    const head = this.headOutcome();
    return this.scan !== null && head !== null && "value" in head && this.scan.scanFailure === null;
  }

  /** Whether a step before the walk has failed already. */
  private settled(): boolean {
    const head = this.headOutcome();
    return (head !== null && "error" in head) || this.scan?.scanFailure != null;
  }

  private async runWalk(decisions: JsonLines) {
    const head = (this.head as { value: Head }).value;
    try {
      this.walk = { value: await walkChain(this.scan!, head, decisions) };
    } catch (e) {
      this.walk = { error: e };
    } finally {
      await decisions.drain();
    }
  }

  async result(): Promise<VerifyReport> {
    for (const name of [BUNDLE_FILES.manifest, BUNDLE_FILES.events, BUNDLE_FILES.checkpoints, BUNDLE_FILES.keys, BUNDLE_FILES.decisions, BUNDLE_FILES.matched]) {
      if (!this.seen.has(name)) fail("deleted", null, `${name} is missing from the bundle`);
    }
    const head = this.headOutcome()!;
    if ("error" in head) throw head.error;
    const scan = this.scan!;
    if (scan.scanFailure) throw new Failed(scan.scanFailure);
    if (!this.walk) await this.runWalk(new JsonLines(fromBuffers(this.decisions ?? []), BUNDLE_FILES.decisions));
    if ("error" in this.walk!) throw this.walk.error;
    const walk = this.walk!.value;
    if (walk.structural) fail(walk.structural.kind, walk.structural.seq, walk.structural.detail);

    const { manifest } = head.value;
    const { fromSeq } = manifest.range;
    const n = scan.n;
    const lastSeq = fromSeq + n - 1;
    if (walk.pendingCheckpoint !== null) fail("truncated", lastSeq + 1, `a signed checkpoint covers sequence ${walk.pendingCheckpoint}, but the events end at ${lastSeq}`);
    if (walk.lastCovered !== lastSeq) fail("truncated", lastSeq + 1, `no signed checkpoint covers the last event (sequence ${lastSeq}); the bundle may have been cut short`);
    if (walk.pendingDecision !== null) fail("inserted", walk.pendingDecision, `decisions.jsonl has a proof for sequence ${walk.pendingDecision}, which is not a decisions.seal event in the range`);

    const c = manifest.counts;
    const signed = head.value.checkpoints.length;
    if (c.events !== n) fail(n < c.events ? "truncated" : "inserted", n < c.events ? lastSeq + 1 : null, `manifest counts ${c.events} events, events.jsonl has ${n}`);
    if (manifest.firstHash !== walk.firstHash) fail("modified", fromSeq, "manifest.firstHash is not the hash of the first event");
    if (manifest.lastHash !== walk.lastHash) fail("modified", lastSeq, "manifest.lastHash is not the hash of the last event");
    if (manifest.range.fromTime !== walk.fromTime || manifest.range.toTime !== walk.toTime) fail("modified", null, "manifest.range times are not those of the first and last event");
    if (c.checkpoints !== signed) fail(signed < c.checkpoints ? "deleted" : "inserted", null, `manifest counts ${c.checkpoints} checkpoints, checkpoints.jsonl has ${signed}`);
    if (c.decisions !== walk.decisions || c.batches !== walk.batches) {
      fail(walk.decisions < c.decisions ? "deleted" : "inserted", null, `manifest counts ${c.decisions} decisions in ${c.batches} batches, decisions.jsonl proves ${walk.decisions} in ${walk.batches}`);
    }
    const matched = checkMatched(this.small.get(BUNDLE_FILES.matched)!, fromSeq, lastSeq, c.matched);
    return {
      ok: true,
      events: n,
      matched,
      range: manifest.range,
      lastHash: walk.lastHash,
      checkpoints: { verified: signed, keyIds: [...head.value.keyIds] },
      decisions: { proven: walk.decisions, batches: walk.batches },
    };
  }
}

/** Parsed JSON lines with one line of look-ahead; a line that is not a JSON object is a modification. */
class JsonLines {
  private readonly lines: LineReader;
  /** undefined: not read yet; null: end of file. Read it to skip an await when it is there. */
  ahead: unknown = undefined;
  line = 0;
  constructor(source: AsyncIterable<Buffer>, private readonly file: string) {
    this.lines = new LineReader(source);
  }
  async peek(): Promise<unknown> {
    if (this.ahead === undefined) {
      const raw = await this.lines.next();
      if (raw !== null) this.line += 1;
      this.ahead = raw === null ? null : parseLine(raw, this.file, this.line);
    }
    return this.ahead;
  }
  async next(): Promise<unknown> {
    const v = await this.peek();
    if (v !== null) this.ahead = undefined;
    return v;
  }
  drain(): Promise<void> {
    return this.lines.drain();
  }
}

/** Lines of a small file held in memory, without the empty tail after the last "\n". */
function textLines(buf: Buffer): string[] {
  const lines = buf.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

function readManifest(buf: Buffer): BundleManifest {
  let m: BundleManifest;
  try {
    m = JSON.parse(buf.toString("utf8")) as BundleManifest;
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

function loadKeys(buf: Buffer, trusted?: string[]): Map<string, KeyObject> {
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
    list = JSON.parse(buf.toString("utf8"));
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
function checkSignatures(buf: Buffer, keys: Map<string, KeyObject>) {
  const checkpoints: BundleCheckpoint[] = [];
  let prev = 0;
  const keyIds = new Set<string>();
  for (const [i, raw] of textLines(buf).entries()) {
    const c = asCheckpoint(parseLine(raw, BUNDLE_FILES.checkpoints, i + 1), i + 1);
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
    checkpoints.push(c);
    keyIds.add(c.keyId);
  }
  return { checkpoints, keyIds };
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
 * The chain walk (§6 step 5) over the events in their place, in front of the first structural
 * failure, so that a content failure at a lower sequence number is named first. The events pass
 * checked each line's parse, link and hash; this merges in, step by step as the walk would, the
 * manifest's prevHash, the checkpoints (each must equal the event hash at its seq) and the
 * decision proofs (each batch against its seal event).
 */
async function walkChain(scan: EventScan, head: Head, decisions: JsonLines) {
  const { manifest, checkpoints } = head;
  const { fromSeq, toSeq } = manifest.range;
  const seqs = scan.seqs();
  const structural = classifySeqs(seqs, fromSeq, toSeq);
  let count = 0;
  while (count < seqs.length && seqs[count] === fromSeq + count && (!structural || fromSeq + count < structural.seq)) count++;
  const out = { structural, firstHash: "", lastHash: "", fromTime: undefined as unknown, toTime: undefined as unknown, lastCovered: 0, decisions: 0, batches: 0, pendingCheckpoint: null as number | null, pendingDecision: null as number | null };
  const failed = scan.eventFailure;
  let cp = 0;
  let checkedDecision: unknown = undefined; // the look-ahead line asDecision passed, checked once
  const decisionShape = (d: unknown): BundleDecision | null => {
    if (d !== null && d !== checkedDecision) checkedDecision = asDecision(d, decisions.line);
    return d as BundleDecision | null;
  };
  for (let i = 0; i < count; i++) {
    const s = fromSeq + i;
    const own = failed?.index === i ? failed : null;
    if (own?.stage === "parse") throw new Failed(own.failure);
    const c = checkpoints[cp];
    if (c && c.seq < s) fail("inserted", c.seq, `checkpoint ${c.seq} lies before the range`);
    // Awaited only when a new line must be read: not once per event.
    const d = decisionShape(decisions.ahead !== undefined ? decisions.ahead : await decisions.peek());
    if (d !== null && d.auditSeq < s) fail("inserted", d.auditSeq, `decisions.jsonl has a proof for sequence ${d.auditSeq}, which is not a decisions.seal event in the range`);
    if (i === 0 && scan.firstPrevHash !== manifest.prevHash) fail("modified", s, "prevHash of the first event is not manifest.prevHash");
    if (own) throw new Failed(own.failure);
    if (i >= scan.checked) throw new Error(`the events pass stopped at line ${scan.checked + 1}, before the walk`);
    if (c && c.seq === s) {
      cp += 1;
      const hash = scan.hashAt(i);
      if (c.hash !== hash) fail("modified", s, `the signed checkpoint at sequence ${s} has hash ${c.hash}, the event has ${hash}`);
      out.lastCovered = s;
    }
    if (scan.seals.has(i)) await checkBatch(decisions, s, scan.seals.get(i), out);
  }
  if (count > 0) Object.assign(out, { firstHash: scan.hashAt(0), lastHash: scan.hashAt(count - 1), fromTime: scan.firstAt, toTime: scan.lastAt });
  out.pendingCheckpoint = checkpoints[cp]?.seq ?? null;
  out.pendingDecision = decisionShape(await decisions.peek())?.auditSeq ?? null;
  return out;
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
  // The batch's lines first. A line that is not a decision is reported after anything wrong in
  // the lines before it, as when each line was checked as it was read.
  const batch: BundleDecision[] = [];
  let unreadable: unknown = null;
  for (;;) {
    try {
      const v = await lines.peek();
      if (v === null || asDecision(v, lines.line).auditSeq !== seq) break;
      batch.push(v as BundleDecision);
      await lines.next();
    } catch (e) {
      unreadable = e;
      break;
    }
  }
  if (unreadable !== null || !provesAsTree(batch, size, root)) {
    // Something is wrong: find and name the first line at fault, one proof at a time.
    const seen = new Uint8Array(size);
    for (const d of batch) checkProof(d, seq, size, root, seen);
    if (unreadable !== null) throw unreadable;
    if (batch.length < size) fail("deleted", seq, `${size - batch.length} of the ${size} decisions sealed at sequence ${seq} are missing (first: index ${seen.indexOf(0)})`);
  }
  out.decisions += batch.length;
  out.batches += 1;
}

/**
 * True when the batch is whole (every index 0..size-1 once, each claiming `size`), its leaves
 * build the sealed root, and every proof is its leaf's path in that tree. Then every proof
 * leads to the root, with one tree build (2 hashes a decision) instead of a hash per level of
 * every path (docs/BENCHMARKS-AUDIT.md).
 */
function provesAsTree(batch: readonly BundleDecision[], size: number, root: string): boolean {
  if (batch.length !== size) return false;
  const leaves = new Array<Buffer>(size);
  for (const d of batch) {
    if (d.size !== size || d.index < 0 || d.index >= size || leaves[d.index]) return false;
    leaves[d.index] = leafHash(d.decision);
  }
  const tree = batchProofs(leaves);
  if (tree.root.toString("hex") !== root) return false;
  for (const d of batch) {
    const path = tree.hexPathOf(d.index);
    if (path.length !== d.path.length) return false;
    for (let k = 0; k < path.length; k++) if (path[k] !== d.path[k]) return false;
  }
  return true;
}

function checkProof(d: BundleDecision, seq: number, size: number, root: string, seen: Uint8Array) {
  const id = JSON.stringify(d.decision.id ?? null);
  if (d.size !== size || d.index < 0 || d.index >= size) fail("modified", seq, `decision ${id} claims index ${d.index} of ${d.size}; the batch sealed at sequence ${seq} has ${size}`);
  if (seen[d.index]) fail("inserted", seq, `index ${d.index} of the batch sealed at sequence ${seq} appears twice`);
  seen[d.index] = 1;
  const computed = rootFromProof(leafHash(d.decision), d.index, d.size, d.path.map((h) => Buffer.from(h, "hex")));
  if (computed?.toString("hex") !== root) fail("modified", seq, `decision ${id} (index ${d.index}) does not prove against the root sealed at sequence ${seq}`);
}

/** matched.txt: ascending seqs inside the events, as many as the manifest counts. */
function checkMatched(buf: Buffer, fromSeq: number, lastSeq: number, counted: number): number {
  let n = 0;
  let prev = 0;
  // Digits read from the bytes: the file has a line per matching event.
  const check = (start: number, end: number) => {
    let s = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      s = c >= 48 && c <= 57 && s >= 0 ? s * 10 + c - 48 : -1;
    }
    if (end === start || !isSeq(s) || s < fromSeq || s > lastSeq) fail("modified", null, `matched.txt line ${n + 1} is not a sequence number inside the range`);
    if (s <= prev) fail(s === prev ? "inserted" : "reordered", s, `matched.txt lists ${s} after ${prev}`);
    prev = s;
    n += 1;
  };
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    check(start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl);
    start = nl + 1;
  }
  if (start < buf.length) check(start, buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length);
  if (n !== counted) fail(n < counted ? "deleted" : "inserted", null, `manifest counts ${counted} matching events, matched.txt lists ${n}`);
  return n;
}
