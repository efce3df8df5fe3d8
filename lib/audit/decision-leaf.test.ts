import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decisionLeafHash } from "@/lib/audit/decision-leaf";
import { leafHash } from "@/lib/audit/merkle";
import { decisionLeaf } from "@/lib/audit/seal";

const anyString = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constantFrom("", "\u2028", "é", "\ud800", "\udc00x", "😀", "\u0000", '"\\'));
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 1e21, 0.1 + 0.2, NaN, Infinity));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.constant(undefined), fc.boolean(), anyNumber, anyString, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(anyString, tie("value"), { maxKeys: 5 }),
})).value;
const nullable = fc.oneof(fc.constant(null), fc.constant(undefined), anyString);
const decision = fc.record({
  id: anyString, at: fc.oneof(fc.date({ noInvalidDate: true }), anyString), agentId: anyString, tenant: anyString, session: anyString, tool: anyString,
  request: json, decision: fc.constantFrom("allow", "deny", "pending"), primitive: nullable, reasons: json, policyVersion: anyNumber, generation: anyNumber,
  cohort: fc.constantFrom("stable", "canary"), latencyUs: anyNumber, tokenId: nullable, grantId: nullable, failsafe: fc.oneof(fc.boolean(), fc.constant(undefined)),
});

describe("decision leaf hash", () => {
  it("is byte-identical to the general serializer's leaf hash on any record", () => {
    fc.assert(
      fc.property(decision, (d) => {
        const row = d as unknown as Parameters<typeof decisionLeaf>[0];
        let general: Buffer | Error;
        try {
          general = leafHash(decisionLeaf(row));
        } catch (err) {
          general = err as Error;
        }
        if (general instanceof Error) assert.throws(() => decisionLeafHash(row));
        else assert.equal(decisionLeafHash(row).toString("hex"), general.toString("hex"));
      }),
      { numRuns: 3000 },
    );
  });

  it("hashes a typical decision on the fast path with the documented leaf", () => {
    const d = {
      id: "d-1", at: new Date("2026-11-28T12:00:00.000Z"), agentId: "support-bot", tenant: "acme", session: "s1", tool: "search_kb",
      request: { tool: "search_kb", agent: "support-bot" }, decision: "allow", primitive: null, reasons: [], policyVersion: 3, generation: 9,
      cohort: "stable", latencyUs: 42, tokenId: "t-1", grantId: null, failsafe: false,
    };
    const text =
      '{"agentId":"support-bot","at":"2026-11-28T12:00:00.000Z","cohort":"stable","decision":"allow","failsafe":false,"generation":9,"grantId":null,"id":"d-1",' +
      '"latencyUs":42,"policyVersion":3,"primitive":null,"reasons":[],"request":{"agent":"support-bot","tool":"search_kb"},"session":"s1","tenant":"acme","tokenId":"t-1","tool":"search_kb"}';
    assert.equal(decisionLeafHash(d).toString("hex"), leafHash(JSON.parse(text)).toString("hex"));
  });
});
