import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGovernor, DeniedError, GovernorApiError, type Governor } from "@/lib/sdk/index";
import { countingFetch, openSdkWorld, waitFor, type SdkWorld } from "@/lib/sdk/test-support";

// Against a real Governor (startApiServer + the demo world): no part of the server is mocked.
let w: SdkWorld;
const open: Governor[] = [];
// Generous deadline: these tests are about answers, not speed, and CI machines stall.
const gov = (opts: Partial<Parameters<typeof createGovernor>[0]> = {}) => {
  const g = createGovernor({ url: w.url, token: w.supportToken, agent: "support-bot", timeoutMs: 2000, ...opts });
  open.push(g);
  return g;
};

before(async () => {
  w = await openSdkWorld();
});
after(async () => {
  await Promise.all(open.map((g) => g.close()));
  await w.close();
});

describe("SDK against a real server (remote mode)", () => {
  it("decides allow, deny and pending, filling in the agent", async () => {
    const g = gov();
    const allow = await g.decide({ tenant: "acme", session: "s1", tool: "search_kb" });
    assert.equal(allow.decision, "allow");
    assert.equal(allow.failsafe, undefined);
    assert.match(allow.decisionId, /^[0-9a-f-]{36}$/);
    const deny = await g.decide({ tenant: "globex", session: "s1", tool: "refund_payment" });
    assert.deepEqual([deny.decision, deny.primitive], ["deny", "not_allowed"]);
    const pending = await g.decide({ tenant: "acme", session: "s1", tool: "refund_payment", args: { amount: 20 } });
    assert.deepEqual([pending.decision, pending.primitive], ["pending", "approval"]);

    const ops = gov({ token: w.opsToken, agent: "ops-bot" });
    const over = await ops.decide({ tenant: "acme", session: "s2", tool: "restart_service", blastRadius: 0.2 });
    assert.deepEqual([over.decision, over.primitive], ["deny", "blast_radius"]);
    assert.equal(over.reasons[0]?.bound, 0.05);
  });

  it("throws GovernorApiError (not a failsafe answer) when the token belongs to another agent", async () => {
    const g = gov({ agent: "ops-bot" });
    await assert.rejects(g.decide({ tenant: "acme", session: "s1", tool: "restart_service" }), (err) => err instanceof GovernorApiError && err.status === 403);
    assert.equal(g.breakerState, "closed");
    assert.equal(g.failsafeQueued, 0);
  });

  it("guard runs fn only on allow and reports success or failure as an outcome", async () => {
    const g = gov();
    let ran = 0;
    const result = await g.guard({ tenant: "acme", session: "s3", tool: "search_kb" }, async (d) => {
      ran += 1;
      return { articles: 3, decisionId: d.decisionId };
    });
    assert.equal(result.articles, 3);
    await assert.rejects(
      g.guard({ tenant: "acme", session: "s3", tool: "search_kb" }, () => {
        ran += 1;
        throw new Error("kb timeout");
      }),
      /kb timeout/,
    );
    await g.flush();
    const rows = await w.store.prisma.decisionOutcome.findMany({ where: { agentId: "support-bot" }, orderBy: { id: "asc" } });
    assert.deepEqual(rows.map((r) => r.outcome), ["success", "failure"]);
    assert.equal(rows[0]?.decisionId, result.decisionId);
    assert.equal(ran, 2);
  });

  it("guard throws DeniedError naming the primitive and never runs fn on deny or pending", async () => {
    const g = gov();
    let ran = false;
    const fn = () => void (ran = true);
    await assert.rejects(g.guard({ tenant: "globex", session: "s4", tool: "refund_payment" }, fn), (err) => {
      assert.ok(err instanceof DeniedError);
      assert.deepEqual([err.decision, err.primitive], ["deny", "not_allowed"]);
      assert.match(err.decisionId, /^[0-9a-f-]{36}$/);
      assert.match(err.message, /not_allowed/);
      return true;
    });
    await assert.rejects(g.guard({ tenant: "acme", session: "s4", tool: "refund_payment" }, fn), (err) => err instanceof DeniedError && err.decision === "pending" && err.primitive === "approval");
    assert.equal(ran, false);
  });

  it("lists the visible tools for a tenant", async () => {
    const g = gov();
    const acme = (await g.visibleTools({ tenant: "acme", session: "s5" })).map((t) => t.name);
    assert.deepEqual(acme, ["refund_payment", "search_kb", "send_email"]);
    const globex = (await g.visibleTools({ tenant: "globex" })).map((t) => t.name);
    assert.deepEqual(globex, ["search_kb", "send_email"]);
  });
});

describe("SDK local mode", () => {
  it("answers a deny and a limit-free allow in process, and asks the server for rate limits and approvals", async () => {
    const net = countingFetch();
    const g = gov({ mode: "local", fetch: net.fetch });
    await g.ready();
    const deny = await g.decide({ tenant: "globex", session: "l1", tool: "refund_payment" });
    assert.deepEqual([deny.decision, deny.primitive, deny.local], ["deny", "not_allowed", true]);
    const allow = await g.decide({ tenant: "acme", session: "l1", tool: "search_kb" });
    assert.deepEqual([allow.decision, allow.local], ["allow", true]);
    assert.equal(net.count("/api/v1/decide"), 0);

    // send_email has a per-tenant rate limit and refund_payment needs approval: both stateful.
    const limited = await g.decide({ tenant: "acme", session: "l1", tool: "send_email" });
    assert.deepEqual([limited.decision, limited.local], ["allow", undefined]);
    const pending = await g.decide({ tenant: "acme", session: "l1", tool: "refund_payment" });
    assert.equal(pending.decision, "pending");
    assert.equal(net.count("/api/v1/decide"), 2);
    assert.deepEqual((await g.visibleTools({ tenant: "globex" })).map((t) => t.name), ["search_kb", "send_email"]);
    assert.equal(net.count("/api/v1/tools"), 0);
  });

  it("picks up a kill switch through the stream and denies locally", async () => {
    const net = countingFetch();
    const g = gov({ mode: "local", fetch: net.fetch, pollIntervalMs: 60_000 });
    await g.ready();
    await waitFor("the stream to connect", () => g.streamConnected);
    const before = g.generation!;
    assert.equal((await g.decide({ tenant: "acme", session: "l2", tool: "search_kb" })).decision, "allow");

    await w.setControl({ control: "tool_kill", target: "search_kb", active: true });
    try {
      // Wait for this very change: an earlier test's lift may still be arriving, and any
      // generation newer than `before` would not prove the kill reached the SDK.
      await waitFor("the new snapshot", () => (g.snapshot?.generation ?? 0) > before && Boolean(g.snapshot?.controls.toolKills.has("search_kb")), 3000);
      const d = await g.decide({ tenant: "acme", session: "l2", tool: "search_kb" });
      assert.deepEqual([d.decision, d.primitive, d.local], ["deny", "kill_switch", true]);
      assert.equal(net.count("/api/v1/decide"), 0);
      assert.equal(net.count("/api/v1/policy/generation"), 1, "only the start-up poll; the change came through the stream");
      assert.deepEqual((await g.visibleTools({ tenant: "acme" })).map((t) => t.name), ["refund_payment", "send_email"]);
    } finally {
      await w.setControl({ control: "tool_kill", target: "search_kb", active: false });
    }
  });
});
