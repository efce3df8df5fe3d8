import assert from "node:assert/strict";
import { hash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { canonicalJson, GENESIS_HASH } from "@/lib/audit/event";
import { hexEquals, readEventLine } from "@/lib/audit/event-line";

// What the verifier does without the byte reader: parse the line, drop prevHash and hash, hash the
// canonical JSON of the rest. The byte reader must agree whenever it answers at all.
function reference(line: string) {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line);
  } catch {
    return "unparsable" as const;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "unparsable" as const;
  const { prevHash, hash: claimed, ...event } = v;
  let canonical: string;
  try {
    canonical = canonicalJson(event);
  } catch {
    return "uncanonical" as const;
  }
  return { v, prevHash, claimed, digest: hash("sha256", `${prevHash}${canonical}`, "hex") };
}

function check(line: string) {
  const buf = Buffer.from(`xx${line}\n`); // not at offset 0, and followed by a line break
  const fast = readEventLine(buf, 2, buf.length - 1);
  if (fast === null) return null;
  // The verifier reads bytes: a lone surrogate in `line` is U+FFFD by now, for both readers.
  const ref = reference(buf.toString("utf8", 2, buf.length - 1));
  assert.ok(typeof ref === "object", `the byte reader accepted a line JSON.parse or JCS refuses: ${line}`);
  assert.equal(fast.digest, ref.digest, line);
  assert.equal(fast.seq, ref.v.seq);
  assert.equal(buf.toString("latin1", fast.prevHashAt, fast.prevHashAt + 64), ref.prevHash);
  assert.equal(buf.toString("latin1", fast.hashAt, fast.hashAt + 64), ref.claimed);
  assert.deepEqual(fast.atStart < 0 ? undefined : JSON.parse(buf.toString("utf8", fast.atStart, fast.atEnd)), ref.v.at);
  assert.deepEqual(fast.afterStart < 0 ? undefined : JSON.parse(buf.toString("utf8", fast.afterStart, fast.afterEnd)), ref.v.after);
  assert.equal(fast.isSeal, ref.v.action === "decisions.seal");
  return fast;
}

const anyString = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }), fc.constantFrom("", "\u2028", "\u007f", "é", "\ud800", "😀", "\u0000", "\b\t\n\f\r\u001f", "decisions.seal", "__proto__", "0", "seq"));
const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 0, 1e21, 1e-7, 1e15, 1e16, 123456789012345, 1234567890123456, 0.5, -1));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), anyNumber, anyString, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(anyString, fc.constantFrom("a", "b", "tool", "n", "agentId")), tie("value"), { maxKeys: 5 }),
})).value;
const hex64 = fc.oneof(fc.constant(GENESIS_HASH), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")), anyString);
const isoDate = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
/** An event's members, each drawn from the given generators; seq, prevHash and hash always present. */
const eventMembers = <T extends Record<string, fc.Arbitrary<unknown>>>(g: { seq: fc.Arbitrary<unknown>; at: fc.Arbitrary<unknown>; str: fc.Arbitrary<string>; num: fc.Arbitrary<unknown>; json: fc.Arbitrary<unknown>; hex: fc.Arbitrary<string> }, extra: T) =>
  fc.record({
    seq: g.seq,
    at: g.at,
    actor: fc.record({ type: fc.constantFrom("user", "agent", "system"), id: g.str, name: g.str }),
    action: fc.oneof(g.str, fc.constantFrom("decisions.seal", "policy.apply")),
    target: g.str,
    before: g.json,
    after: g.json,
    reason: fc.option(g.str),
    policyVersion: fc.option(g.num),
    generation: fc.option(g.num),
    request: fc.record({ ip: fc.option(g.str), userAgent: fc.option(g.str) }),
    prevHash: g.hex,
    hash: g.hex,
    ...extra,
  }, { requiredKeys: ["seq", "prevHash", "hash"] });
const line = eventMembers({ seq: fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), anyNumber, anyString), at: fc.oneof(isoDate, anyString), str: anyString, num: anyNumber, json, hex: hex64 }, { extra: json })
  .chain((e) => fc.shuffledSubarray(Object.keys(e), { minLength: Object.keys(e).length }).map((order) => JSON.stringify(Object.fromEntries(order.map((k) => [k, e[k as keyof typeof e]])))));

