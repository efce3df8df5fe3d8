import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ActivityQuery, decisionActivity } from "@/lib/decisions/activity";
import { DecisionLogWriter, type DecisionRecord } from "@/lib/dataplane/decision-log";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/http/validate";
import { openTestStore, type TestStore } from "@/lib/test/store";

let store: TestStore;
const NOW = new Date("2026-11-28T12:00:00.000Z");

function record(id: number, secondsAgo: number, decision: string, tool: string, primitive: string | null, failsafe = false): DecisionRecord {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
    at: new Date(NOW.getTime() - secondsAgo * 1000),
    agentId: "support-bot",
    tenant: "acme",
    session: "s1",
    tool,
    request: {},
    decision,
    primitive,
    reasons: [],
    policyVersion: 1,
    generation: 1,
    cohort: "stable",
    latencyUs: 100,
    tokenId: null,
    grantId: null,
    failsafe,
  };
}

before(async () => {
  store = await openTestStore();
  const log = new DecisionLogWriter(store.prisma);
  let id = 0;
  // 15-minute range → 15 s buckets ending at NOW. Two allows and a deny 5 s ago, a pending and
  // two denies 100 s ago, one failsafe allow, and one allow two hours ago (outside the range).
  log.push(record(++id, 5, "allow", "search_kb", null));
  log.push(record(++id, 5, "allow", "search_kb", null));
  log.push(record(++id, 5, "deny", "refund_payment", "rate_limit"));
  log.push(record(++id, 100, "pending", "refund_payment", "approval"));
  log.push(record(++id, 100, "deny", "drop_table", "not_allowed"));
  log.push(record(++id, 100, "deny", "drop_table", "not_allowed"));
  log.push(record(++id, 200, "allow", "send_email", "failsafe", true));
  log.push(record(++id, 7200, "deny", "send_email", "kill_switch"));
  await log.close();
});
after(async () => store.close());

describe("decision activity", () => {
  it("counts verdicts per bucket, fills quiet buckets with zeros and leaves out older decisions", async () => {
    const a = await decisionActivity(store.prisma, { minutes: 15 }, NOW);
    assert.equal(a.bucketSeconds, 15);
    assert.equal(a.buckets.length, 60);
    assert.equal(a.to, NOW.toISOString());
    assert.deepEqual(a.totals, { allow: 3, deny: 3, pending: 1, failsafe: 1 });
    const last = a.buckets.at(-1)!;
    assert.deepEqual({ allow: last.allow, deny: last.deny, pending: last.pending }, { allow: 2, deny: 1, pending: 0 });
    const hundredAgo = a.buckets.find((b) => Date.parse(b.at) <= NOW.getTime() - 100_000 && Date.parse(b.at) + 15_000 > NOW.getTime() - 100_000)!;
    assert.deepEqual({ allow: hundredAgo.allow, deny: hundredAgo.deny, pending: hundredAgo.pending }, { allow: 0, deny: 2, pending: 1 });
    assert.equal(a.buckets.filter((b) => b.allow + b.deny + b.pending === 0).length, 57);
  });

  it("names what refused most", async () => {
    const a = await decisionActivity(store.prisma, { minutes: 15 }, NOW);
    assert.deepEqual(a.denyPrimitives, [{ primitive: "not_allowed", count: 2 }, { primitive: "rate_limit", count: 1 }]);
    assert.deepEqual(a.deniedTools, [{ tool: "drop_table", count: 2 }, { tool: "refund_payment", count: 1 }]);
  });

  it("widens buckets for longer ranges", async () => {
    const a = await decisionActivity(store.prisma, { minutes: 180 }, NOW);
    assert.equal(a.bucketSeconds, 300);
    assert.equal(a.totals.deny, 4, "the decision two hours ago is inside three hours");
  });

  it("refuses a range out of bounds, naming the field", () => {
    assert.throws(() => parseInput(ActivityQuery, { minutes: "0" }), (e: unknown) => e instanceof AppError && /minutes: must be at least 1/.test(e.message));
    assert.throws(() => parseInput(ActivityQuery, { minutes: "5000" }), (e: unknown) => e instanceof AppError && /minutes/.test(e.message));
    assert.throws(() => parseInput(ActivityQuery, { agent: "" }), (e: unknown) => e instanceof AppError && /agent: must not be empty/.test(e.message));
    assert.throws(() => parseInput(ActivityQuery, { agent: "x".repeat(129) }), (e: unknown) => e instanceof AppError && /agent: must be at most 128/.test(e.message));
  });

  it("counts only one agent's decisions when asked (the agent page)", async () => {
    // A day later than the other fixtures, so their ranges do not overlap.
    const later = new Date(NOW.getTime() + 86_400_000);
    const at = (id: number, agentId: string, decision: string, tool: string, primitive: string | null, failsafe = false): DecisionRecord => ({
      ...record(id, 0, decision, tool, primitive, failsafe),
      at: new Date(later.getTime() - 30_000),
      agentId,
    });
    const log = new DecisionLogWriter(store.prisma);
    log.push(at(101, "ops-bot", "deny", "restart_service", "blast_radius"));
    log.push(at(102, "ops-bot", "allow", "restart_service", null, true));
    log.push(at(103, "support-bot", "deny", "send_email", "rate_limit"));
    log.push(at(104, "support-bot", "allow", "search_kb", null));
    log.push(at(105, "support-bot", "pending", "refund_payment", "approval"));
    await log.close();

    const ops = await decisionActivity(store.prisma, { minutes: 15, agent: "ops-bot" }, later);
    assert.deepEqual(ops.totals, { allow: 1, deny: 1, pending: 0, failsafe: 1 });
    assert.deepEqual(ops.denyPrimitives, [{ primitive: "blast_radius", count: 1 }]);
    assert.deepEqual(ops.deniedTools, [{ tool: "restart_service", count: 1 }]);
    const bucketed = ops.buckets.reduce((n, b) => n + b.allow + b.deny + b.pending, 0);
    assert.equal(bucketed, 2, "the chart's buckets hold only ops-bot's decisions");

    const everyone = await decisionActivity(store.prisma, { minutes: 15 }, later);
    assert.deepEqual(everyone.totals, { allow: 2, deny: 2, pending: 1, failsafe: 1 });
    const nobody = await decisionActivity(store.prisma, { minutes: 15, agent: "no-such-bot" }, later);
    assert.deepEqual(nobody.totals, { allow: 0, deny: 0, pending: 0, failsafe: 0 });
  });
});
