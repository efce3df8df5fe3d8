import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffDocuments } from "@/lib/policy/diff";
import { getKey, keyMatches, keysOverlap, setKey, unsetKey } from "@/lib/policy/keypath";

describe("key paths", () => {
  const doc = { tenants: { acme: { tier: "pro" } }, agents: { "support-bot": { allowed_tools: ["a", "b"] } } };
  it("gets, sets and unsets without touching the input", () => {
    assert.equal(getKey(doc, "tenants.acme.tier"), "pro");
    assert.equal(getKey(doc, "tenants.nope.tier"), undefined);
    const set = setKey(doc, "tools.refund_payment.approval.quorum", 3);
    assert.equal(getKey(set, "tools.refund_payment.approval.quorum"), 3);
    assert.equal(getKey(doc, "tools"), undefined);
    const unset = unsetKey(doc, "tenants.acme");
    assert.deepEqual(getKey(unset, "tenants"), {});
    assert.equal(getKey(doc, "tenants.acme.tier"), "pro");
  });
  it("overlap and glob matching work on whole segments", () => {
    assert.ok(keysOverlap("tenants.acme", "tenants.acme.tier"));
    assert.ok(!keysOverlap("tenants.acme", "tenants.acme2"));
    assert.ok(keyMatches("agents.*.allowed_tools", "agents.ops-bot.allowed_tools"));
    assert.ok(keyMatches("tools.*.approval", "tools.x.approval.quorum"));
    assert.ok(keyMatches("tools.*.approval", "tools.x"));
    assert.ok(!keyMatches("tools.*.approval", "tools.x.rate_limit"));
  });
  it("diffs key by key, with arrays as leaves", () => {
    const b = setKey(setKey(doc, "tenants.acme.tier", "free"), "agents.support-bot.allowed_tools", ["a"]);
    assert.deepEqual(diffDocuments(doc, unsetKey(b, "tenants.acme.tier")), [
      { key: "agents.support-bot.allowed_tools", from: ["a", "b"], to: ["a"] },
      { key: "tenants.acme.tier", from: "pro" },
    ]);
  });
});
