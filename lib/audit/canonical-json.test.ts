import assert from "node:assert/strict";
import { describe, it } from "node:test";
import canonicalize from "canonicalize";
import fc from "fast-check";
import { canonicalEvent, canonicalPlain } from "@/lib/audit/canonical-json";
import { canonicalJson, chainHash, GENESIS_HASH, type HashedEvent } from "@/lib/audit/event";

// Strings from every Unicode plane, including lone surrogates (which JCS refuses) and controls.
const anyString = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }), fc.constantFrom("", "\u2028", "\u007f", "é", "\ud800", "\udc00x", "😀", "\u0000"));
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 1e20, 123456789012345680000, 5e-324, Number.MAX_VALUE, Number.MIN_SAFE_INTEGER, 0.1 + 0.2, NaN, Infinity, -Infinity),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), anyNumber, anyString, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(anyString, tie("value"), { maxKeys: 6 }),
})).value;

const event = fc.record({
  seq: fc.oneof(fc.nat(), anyNumber),
  at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), anyString),
  actor: fc.record({ type: fc.constantFrom("user", "agent", "system"), id: anyString, name: anyString }),
  action: anyString,
  target: anyString,
  before: json,
  after: fc.oneof(json, json.map((v) => ({ nested: JSON.stringify(v), v }))),
  reason: fc.option(anyString),
  policyVersion: fc.option(fc.oneof(fc.nat(), anyNumber)),
  generation: fc.option(fc.oneof(fc.nat(), anyNumber)),
  request: fc.record({ ip: fc.option(anyString), userAgent: fc.option(anyString) }),
});

/** The reference: the `canonicalize` package, or "throws" where it refuses the value. */
function reference(v: unknown): string | undefined | "throws" {
  try {
    return canonicalize(v);
  } catch {
    return "throws";
  }
}

describe("fast RFC 8785 serializer", () => {
  it("writes exactly what `canonicalize` writes for any JSON value, or leaves the value to it", () => {
    fc.assert(
      fc.property(json, (v) => {
        const fast = canonicalPlain(v);
        const ref = reference(v);
        if (fast !== undefined) assert.equal(fast, ref);
        // What the fast path hands back (lone surrogates, NaN, index-like keys) still comes out right.
        if (ref === "throws") assert.throws(() => canonicalJson(v));
        else assert.equal(canonicalJson(v), ref);
      }),
      { numRuns: 3000 },
    );
  });

  it("writes a chain event exactly as `canonicalize` does, and the same after a JSON round trip", () => {
    fc.assert(
      fc.property(event, (e) => {
        const ref = reference(e);
        const fast = canonicalEvent(e);
        if (ref === "throws") assert.throws(() => canonicalJson(e));
        else {
          assert.equal(fast ?? canonicalJson(e), ref);
          // A bundle line is parsed back from JSON; the hash must not change.
          const parsed = JSON.parse(JSON.stringify(e)) as HashedEvent;
          if (JSON.stringify(parsed) === JSON.stringify(e) && Object.is(reference(parsed), ref)) assert.equal(chainHash(GENESIS_HASH, parsed), chainHash(GENESIS_HASH, e as HashedEvent));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for an ordinary event and the general one for any other shape", () => {
    const e: HashedEvent = {
      seq: 7, at: "2026-01-01T00:00:00.000Z", actor: { type: "user", id: "u1", name: "Zoë" }, action: "policy.apply", target: "policy",
      before: { a: [1, -0, 1e21] }, after: { "\u20ac": "x", b: { c: null } }, reason: null, policyVersion: 3, generation: null, request: { ip: "127.0.0.1", userAgent: null },
    };
    assert.equal(canonicalEvent(e), canonicalize(e));
    assert.equal(canonicalEvent(e), '{"action":"policy.apply","actor":{"id":"u1","name":"Zoë","type":"user"},"after":{"b":{"c":null},"€":"x"},"at":"2026-01-01T00:00:00.000Z","before":{"a":[1,0,1e+21]},"generation":null,"policyVersion":3,"reason":null,"request":{"ip":"127.0.0.1","userAgent":null},"seq":7,"target":"policy"}');
    // A tampered line with one more member, or one fewer, is hashed as it stands.
    assert.equal(canonicalEvent({ ...e, extra: 1 }), undefined);
    assert.equal(canonicalJson({ ...e, extra: 1 }), canonicalize({ ...e, extra: 1 }));
    const { reason: _r, ...fewer } = e;
    assert.equal(canonicalEvent(fewer), undefined);
    assert.equal(canonicalEvent({ ...e, actor: { ...e.actor, role: "x" } }), undefined);
    // Not plain data: the general serializer decides (Date via toJSON, undefined dropped, cycles refused).
    assert.equal(canonicalPlain({ at: new Date(0) }), undefined);
    assert.equal(canonicalJson({ at: new Date(0), u: undefined }), '{"at":"1970-01-01T00:00:00.000Z"}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => canonicalJson(cyclic), /Circular/);
    assert.throws(() => canonicalJson({ s: "\ud800" }), /surrogate/i);
    const deep = JSON.parse("[".repeat(500) + "]".repeat(500));
    assert.equal(canonicalJson(deep), "[".repeat(500) + "]".repeat(500));
  });
});
