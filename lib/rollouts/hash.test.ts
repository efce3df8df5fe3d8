// Routing is sticky per session and splits traffic as configured (pure, no store).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cohortFor, routingSlot } from "@/lib/rollouts/hash";

describe("rollout routing hash", () => {
  it("is sticky: the same rollout and session always land in the same slot and cohort", () => {
    for (let i = 0; i < 1000; i++) {
      const s = `session-${i}`;
      assert.equal(routingSlot("r1", s), routingSlot("r1", s));
      assert.equal(cohortFor("r1", s, 20), cohortFor("r1", s, 20));
    }
  });

  it("a session in the canary at 5% stays in it at 20% and 50% (stages only add sessions)", () => {
    for (let i = 0; i < 10_000; i++) {
      const s = `s${i}`;
      if (cohortFor("rollout-x", s, 5) === "canary") {
        assert.equal(cohortFor("rollout-x", s, 20), "canary");
        assert.equal(cohortFor("rollout-x", s, 50), "canary");
      }
    }
  });

  it("over 1,000,000 sessions the canary share is within ±0.5% of the configured percent", () => {
    for (const percent of [5, 20, 50]) {
      let canary = 0;
      for (let i = 0; i < 1_000_000; i++) if (cohortFor("0b5e7a9c-rollout", `ticket-${i}`, percent) === "canary") canary++;
      const share = (canary / 1_000_000) * 100;
      assert.ok(Math.abs(share - percent) <= 0.5, `${percent}% configured, ${share.toFixed(3)}% observed`);
    }
  });

  it("0% routes nobody and 100% everybody; another rollout reshuffles sessions", () => {
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      assert.equal(cohortFor("r", `s${i}`, 0), "stable");
      assert.equal(cohortFor("r", `s${i}`, 100), "canary");
      if (cohortFor("a", `s${i}`, 50) === cohortFor("b", `s${i}`, 50)) same++;
    }
    // Independent 50/50 assignments agree about half the time, not always.
    assert.ok(same > 800 && same < 1200, `agreement ${same}/2000`);
  });
});
