import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, SUPPORT_TOKEN, type World } from "@/lib/test/world";
import { adminClient, draftChangeSet } from "@/lib/test/rollouts";
import { waitFor } from "@/lib/sdk/test-support";

// The breaker wired through the real decide endpoint. Evaluations are made to fail or to be slow
// for real through the test-only fault hook on the data plane object, which nothing outside this
// process can reach; the state machine's arithmetic is covered by breaker.test.ts.
let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let agent: ReturnType<typeof agentClient>;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const req = (tool: string, tenant = "acme") => ({ agent: "support-bot", tenant, session: "breaker-1", tool });

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store, {
    reliability: { dataDir: mkdtempSync(path.join(tmpdir(), "gov-breaker-")), instance: "test-instance-a", breaker: { minSamples: 20, cooldownMs: 300, probes: 3, maxP99Ms: 150 } },
  });
  agent = agentClient(api.url, SUPPORT_TOKEN);
});
after(async () => {
  await api?.close();
  await store?.close();
});

async function auditActions(prefix: string) {
  const rows = await store.prisma.auditEvent.findMany({ where: { action: { startsWith: prefix } }, orderBy: { seq: "asc" } });
  return rows;
}

describe("circuit breaker through decide", () => {
  it("opens on evaluation errors, answers by failsafe category, logs and audits it, then recovers through half-open", async () => {
    const r = api.dp.reliability;
    for (let i = 0; i < 20; i++) assert.equal((await agent.decide(req("search_kb"))).decision, "allow");
    let calls = 0;
    // Every 10th evaluation throws inside the engine's measured section: a 10% error rate.
    r.testOnlyEvaluationFault = () => {
      if (++calls % 10 === 0) throw new Error("injected evaluation failure");
    };
    const during: Record<string, any>[] = [];
    for (let i = 0; i < 10 && r.breaker.state === "closed"; i++) during.push(await agent.decide(req("search_kb")));
    assert.equal(r.breaker.state, "open");
    // The failing evaluation itself was answered failsafe, not with a 500.
    assert.deepEqual([during.at(-1)!.decision, during.at(-1)!.primitive], ["allow", "failsafe"]);

    const callsWhenOpened = calls;
    const refund = await agent.decide({ ...req("refund_payment"), args: { amount: 5 } });
    const search = await agent.decide(req("search_kb"));
    const email = await agent.decide(req("send_email"));
    assert.deepEqual([refund.decision, refund.primitive], ["deny", "failsafe"], "security-critical is denied");
    assert.deepEqual([search.decision, search.primitive], ["allow", "failsafe"], "operational is allowed");
    assert.deepEqual([email.decision, email.primitive], ["allow", "failsafe"]);
    assert.match(refund.reasons[0].message, /enforcement circuit is open on test-instance-a \(evaluation error rate .* above 1% .*security-critical, so it is denied/);
    assert.equal(refund.reasons[0].value, "security_critical");
    assert.equal(calls, callsWhenOpened, "the engine (and its fault) is bypassed while open");

    const health = (await (await fetch(api.url + "/api/health")).json()) as Record<string, any>;
    assert.equal(health.status, "degraded");
    assert.equal(health.degraded[0].component, "enforcement");
    assert.equal(health.reliability.circuit.state, "open");
    assert.equal(health.reliability.instance, "test-instance-a");

    await api.dp.log.flush();
    const logged = await store.prisma.decisionLog.findMany({ where: { id: { in: [refund.decisionId, search.decisionId, email.decisionId] } } });
    assert.equal(logged.length, 3);
    for (const row of logged) assert.deepEqual([row.failsafe, row.primitive], [true, "failsafe"]);

    // Half-open after the cool-down: the fault is gone, the probes pass, the circuit closes.
    r.testOnlyEvaluationFault = null;
    await sleep(350);
    const probes = [];
    for (let i = 0; i < 3; i++) probes.push(await agent.decide(req("search_kb")));
    assert.deepEqual(probes.map((p) => p.primitive), [null, null, null], "the probes went through the engine");
    assert.equal(r.breaker.state, "closed");
    assert.equal((await agent.decide(req("refund_payment"))).primitive, "approval", "the engine decides again");

    await r.settled();
    const events = await auditActions("enforcement.circuit_");
    assert.deepEqual(events.map((e) => e.action), ["enforcement.circuit_open", "enforcement.circuit_half_open", "enforcement.circuit_closed"]);
    for (const e of events) assert.equal(e.target, "instance:test-instance-a");
    assert.match(events[0]!.reason!, /error rate/);
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });

  it("opens on slow evaluations and re-opens when a half-open probe is slow too", async () => {
    const r = api.dp.reliability;
    const before = (await auditActions("enforcement.circuit_")).length;
    // Fresh window after the previous test closed the circuit; 20 fast evaluations, then slow ones.
    for (let i = 0; i < 20; i++) await agent.decide(req("search_kb"));
    r.testOnlyEvaluationFault = () => sleep(200);
    for (let i = 0; i < 3 && r.breaker.state === "closed"; i++) await agent.decide(req("search_kb"));
    assert.equal(r.breaker.state, "open");
    assert.match(r.breaker.status().reason!, /p99 is above 150 ms/);
    await sleep(350);
    const probe = await agent.decide(req("search_kb"));
    assert.equal(probe.primitive, null, "the probe was evaluated by the engine (slowly)");
    assert.equal(r.breaker.state, "open", "a slow probe re-opens the circuit");
    r.testOnlyEvaluationFault = null;
    await sleep(350);
    for (let i = 0; i < 3; i++) await agent.decide(req("search_kb"));
    assert.equal(r.breaker.state, "closed");
    await r.settled();
    const actions = (await auditActions("enforcement.circuit_")).slice(before).map((e) => e.action.replace("enforcement.circuit_", ""));
    assert.deepEqual(actions, ["open", "half_open", "open", "half_open", "closed"]);
  });

  it("a caller's mistake is not an evaluation failure", async () => {
    const r = api.dp.reliability;
    const errorsBefore = r.breaker.status().window.errors;
    const res = await agent.call("POST", "/api/v1/decide", { ...req("search_kb"), agent: "ops-bot" });
    assert.equal(res.status, 403);
    assert.equal(r.breaker.status().window.errors, errorsBefore);
  });

  it("a deny spike pauses the running rollout, audits an alert and queues it for the webhooks", async () => {
    await store.prisma.setting.upsert({ where: { key: "approval_webhooks" }, create: { key: "approval_webhooks", value: ["http://127.0.0.1:9/hook"], updatedBy: "test" }, update: { value: ["http://127.0.0.1:9/hook"] } });
    // A 6-second window, so the baseline (the window before the current one) takes seconds to build.
    const spiky = await startApiServer(store, { reliability: { dataDir: mkdtempSync(path.join(tmpdir(), "gov-spike-")), instance: "test-instance-b", breaker: { windowMs: 6000, minSamples: 20 } } });
    const a = agentClient(spiky.url, SUPPORT_TOKEN);
    const spikes: { rate: number; baseline: number }[] = [];
    spiky.dp.reliability.onDenySpike((s) => spikes.push(s));
    // A running rollout of a harmless wording change: the spike must pause it (seed documents).
    const changeSetId = await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tools.search_kb.description", value: "Search (v2)" }]);
    const start = await adminClient(spiky.url, world.tokens.editor)("POST", "/api/v1/admin/rollouts", { changeSetId, strategy: "canary", stages: [{ percent: 10, minDurationSec: 3600 }, { percent: 100 }], reason: "spike test" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const rolloutId = start.body.id as string;
    try {
      const started = Date.now();
      for (let i = 0; i < 18; i++) await a.decide(req("search_kb"));
      for (let i = 0; i < 2; i++) assert.equal((await a.decide(req("refund_payment", "globex"))).decision, "deny");
      assert.ok(Date.now() - started < 5000, "the baseline fitted in one window");
      // Once the last baseline decision is a full window old, the baseline is the previous window.
      await sleep(6000 + 150);
      const current = Date.now();
      for (let i = 0; i < 10; i++) await a.decide(req("search_kb"));
      assert.equal(spikes.length, 0, "10% denies so far: the baseline rate");
      for (let i = 0; i < 10; i++) await a.decide(req("refund_payment", "globex"));
      assert.ok(Date.now() - current < 5000, "the current window's decisions fitted in one window");
      assert.equal(spikes.length, 1, JSON.stringify(spiky.dp.reliability.breaker.status()));
      assert.ok(Math.abs(spikes[0]!.baseline - 0.1) < 1e-9);
      await spiky.dp.reliability.settled();
      const [event] = await auditActions("enforcement.deny_spike");
      assert.equal(event!.target, "instance:test-instance-b");
      assert.match(event!.reason!, /Deny rate on test-instance-b is 50\.0%, more than 20% above its baseline of 10\.0% over 20 decisions/);
      const hooks = await store.prisma.webhookDelivery.findMany({ where: { event: "enforcement.deny_spike" } });
      assert.equal(hooks.length, 1);
      await waitFor("the rollout to pause", async () => (await store.prisma.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).status === "paused");
      const pause = await store.prisma.rolloutEvent.findFirstOrThrow({ where: { rolloutId, kind: "pause" } });
      assert.equal(pause.automatic, true);
      assert.match(pause.reason, /automatic pause: deny rate 50\.0% on test-instance-b is more than 20% above its baseline of 10\.0%/);
      assert.deepEqual(pause.detail, { metric: "deny_rate_spike", value: 0.5, threshold: 0.1 * 1.2, window: 6 });
      assert.equal((await auditActions("rollout.pause")).length, 1);
      assert.equal((await verifyChain(store.prisma)).ok, true);
    } finally {
      await adminClient(spiky.url, world.tokens.editor)("POST", `/api/v1/admin/rollouts/${rolloutId}/abort`, { reason: "test over" });
      await spiky.close();
      await store.prisma.setting.deleteMany({ where: { key: "approval_webhooks" } });
    }
  });
});
