// The hash input of an events.jsonl line, built from the line's bytes without JSON.parse or a
// serializer. The verifier hashes every event of a bundle; decoding, parsing and re-serialising
// each line was three quarters of its time (docs/BENCHMARKS-AUDIT.md). No library does this: a
// JSON parser builds values, and a canonicalizer needs them.
//
// The exporter writes each line as the event's canonical JSON with prevHash and hash appended, so
// such a line is validated and hashed where it stands (readEventLine tries that first). Lines in
// JSON.stringify's form with members in another order (earlier bundles, or rewritten by hand) have
// strings and numbers in RFC 8785 form already; they are validated and their members re-ordered
// byte for byte. Anything this reader does not accept as already canonical
// (whitespace, an escape JSON.stringify would not write, a non-integer number, a duplicate or
// escaped key, "__proto__", invalid UTF-8, deep nesting) makes it return null, and the caller
// parses the line and serialises it as before: this path must never decide a line, only hash
// one that it can prove has the same canonical form as its parsed value.
import { isUtf8 } from "node:buffer";
import { hash } from "node:crypto";

const MAX_DEPTH = 64;
const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;

/** What a line holds besides its hash input; positions are into the line's buffer. */
export interface EventLine {
  seq: number;
  /** The SHA-256 of prevHash ‖ canonical event, in lower-case hex. */
  digest: string;
  /** Start of the 64 hex digits of prevHash and of hash (escape-free, ASCII). */
  prevHashAt: number;
  hashAt: number;
  /** The `at` value's span (quotes included), or -1 when absent. */
  atStart: number;
  atEnd: number;
  /** The `after` value's span, or -1 when absent; `isSeal`: action is exactly "decisions.seal". */
  afterStart: number;
  afterEnd: number;
  isSeal: boolean;
  /** Where in the work buffer the hash input starts (it ends at the write position). */
  hashInputAt: number;
  /** Read in place (the exporter's canonical form) rather than re-ordered. */
  inPlace: boolean;
}

const result: EventLine = { seq: 0, digest: "", prevHashAt: -1, hashAt: -1, atStart: -1, atEnd: -1, afterStart: -1, afterEnd: -1, isSeal: false, hashInputAt: 0, inPlace: false };

// Work buffers: members are written here in the line's order, then copied in canonical order.
let out = Buffer.allocUnsafe(1 << 16);
let src: Buffer = out;
let p = 0; // read position in src
let o = 0; // write position in out
let end = 0;
let nonAscii = false;
// Member spans of the objects being read, as a stack: keyStart, keyEnd (in src), outStart, outEnd.
let spans = new Int32Array(4096);
let sp = 0;

const TOP_KEYS = ["seq", "at", "action", "after", "prevHash", "hash"].map((k) => Buffer.from(`"${k}"`));
const [K_SEQ, K_AT, K_ACTION, K_AFTER, K_PREV, K_HASH] = TOP_KEYS as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
const SEAL = Buffer.from('"decisions.seal"');
// The exporter's member order (prevHash and hash aside) and, for each place in canonical order,
// which of those goes there: lines in this order skip the sort.
const EXPORT_NAMES = ["seq", "at", "actor", "action", "target", "before", "after", "reason", "policyVersion", "generation", "request"];
const EXPORT_KEYS = EXPORT_NAMES.map((k) => Buffer.from(`"${k}"`));
const EXPORT_SORTED = EXPORT_NAMES.map((_, i) => i).sort((a, b) => (EXPORT_NAMES[a]! < EXPORT_NAMES[b]! ? -1 : 1)); // ASCII: code unit order
const records = new Int32Array(4 * EXPORT_NAMES.length);
const PROTO = Buffer.from('"__proto__"');