// The exporter's form: the event's canonical JSON with prevHash and hash appended (read in place).
const tail = (prevHash: unknown, claimed: unknown) => `,"prevHash":${JSON.stringify(prevHash)},"hash":${JSON.stringify(claimed)}}`;
// Values the exporter writes (integers, well-formed strings with any escapes), so that the byte
// reader answers for most lines and its in-place path is what the property exercises.
const tameString = fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }), fc.constantFrom("", "é", "😀", "\u2028", "\b\t\n\f\r\u001f\u0000", '"\\', "decisions.seal"));
const tameJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), tameString, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ unit: fc.constantFrom(..."abAB_ -~!z9") }).filter((k) => !/^\d/.test(k)), fc.constantFrom("a", "b", "A", "a b", "ab", "tool")), tie("value"), { maxKeys: 5 }),
})).value;
const validHex64 = fc.oneof(fc.constant(GENESIS_HASH), fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("hex")));
const tameLine = eventMembers({ seq: fc.integer({ min: 1, max: 2 ** 31 }), at: isoDate, str: tameString, num: fc.integer(), json: tameJson, hex: validHex64 }, {}).map((e) => JSON.stringify(e));
const canonicalLine = fc.oneof(line, tameLine, tameLine)
  .map((l) => {
    const { prevHash, hash: claimed, ...event } = JSON.parse(l);
    try {
      return canonicalJson(event).slice(0, -1) + tail(prevHash, claimed);
    } catch {
      return null; // JCS refuses it (a lone surrogate): not a line the exporter writes
    }
  })
  .filter((l): l is string => l !== null);

// Single-byte edits with the characters that change JSON's structure.
const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom("insert", "replace", "delete"), char: fc.constantFrom(...'{}[]",:\\ 0123456789eE.-+untrfalsu\u00e9\r\t'.split("")) });
function mutate(s: string, edits: { at: number; kind: string; char: string }[]) {
  for (const e of edits) {
    const i = e.at % (s.length + 1);
    s = e.kind === "insert" ? s.slice(0, i) + e.char + s.slice(i) : e.kind === "replace" ? s.slice(0, i) + e.char + s.slice(i + 1) : s.slice(0, i) + s.slice(i + 1);
  }
  return s;
}

const ordinary = (seq: number, after: unknown = { n: seq, tool: "search_kb", agentId: "ops-bot" }) =>
  JSON.stringify({
    seq, at: "2026-11-28T10:03:12.759Z", actor: { type: "user", id: "admin", name: "Zoë \"admin\"\n" }, action: "policy.apply_changeset", target: "search_kb:0",
    before: null, after, reason: "ticket INC-0\u0001", policyVersion: null, generation: 3, request: { ip: null, userAgent: null }, prevHash: GENESIS_HASH, hash: "ab".repeat(32),
  });

/** `ordinary(seq)` as the exporter writes it: canonical, prevHash and hash last. */
const exported = (seq: number, after?: unknown) => {
  const { prevHash, hash: claimed, ...event } = JSON.parse(ordinary(seq, after));
  return canonicalJson(event).slice(0, -1) + tail(prevHash, claimed);
};

