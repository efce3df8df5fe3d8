// The verifier's one pass over events.jsonl, line by line as the bytes arrive (from the archive
// stream: nothing is written to disk). It keeps every line's seq, since the structural checks need
// the whole list, and runs the chain walk's per-event checks on the lines that follow on from the
// first without a gap: the line parses as an event, its prevHash is the previous line's hash, and
// it hashes to its `hash`. What needs the other files (manifest.prevHash, checkpoints, decision
// proofs) is checked afterwards, in verify-bundle.ts, from what this keeps: each checked line's
// hash, the seal events' `after` and the first and last `at`.
import { chainHash, type HashedEvent } from "@/lib/audit/event";
import { hexEquals, readEventLine, type EventLine } from "@/lib/audit/event-line";
import { Failed, asEvent, fail, leadingSeq, parseLine, type VerifyFailure } from "@/lib/audit/bundle-checks";
import type { BundleEvent } from "@/lib/audit/bundle-format";

const FILE = "events.jsonl";
const NIBBLE = new Uint8Array(256);
for (let c = 0; c < 16; c++) NIBBLE["0123456789abcdef".charCodeAt(c)] = c;

/**
 * A failing line: `parse` failures (not an event, a second seq) come before the checkpoint and
 * decision checks of the same step of the walk, `content` failures (link, hash) after them.
 */
export type EventFailure = { index: number; stage: "parse" | "content"; failure: VerifyFailure };

export class EventScan {
  /** Lines read. */
  n = 0;
  private seqList = new Int32Array(1024);
  /** A line without a readable seq: reported before anything the walk finds (§6 step 4). */
  scanFailure: VerifyFailure | null = null;
  /** The first checked line that fails; lines after it are not checked. */
  eventFailure: EventFailure | null = null;
  /** Lines checked and passed: the first `checked` lines of the file. */
  checked = 0;
  /** The first line's prevHash, for the manifest (read from any line that names one). */
  firstPrevHash: unknown = undefined;
  firstAt: unknown = undefined;
  lastAt: unknown = undefined;
  /** Line index → `after` of each decisions.seal event among the checked lines. */
  readonly seals = new Map<number, unknown>();
  private hashes = Buffer.allocUnsafe(32 * 1024);
  private lastHash = "";
  private walking = true;
  // The last checked line's `at`, decoded once its chunk is done rather than for every line.
  private atBuf: Buffer | null = null;
  private atStart = 0;
  private atEnd = 0;

  /** The seq of every line read, in file order. */
  seqs(): Int32Array {
    return this.seqList.subarray(0, this.n);
  }

  /** The hash of checked line `index`, hex. */
  hashAt(index: number): string {
    return this.hashes.toString("hex", index * 32, index * 32 + 32);
  }

  /** One line, `buf[start, end)` without its line break. */
  line(buf: Buffer, start: number, end: number): void {
    if (this.scanFailure) return; // it is the outcome whatever follows
    const i = this.n;
    const fast = this.walking ? readEventLine(buf, start, end) : null;
    let parsed: BundleEvent | null = null;
    // Past the walk only the seq is needed: from a leading "seq" member when there is one, else
    // from the byte reader (the exporter's lines lead with "action"), else from JSON.parse.
    let seq = fast?.seq ?? leadingSeq(buf, start, end) ?? (this.walking ? null : (readEventLine(buf, start, end)?.seq ?? null));
    if (seq === null) {
      try {
        parsed = asEvent(parseLine(buf.toString("utf8", start, end), FILE, i + 1), i + 1);
      } catch (e) {
        if (!(e instanceof Failed)) throw e;
        this.scanFailure = e.failure;
        return;
      }
      seq = parsed.seq;
    }
    if (seq > 0x7fffffff) {
      this.scanFailure = { ok: false, kind: "modified", seq: null, detail: `events.jsonl line ${i + 1} has an impossible sequence number` };
      return;
    }
    if (i === this.seqList.length) {
      const grown = new Int32Array(i * 2);
      grown.set(this.seqList);
      this.seqList = grown;
    }
    this.seqList[this.n++] = seq;
    if (!this.walking) return;
    // The walk covers lines in their place only: the first line's seq, then one more each line.
    if (i > 0 && seq !== this.seqList[0]! + i) {
      this.walking = false;
      return;
    }
    let stage: EventFailure["stage"] = "parse";
    try {
      if (fast) this.checkRead(buf, i, fast);
      else {
        const e = parsed ?? asEvent(parseLine(buf.toString("utf8", start, end), FILE, i + 1), i + 1);
        const s = this.seqList[0]! + i;
        // The seq scan read the line's first member; JSON.parse keeps the last of duplicates.
        if (e.seq !== s) fail("modified", s, `events.jsonl line ${i + 1} names sequence ${s} and then ${e.seq}`);
        stage = "content";
        this.checkParsed(i, e);
      }
      this.checked = i + 1;
    } catch (e) {
      if (!(e instanceof Failed)) throw e;
      this.eventFailure = { index: i, stage: fast ? "content" : stage, failure: e.failure };
      this.walking = false;
    }
  }

