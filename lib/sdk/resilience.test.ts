import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGovernor, type Governor, type GovernorOptions } from "@/lib/sdk/index";
import { countingFetch, openSdkWorld, startProxy, waitFor, type SdkWorld, type TestProxy } from "@/lib/sdk/test-support";

// Outages, against a real Governor behind a TCP proxy the tests can cut, stall or refuse.
let w: SdkWorld;
const cleanup: (() => Promise<void>)[] = [];
const proxy = async (): Promise<TestProxy> => {
  const p = await startProxy(w.url);
  cleanup.push(() => p.close());
  return p;
};
const gov = (opts: Partial<GovernorOptions> & { url: string }): Governor => {
  const g = createGovernor({ token: w.supportToken, agent: "support-bot", ...opts });
  cleanup.push(() => g.close());
  return g;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const acme = (tool: string) => ({ tenant: "acme", session: "r1", tool });

before(async () => {
  w = await openSdkWorld();
});
after(async () => {
  for (const c of cleanup.reverse()) await c();
  await w.close();
});

describe("SDK policy sync", () => {
  it("reconnects the stream after the connection drops and gets the next generation through it", async () => {
    const p = await proxy();
    const net = countingFetch();
    // Polling is slowed to a minute so only the stream can deliver the change.
    const g = gov({ url: p.url, fetch: net.fetch, pollIntervalMs: 60_000 });
    await g.ready();
    await waitFor("the stream", () => g.streamConnected);
    const before = g.generation!;

    p.dropConnections();
    await waitFor("the drop to be noticed", () => !g.streamConnected);
    // The drop starts polling with one immediate poll; let it finish before changing anything.
    await waitFor("the fallback poll", () => net.count("/api/v1/policy/generation") === 2);
    await sleep(50);
    await w.setControl({ control: "tool_kill", target: "send_email", active: true });
    try {
      const ms = await waitFor("the generation through the reconnected stream", () => g.generation! > before, 5000);
      assert.ok(ms < 4000, `took ${ms} ms; the server's retry hint is 2 s`);
      assert.equal(g.streamConnected, true);
      assert.equal(net.count("/api/v1/policy/stream"), 2);
      assert.equal(net.count("/api/v1/policy/generation"), 2, "no poll delivered it");
      await waitFor("the new snapshot", () => g.snapshot?.controls.toolKills.has("send_email") === true);
    } finally {
      await w.setControl({ control: "tool_kill", target: "send_email", active: false });
    }
  });

  it("still polls after a drop when the first poll was in flight at the time", async () => {
    const p = await proxy();
    // The start-up poll is held inside fetch until the test lets it go, so it is still in
    // flight when the stream drops and the drop asks for a poll of its own.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let generationCalls = 0;
    const net = countingFetch();
    const fetchHoldingFirstPoll: typeof fetch = async (input, init) => {
      const isPoll = new URL(input instanceof Request ? input.url : String(input)).pathname === "/api/v1/policy/generation";
      if (isPoll && ++generationCalls === 1) await held;
      return net.fetch(input, init);
    };
    const g = gov({ url: p.url, fetch: fetchHoldingFirstPoll, pollIntervalMs: 60_000 });
    await g.ready();
    await waitFor("the stream", () => g.streamConnected);

    p.dropConnections();
    await waitFor("the drop to be noticed", () => !g.streamConnected);
    assert.equal(generationCalls, 1, "the drop's poll waits for the one in flight");
    release();
    // Without the queued poll the next one would come a minute later, with the next interval.
    await waitFor("the drop's own poll", () => generationCalls === 2, 3000);
  });

  it("polls the generation while the stream endpoint is unavailable", async () => {
    const net = countingFetch((path) => path === "/api/v1/policy/stream");
    const g = gov({ url: w.url, fetch: net.fetch, pollIntervalMs: 200, mode: "local" });
    await g.ready();
    const before = g.generation!;
    await w.setControl({ control: "tool_kill", target: "search_kb", active: true });
    try {
      const ms = await waitFor("the generation by polling", () => (g.snapshot?.generation ?? 0) > before, 5000);
      assert.ok(ms < 2000, `took ${ms} ms with a 200 ms poll interval`);
      assert.equal(g.streamConnected, false);
      assert.ok(net.count("/api/v1/policy/stream") >= 1, "the stream was tried");
      assert.equal((await g.decide(acme("search_kb"))).primitive, "kill_switch");
    } finally {
      await w.setControl({ control: "tool_kill", target: "search_kb", active: false });
    }
  });
});

describe("SDK circuit breaker and failsafe", () => {
  it("opens after consecutive timeouts, lets one trial through after the cool-down, closes on success", async () => {
    const p = await proxy();
    const net = countingFetch();
    const g = gov({ url: p.url, fetch: net.fetch, timeoutMs: 100, breaker: { failureThreshold: 3, cooldownMs: 400 } });
    await g.ready();
    p.setMode("hang");

    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const d = await g.decide(acme("search_kb"));
      assert.deepEqual([d.decision, d.failsafe, d.primitive], ["allow", true, "failsafe"]);
      assert.ok(Date.now() - started < 1000, "the 100 ms deadline held");
    }
    assert.equal(g.breakerState, "open");
    const sent = net.count("/api/v1/decide");
    const started = Date.now();
    assert.equal((await g.decide(acme("search_kb"))).failsafe, true);
    assert.ok(Date.now() - started < 90, "open breaker answers without waiting for the 100 ms deadline");
    assert.equal(net.count("/api/v1/decide"), sent, "open breaker sends nothing");

    await sleep(450);
    assert.equal((await g.decide(acme("search_kb"))).failsafe, true);
    assert.equal(net.count("/api/v1/decide"), sent + 1, "one trial after the cool-down");
    assert.equal(g.breakerState, "open", "the failed trial opens it again");

    p.setMode("forward");
    await sleep(450);
    const back = await g.decide(acme("search_kb"));
    assert.deepEqual([back.decision, back.failsafe], ["allow", undefined]);
    assert.equal(g.breakerState, "closed");
  });

  it("fails safe by tool category and reports the failsafe decisions once the server is back", async () => {
    const p = await proxy();
    const g = gov({ url: p.url, timeoutMs: 100, pollIntervalMs: 200, breaker: { cooldownMs: 200 } });
    await g.ready();
    // A kill switch set before the outage still holds during it, even for an operational tool.
    await w.setControl({ control: "tool_kill", target: "send_email", active: true });
    await waitFor("the kill in the snapshot", () => g.snapshot?.controls.toolKills.has("send_email") === true);
    p.setMode("refuse");

    const refund = await g.decide({ ...acme("refund_payment"), args: { amount: 10 } });
    const search = await g.decide(acme("search_kb"));
    const unknown = await g.decide(acme("format_disk"));
    const killed = await g.decide(acme("send_email"));
    const ran = await g.guard(acme("search_kb"), (d) => d);
    const decisions = [refund, search, unknown, killed, ran];
    assert.deepEqual(
      decisions.map((d) => [d.decision, d.failsafe, d.primitive]),
      [["deny", true, "failsafe"], ["allow", true, "failsafe"], ["deny", true, "failsafe"], ["deny", true, "failsafe"], ["allow", true, "failsafe"]],
    );
    assert.match(refund.reasons[0]!.message, /security-critical/);
    assert.match(unknown.reasons[0]!.message, /unknown to the last policy snapshot/);
    assert.match(killed.reasons[0]!.message, /kill_switch/);
    await w.setControl({ control: "tool_kill", target: "send_email", active: false });
    const email = await g.decide({ tenant: "globex", session: "r1", tool: "send_email" });
    assert.deepEqual([email.decision, email.failsafe], ["deny", true], "the SDK cannot see the un-kill while cut off");
    decisions.push(email);
    assert.equal(g.failsafeQueued, 6);

    p.setMode("forward");
    await waitFor("the queue to drain", () => g.failsafeQueued === 0, 5000);
    await g.flush();
    await w.dp.log.flush();
    const rows = await w.store.prisma.decisionLog.findMany({ where: { failsafe: true, id: { in: decisions.map((d) => d.decisionId) } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(rows.length, decisions.length);
    for (const d of decisions) {
      const row = byId.get(d.decisionId)!;
      assert.deepEqual([row.decision, row.primitive, row.agentId], [d.decision, "failsafe", "support-bot"]);
    }
    assert.equal(byId.get(refund.decisionId)?.tool, "refund_payment");
    const outcome = await w.store.prisma.decisionOutcome.findFirst({ where: { decisionId: ran.decisionId } });
    assert.equal(outcome?.outcome, "success", "the guard's outcome waited for its decision to be reported");
  });
});