describe("events.jsonl lines read from their bytes", () => {
  it("hash exactly as a parsed and re-serialised line does, whenever the byte reader answers", () => {
    fc.assert(fc.property(line, (l) => void check(l)), { numRuns: 4000 });
  });

  it("hashes lines in the exporter's canonical form where they stand, exactly as the reference does", () => {
    let inPlace = 0;
    fc.assert(fc.property(canonicalLine, (l) => void (check(l)?.inPlace && inPlace++)), { numRuns: 4000 });
    // Two in three lines are tame, and the reader takes nearly all of those in place.
    assert.ok(inPlace > 2000, `the byte reader read ${inPlace} of 4000 canonical lines in place`);
  });

  it("never accepts a damaged line that JSON.parse refuses or reads differently", () => {
    fc.assert(fc.property(fc.oneof(line, canonicalLine, fc.nat({ max: 1e6 }).map((n) => ordinary(n + 1)), fc.nat({ max: 1e6 }).map((n) => exported(n + 1))), fc.array(edit, { minLength: 1, maxLength: 3 }), (l, edits) => void check(mutate(l, edits))), { numRuns: 8000 });
  });

  it("takes the fast path for the exporter's lines, and leaves uncanonical ones to JSON.parse", () => {
    for (const l of [ordinary(1), ordinary(2 ** 40), ordinary(5, { z: [1, { y: true, b: -3 }], a: "é", "a b": 0 }), ordinary(6, [])]) assert.ok(check(l), l);
    for (const l of [ordinary(1), ordinary(5, { z: [1], a: 2 })]) assert.equal(check(l)!.inPlace, false, l);
    for (const l of [exported(1), exported(2 ** 40), exported(5, { z: [1, { y: true, b: -3 }], a: "é", "a b": 0 }), exported(6, [])]) assert.equal(check(l)?.inPlace, true, l);
    // Canonical but for one thing: each goes to the re-ordering path, which must agree.
    const nearly = [
      exported(7).replace('"action"', '"zz":1,"action"'), // a key out of order
      exported(7).replace(',"prevHash"', ',"aa":1,"prevHash"'),
      exported(7).replace('"hash":"', '"hash":"' + "ab".repeat(32) + '","prevHash":"').replace(/,"prevHash":"[0-9a-f]{64}","hash"/, ',"hash"'), // hash before prevHash
      exported(7).replace('"agentId":"ops-bot","n":7', '"n":7,"agentId":"ops-bot"'),
    ];
    for (const l of nearly) assert.equal(check(l)?.inPlace, false, l);
    const uncanonical = [
      ordinary(7).replace('"before":null', '"before": null'), // whitespace
      ordinary(7).replace("ticket", "tick\\u0065t"), // an escape JSON.stringify would not write
      ordinary(7).replace("ticket", "ticket\\/"),
      ordinary(7).replace("\\u0001", "\\u0001\\u000A"),
      ordinary(7).replace('"generation":3', '"generation":3.0'), // 3.0 is written 3
      ordinary(7).replace('"generation":3', '"generation":-0'),
      ordinary(7).replace('"generation":3', '"generation":1e3'),
      ordinary(7).replace('"generation":3', '"generation":12345678901234567'), // not exact in a double
      ordinary(7).replace('"target"', '"seq":8,"target"'), // duplicate key
      ordinary(7).replace('"hash":"', '"hash":"x","hash":"'),
      ordinary(7).replace('"tool"', '"t\\u006fol"'), // escaped key
      ordinary(7).replace('"tool"', '"__proto__"'),
      ordinary(7).replace('"tool"', '"1"'), // index key
      ordinary(7).replace("ticket", "ticket\\ud800"), // a lone surrogate, which JCS refuses
      ordinary(7).replace(GENESIS_HASH, "A".repeat(64)).replace("0", "\\u0030"),
    ];
    for (const l of uncanonical) assert.equal(check(l), null, l);
    // Invalid UTF-8 inside a string: JSON.parse of the decoded text sees U+FFFD, not these bytes.
    const bad = Buffer.from(ordinary(9).replace("Zo\u00eb", "Zo\u00eb\u00eb"));
    const at = bad.indexOf(0xc3);
    bad[at] = 0xff;
    assert.equal(readEventLine(bad, 0, bad.length), null);
    // Not an event: no seq, no hashes, seq 0 or text.
    for (const l of ['{"a":1}', ordinary(0), ordinary(9).replace('"seq":9', '"seq":"9"'), "[]", "{}", "", "null"]) assert.equal(check(l), null, l);
  });

  it("compares a digest with the hex digits in a line", () => {
    const d = hash("sha256", "x", "hex");
    const buf = Buffer.from(`"${d}"`);
    assert.ok(hexEquals(buf, 1, d));
    buf[5] = buf[5] === 0x61 ? 0x62 : 0x61;
    assert.ok(!hexEquals(buf, 1, d));
  });
});