const same = (a: number, b: number, lit: Buffer): boolean => {
  if (b - a !== lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (src[a + i] !== lit[i]) return false;
  return true;
};

/** Copies a canonical string; false for a string JSON.stringify would write otherwise. */
function string(keyOnly: boolean, write = 1): boolean {
  // Locals, not the module's variables, in the loop that sees most of the bytes. With write = 0
  // every byte lands on the same place and o does not move: a check without a copy.
  const s = src, d = out, stop = end;
  let i = p + 1, j = o;
  d[j] = QUOTE;
  j += write;
  for (;;) {
    if (i >= stop) return false;
    const c = s[i]!;
    if (c === QUOTE) {
      d[j] = c;
      p = i + 1;
      o = j + write;
      return true;
    }
    if (c < 0x20) return false;
    if (c === BACKSLASH) {
      if (keyOnly || i + 1 >= stop) return false; // escaped keys would sort by their escapes, not their characters
      const e = s[i + 1]!;
      if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        d[j] = c;
        j += write;
        d[j] = e;
        j += write;
        i += 2;
        continue;
      }
      // \u00XX only for the controls without a short escape, lower-case hex, as JSON.stringify writes them
      if (e !== 0x75 || i + 5 >= stop || s[i + 2] !== 0x30 || s[i + 3] !== 0x30) return false;
      const h = s[i + 4]!, l = s[i + 5]!;
      const lo = l >= 0x30 && l <= 0x39 ? l - 0x30 : l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
      if ((h !== 0x30 && h !== 0x31) || lo < 0) return false;
      const code = (h - 0x30) * 16 + lo;
      if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return false;
      for (let k = 0; k < 6; k++) {
        d[j] = s[i + k]!;
        j += write;
      }
      i += 6;
      continue;
    }
    if (c >= 0x80) {
      if (keyOnly) return false; // byte order is UTF-16 order only for ASCII keys
      nonAscii = true;
    }
    d[j] = c;
    j += write;
    i++;
  }
}

/** Skips a string of 64 escape-free ASCII characters (prevHash, hash): the line's bytes are its value. */
function hash64(): boolean {
  if (src[p] !== QUOTE || p + 65 >= end || src[p + 65] !== QUOTE) return false;
  for (let i = p + 1; i < p + 65; i++) {
    const c = src[i]!;
    if (c < 0x20 || c === BACKSLASH || c === QUOTE || c >= 0x80) return false;
  }
  p += 66;
  return true;
}

/** Copies an integer of up to 15 digits (exact in a double, written back the same); else false. */
function number(): boolean {
  const start = p;
  if (src[p] === 0x2d) out[o++] = src[p++]!;
  const first = p;
  while (p < end && src[p]! >= 0x30 && src[p]! <= 0x39) out[o++] = src[p++]!;
  const digits = p - first;
  if (digits === 0 || digits > 15 || (src[first] === 0x30 && digits > 1)) return false;
  if (src[first] === 0x30 && first > start) return false; // -0 is written 0
  const c = src[p];
  return c !== 0x2e && c !== 0x65 && c !== 0x45;
}

function literal(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    if (src[p] !== word.charCodeAt(i)) return false;
    out[o++] = src[p++]!;
  }
  return true;
}

function value(depth: number): boolean {
  switch (src[p]) {
    case QUOTE: return string(false);
    case 0x7b: return object(depth + 1);
    case 0x5b: return array(depth + 1);
    case 0x74: return literal("true");
    case 0x66: return literal("false");
    case 0x6e: return literal("null");
    default: return number();
  }
}

function array(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  out[o++] = src[p++]!;
  if (src[p] === 0x5d) {
    out[o++] = src[p++]!;
    return true;
  }
  for (;;) {
    if (!value(depth)) return false;
    const c = src[p++];
    out[o++] = c!;
    if (c === 0x5d) return true;
    if (c !== COMMA) return false;
  }
}