  /** Call after each chunk's lines: the buffers they point into may be reused. */
  endChunk(): void {
    if (this.atBuf) this.lastAt = this.atStart < 0 ? undefined : JSON.parse(this.atBuf.toString("utf8", this.atStart, this.atEnd));
    this.atBuf = null;
  }

  private checkRead(buf: Buffer, i: number, line: EventLine) {
    const s = line.seq;
    if (i === 0) this.firstPrevHash = buf.toString("latin1", line.prevHashAt, line.prevHashAt + 64);
    else if (!hexEquals(buf, line.prevHashAt, this.lastHash)) fail("modified", s, `prevHash does not equal the hash of sequence ${s - 1}: one of the two was changed`);
    if (!hexEquals(buf, line.hashAt, line.digest)) fail("modified", s, "the event's contents do not match its hash");
    const seal = line.isSeal ? (line.afterStart < 0 ? undefined : JSON.parse(buf.toString("utf8", line.afterStart, line.afterEnd))) : undefined;
    if (i === 0) this.firstAt = line.atStart < 0 ? undefined : JSON.parse(buf.toString("utf8", line.atStart, line.atEnd));
    this.atBuf = buf;
    this.atStart = line.atStart;
    this.atEnd = line.atEnd;
    this.passed(i, line.digest, line.isSeal, seal, buf, line.hashAt);
  }

  private checkParsed(i: number, e: BundleEvent) {
    const s = e.seq;
    if (i === 0) this.firstPrevHash = e.prevHash;
    else if (e.prevHash !== this.lastHash) fail("modified", s, `prevHash does not equal the hash of sequence ${s - 1}: one of the two was changed`);
    const { prevHash, hash, ...event } = e;
    if (chainHash(prevHash, event as HashedEvent) !== hash) fail("modified", s, "the event's contents do not match its hash");
    if (i === 0) this.firstAt = event.at;
    this.atBuf = null;
    this.lastAt = event.at;
    this.passed(i, hash, event.action === "decisions.seal", event.after);
  }

  /** Keeps a checked line's hash; `line`/`at`: where its hex digits sit in the line, if known. */
  private passed(i: number, hash: string, isSeal: boolean, after: unknown, line?: Buffer, at = 0) {
    if ((i + 1) * 32 > this.hashes.length) {
      const grown = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(grown);
      this.hashes = grown;
    }
    if (line) {
      // Decoded from the line's bytes (checked equal to the digest): cheaper than Buffer#write(hex).
      const h = this.hashes;
      for (let k = 0, o = i * 32; k < 64; k += 2, o++) h[o] = (NIBBLE[line[at + k]!]! << 4) | NIBBLE[line[at + k + 1]!]!;
    } else this.hashes.write(hash, i * 32, 32, "hex");
    this.lastHash = hash;
    if (isSeal) this.seals.set(i, after);
  }
}