/** Key order: ASCII byte order, which is UTF-16 code unit order for the keys string() accepts. */
function compareKeys(as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs) - 1; // the closing quote is not part of the key
  for (let i = 1; i < n; i++) {
    const d = src[as + i]! - src[bs + i]!;
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/** Records a member: key span in src, member span (key, colon, value) in out or, as -1 - start, in src. */
function push(keyStart: number, keyEnd: number, memberStart: number, memberEnd: number) {
  if (sp + 4 > spans.length) {
    const grown = new Int32Array(spans.length * 2);
    grown.set(spans);
    spans = grown;
  }
  spans[sp] = keyStart;
  spans[sp + 1] = keyEnd;
  spans[sp + 2] = memberStart;
  spans[sp + 3] = memberEnd;
  sp += 4;
}

/**
 * The top-level members the verifier reads; false for a duplicate or malformed one. `known`: the
 * member's place in the exporter's order when the line follows it so far (EXPORT_NAMES), else -1.
 */
function topMember(line: EventLine, keyStart: number, keyEnd: number, valueStart: number, hashMember: boolean, known: number): boolean | "drop" {
  if (hashMember) {
    const isHash = keyEnd - keyStart === K_HASH.length;
    if ((isHash ? line.hashAt : line.prevHashAt) >= 0) return false; // hash64() checked the value
    if (isHash) line.hashAt = valueStart + 1;
    else line.prevHashAt = valueStart + 1;
    return "drop"; // not part of the hashed event
  }
  const id = known >= 0 ? known : same(keyStart, keyEnd, K_SEQ) ? 0 : same(keyStart, keyEnd, K_AT) ? 1 : same(keyStart, keyEnd, K_ACTION) ? 3 : same(keyStart, keyEnd, K_AFTER) ? 6 : -1;
  switch (id) {
    case 0: {
      let seq = 0;
      for (let i = valueStart; i < p; i++) {
        const c = src[i]!;
        if (c < 0x30 || c > 0x39) return false;
        seq = seq * 10 + c - 0x30;
      }
      line.seq = seq;
      break;
    }
    case 1:
      line.atStart = valueStart;
      line.atEnd = p;
      break;
    case 3:
      line.isSeal = same(valueStart, p, SEAL);
      break;
    case 6:
      line.afterStart = valueStart;
      line.afterEnd = p;
      break;
  }
  return true;
}

/**
 * Copies an object's members as they come (key, colon, value, commas) and, unless their keys are
 * in order already, rewrites them sorted. The top-level object leaves prevHash and hash out and
 * notes where the members the verifier reads sit.
 */
function object(depth: number, top?: EventLine): boolean {
  if (depth > MAX_DEPTH) return false;
  const base = sp;
  const objStart = o;
  let exportOrder = top !== undefined;
  out[o++] = src[p++]!;
  if (src[p] === 0x7d) {
    out[o++] = src[p++]!;
    return !top;
  }
  for (;;) {
    if (src[p] !== QUOTE) return false;
    const keyStart = p;
    const memberStart = o;
    // Top-level members with a string, number or literal value are copied from the line itself
    // when re-ordered: no first copy here.
    if (!string(true, top ? 0 : 1)) return false;
    const keyEnd = p;
    const k0 = src[keyStart + 1]!;
    const klen = keyEnd - keyStart;
    // V8 puts index keys ("0", "17") first whatever the order; "__proto__" is special to it too.
    if ((k0 >= 0x30 && k0 <= 0x39) || (klen === 11 && same(keyStart, keyEnd, PROTO))) return false;
    if (src[p] !== COLON) return false;
    const valueStart = p + 1;
    let fromLine = false;
    const hashMember = top !== undefined && ((klen === K_HASH.length && same(keyStart, keyEnd, K_HASH)) || (klen === K_PREV.length && same(keyStart, keyEnd, K_PREV)));
    if (!top) {
      out[o++] = src[p++]!;
      if (!value(depth)) return false;
    } else if (hashMember) {
      p++;
      if (!hash64()) return false;
    } else if (src[valueStart] === 0x7b || src[valueStart] === 0x5b) {
      for (let i = keyStart; i <= keyEnd; i++) out[o++] = src[i]!; // key and colon
      p++;
      if (!value(depth)) return false;
    } else {
      p++;
      const c = src[p];
      if (!(c === QUOTE ? string(false, 0) : value(depth))) return false;
      o = memberStart;
      fromLine = true;
    }
    let known = -1;
    if (top && !hashMember) {
      const k = (sp - base) >> 2;
      if (exportOrder && k < EXPORT_KEYS.length && same(keyStart, keyEnd, EXPORT_KEYS[k]!)) known = k;
      else exportOrder = false;
    }
    const kept = top ? topMember(top, keyStart, keyEnd, valueStart, hashMember, known) : true;
    if (!kept) return false;
    if (kept === "drop") o = memberStart;
    else push(keyStart, keyEnd, fromLine ? -1 - keyStart : memberStart, fromLine ? p : o);
    const c = src[p++];
    if (c === 0x7d) break;
    if (c !== COMMA) return false;
    if (!top) out[o++] = COMMA;
  }
  let sorted = true;
  if (exportOrder && sp - base === 4 * EXPORT_KEYS.length) {
    // The exporter's order, all keys distinct: put them in place without comparing.
    sorted = false;
    for (let i = 0; i < records.length; i++) records[i] = spans[base + i]!;
    for (let i = 0; i < EXPORT_SORTED.length; i++) {
      const from = 4 * EXPORT_SORTED[i]!, to = base + 4 * i;
      spans[to] = records[from]!;
      spans[to + 1] = records[from + 1]!;
      spans[to + 2] = records[from + 2]!;
      spans[to + 3] = records[from + 3]!;
    }
  }
  // Otherwise an insertion sort of the member records (objects are small). An equal key is a
  // duplicate, which JSON.parse resolves its own way: leave those lines to it.
  else for (let i = base + 4; i < sp; i += 4) {
    const ks = spans[i]!, ke = spans[i + 1]!, ms = spans[i + 2]!, me = spans[i + 3]!;
    let j = i;
    let d = 0;
    while (j > base && (d = compareKeys(ks, ke, spans[j - 4]!, spans[j - 3]!)) < 0) {
      spans[j] = spans[j - 4]!;
      spans[j + 1] = spans[j - 3]!;
      spans[j + 2] = spans[j - 2]!;
      spans[j + 3] = spans[j - 1]!;
      j -= 4;
    }
    if (j > base && d === 0) return false;
    if (j !== i) {
      sorted = false;
      spans[j] = ks;
      spans[j + 1] = ke;
      spans[j + 2] = ms;
      spans[j + 3] = me;
    }
  }
  if (sorted && !top) {
    out[o++] = 0x7d;
    sp = base;
    return true;
  }
  // Write the members in key order after what is written so far, then move them back. The
  // top-level object stays there, after 64 bytes left for prevHash: that is the hash input.
  if (top) o += 64;
  const tmp = o;
  const d = out, m = spans, s = src;
  let j = o;
  d[j++] = 0x7b;
  for (let i = base; i < sp; i += 4) {
    if (i > base) d[j++] = COMMA;
    const ms = m[i + 2]!, me = m[i + 3]!;
    if (ms >= 0) for (let k = ms; k < me; k++) d[j++] = d[k]!;
    else for (let k = -1 - ms; k < me; k++) d[j++] = s[k]!;
  }
  d[j++] = 0x7d;
  o = j;
  if (top) {
    top.hashInputAt = tmp - 64;
  } else {
    out.copyWithin(objStart, tmp, o);
    o = objStart + (o - tmp);
  }
  sp = base;
  return true;
}

// Lines already in canonical form: the exporter writes each event's canonical JSON with prevHash
// and hash appended as its last two members (docs/AUDIT_FORMAT.md §5.2), so the hash input is the
// line itself up to the comma before prevHash, closed with "}". Such a line is only checked
// (strings, numbers and literals as above; every object's keys in strictly increasing order),
// nothing is copied, and that is about half the work of re-ordering it. A line in any other form
// takes the re-ordering path.

function word(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (src[p++] !== text.charCodeAt(i)) return false;
  return true;
}

/** A value checked where it stands; objects must already have their keys in JCS order. */
function sortedValue(depth: number): boolean {
  switch (src[p]) {
    case QUOTE: return string(false, 0);
    case 0x7b: return sortedObject(depth + 1);
    case 0x5b: {
      if (depth + 1 > MAX_DEPTH) return false;
      p++;
      if (src[p] === 0x5d) return void p++, true;
      for (;;) {
        if (!sortedValue(depth + 1)) return false;
        const c = src[p++];
        if (c === 0x5d) return true;
        if (c !== COMMA) return false;
      }
    }
    case 0x74: return word("true");
    case 0x66: return word("false");
    case 0x6e: return word("null");
    default: {
      const at = o;
      const ok = number(); // writes its digits to the work buffer: dropped
      o = at;
      return ok;
    }
  }
}

/** A key at p, checked as readEventLine checks keys, and greater than the key at [ps, pe) if any. */
function sortedKey(ps: number, pe: number): boolean {
  const ks = p;
  if (src[p] !== QUOTE || !string(true, 0)) return false;
  const k0 = src[ks + 1]!;
  if ((k0 >= 0x30 && k0 <= 0x39) || (p - ks === 11 && same(ks, p, PROTO))) return false;
  return ps < 0 || compareKeys(ps, pe, ks, p) < 0;
}

function sortedObject(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  p++;
  if (src[p] === 0x7d) return void p++, true;
  let ks = -1, ke = -1;
  for (;;) {
    const at = p;
    if (!sortedKey(ks, ke)) return false;
    ks = at;
    ke = p;
    if (src[p++] !== COLON || !sortedValue(depth)) return false;
    const c = src[p++];
    if (c === 0x7d) return true;
    if (c !== COMMA) return false;
  }
}

/** The top level of a line in canonical form; returns where its hash input ends (the comma before prevHash), or -1. */
function sortedTop(line: EventLine): number {
  p++;
  let ks = -1, ke = -1;
  for (;;) {
    const at = p;
    if (src[p] !== QUOTE) return -1;
    if (ks >= 0 && p + 11 < end && same(p, p + 10, K_PREV) && src[p + 10] === COLON) {
      // The tail: "prevHash":"…","hash":"…"} and nothing after it.
      const bodyEnd = p - 1;
      p += 11;
      if (!hash64()) return -1;
      line.prevHashAt = p - 65;
      if (src[p++] !== COMMA || !same(p, p + 6, K_HASH) || src[p + 6] !== COLON) return -1;
      p += 7;
      if (!hash64()) return -1;
      line.hashAt = p - 65;
      return src[p++] === 0x7d && p === end ? bodyEnd : -1;
    }
    if (!sortedKey(ks, ke)) return -1;
    ks = at;
    ke = p;
    if (src[p++] !== COLON) return -1;
    const valueStart = p;
    if (!sortedValue(1)) return -1;
    // prevHash and hash only as the tail; the members the verifier reads are noted.
    if (same(ks, ke, K_HASH) || same(ks, ke, K_PREV) || topMember(line, ks, ke, valueStart, false, -1) !== true) return -1;
    if (src[p++] !== COMMA) return -1; // a line ends with prevHash and hash
  }
}

/**
 * The hash check of one events.jsonl line (`buf[start, stop)`, no line break) without parsing it:
 * null when the line is not in the form this reader accepts (the caller must parse it instead).
 * The result is one object reused by every call (one line after another, a million of them):
 * read it before the next call.
 */
export function readEventLine(buf: Buffer, start: number, stop: number): EventLine | null {
  src = buf;
  p = start;
  end = stop;
  nonAscii = false;
  sp = 0;
  // Output: never more than the line (members move, none grows), as much again while an object's
  // members are re-ordered, and prevHash.
  if (out.length < 2 * (stop - start) + 256) out = Buffer.allocUnsafe(2 * (stop - start) + 256);
  o = 0;
  const line = result;
  line.seq = 0;
  line.digest = "";
  line.prevHashAt = line.hashAt = line.atStart = line.atEnd = line.afterStart = line.afterEnd = -1;
  line.isSeal = false;
  line.hashInputAt = 0;
  let bodyEnd = -1;
  try {
    if (src[p] !== 0x7b) return null;
    bodyEnd = sortedTop(line);
    if (bodyEnd < 0) {
      // Not in canonical form: start again and re-order.
      p = start;
      o = 0;
      sp = 0;
      nonAscii = false;
      line.seq = 0;
      line.prevHashAt = line.hashAt = line.atStart = line.atEnd = line.afterStart = line.afterEnd = -1;
      line.isSeal = false;
      if (!object(1, line) || p !== end) return null;
    }
  } finally {
    src = out; // drop the reference to the caller's chunk
  }
  if (line.seq === 0 || line.prevHashAt < 0 || line.hashAt < 0 || !Number.isSafeInteger(line.seq)) return null;
  if (nonAscii && !isUtf8(buf.subarray(start, stop))) return null;
  line.inPlace = bodyEnd >= 0;
  if (bodyEnd >= 0) {
    // The hash input is prevHash, then the line up to that comma, then "}".
    o = 64 + buf.copy(out, 64, start, bodyEnd);
    out[o++] = 0x7d;
    line.hashInputAt = 0;
  }
  for (let i = 0; i < 64; i++) out[line.hashInputAt + i] = buf[line.prevHashAt + i]!; // Buffer#copy costs more for 64 bytes
  // Hex output: about three times cheaper than a Buffer from node:crypto's one-shot hash.
  line.digest = hash("sha256", out.subarray(line.hashInputAt, o), "hex");
  return line;
}

/** True when `buf` holds at `at` the 64 characters of the hex `digest`. */
export function hexEquals(buf: Buffer, at: number, digest: string): boolean {
  for (let i = 0; i < 64; i++) if (buf[at + i] !== digest.charCodeAt(i)) return false;
  return true;
}
