// Rollout lifecycle, routing and metrics through the real admin API and data plane.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setControl } from "@/lib/controls/controls";
import { headVersion } from "@/lib/policy/versions";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { adminClient, draftChangeSet, sessionIn } from "@/lib/test/rollouts";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";
import { readGeneration } from "@/lib/db/generation";
import { HISTOGRAM_BOUNDS_MS } from "@/lib/rollouts/histogram";
import { createGovernor } from "@/lib/sdk";
import { RolloutMetrics, sweepMetricBuckets } from "@/lib/rollouts/metrics";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;
let editor: ReturnType<typeof adminClient>;

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
  editor = adminClient(api.url, world.tokens.editor);
});
after(async () => {
  await api.close();
  await store.close();
});

const LONG = [{ percent: 10, minDurationSec: 3600 }, { percent: 50, minDurationSec: 3600 }, { percent: 100 }];
const synced = async () => waitForGeneration(api.dp, await readGeneration(store.prisma));
const cs = (ops: Parameters<typeof draftChangeSet>[2]) => draftChangeSet(store.prisma, world.principals.editor, ops);
const S = { agent: "support-bot", tenant: "acme" };

describe("rollout lifecycle", () => {
  it("start → pause → resume → advance → promote moves the head to the candidate, each step audited", async () => {
    const head = (await headVersion(store.prisma))!;
    const id = await cs([{ op: "set", key: "tools.search_kb.description", value: "Search articles (v2)" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: LONG, reason: "try the new wording" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    assert.deepEqual(Object.keys(start.body).sort(), ["candidateVersion", "id", "status"]);
    assert.equal(start.body.status, "running");
    assert.equal(start.body.candidateVersion, head + 1);
    // Released, not applied: the head stays on the baseline.
    assert.equal(await headVersion(store.prisma), head);
    assert.equal((await store.prisma.changeSet.findUniqueOrThrow({ where: { id } })).status, "released");
    const rid = start.body.id as string;
    for (const action of ["pause", "resume", "advance"]) {
      const r = await editor("POST", `/api/v1/admin/rollouts/${rid}/${action}`, { reason: `${action} for the test` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const detail = await editor("GET", `/api/v1/admin/rollouts/${rid}`);
    assert.deepEqual([detail.body.status, detail.body.currentStage, detail.body.percent], ["running", 1, 50]);
    const promote = await editor("POST", `/api/v1/admin/rollouts/${rid}/promote`, { reason: "looks good" });
    assert.equal(promote.body.status, "promoted");
    assert.equal(await headVersion(store.prisma), head + 1);
    assert.equal((await store.prisma.changeSet.findUniqueOrThrow({ where: { id } })).status, "applied");
    const events = (await editor("GET", `/api/v1/admin/rollouts/${rid}`)).body.events as { kind: string; actor: string; reason: string; automatic: boolean }[];
    assert.deepEqual(events.map((e) => e.kind), ["start", "pause", "resume", "advance", "promote"]);
    assert.ok(events.every((e) => e.actor === "editor" && !e.automatic && e.reason));
    const audit = await store.prisma.auditEvent.findMany({ where: { target: `rollout:${rid}` }, orderBy: { seq: "asc" } });
    assert.deepEqual(audit.map((a) => a.action), ["rollout.start", "rollout.pause", "rollout.resume", "rollout.advance", "rollout.promote"]);
    assert.equal(audit.at(-1)!.reason, "looks good");
    await synced();
    assert.equal((await support.decide({ ...S, session: "any", tool: "search_kb" })).policyVersion, head + 1);
  });

  it("a second start gets 409 naming the active rollout, also when two starts race; abort leaves the head", async () => {
    const head = (await headVersion(store.prisma))!;
    const a = await cs([{ op: "set", key: "tools.search_kb.description", value: "A" }]);
    const b = await cs([{ op: "set", key: "tools.send_email.description", value: "B" }]);
    const c = await cs([{ op: "set", key: "tools.restart_service.description", value: "C" }]);
    const [ra, rb] = (await Promise.all([a, b].map((changeSetId) => editor("POST", "/api/v1/admin/rollouts", { changeSetId, strategy: "canary", stages: LONG })))) as [Awaited<ReturnType<typeof editor>>, Awaited<ReturnType<typeof editor>>];
    const won = [ra, rb].filter((r) => r.status === 201);
    const lost = [ra, rb].filter((r) => r.status === 409);
    assert.equal(won.length, 1, JSON.stringify([ra.body, rb.body]));
    assert.equal(lost.length, 1);
    const active = won[0]!.body.id as string;
    assert.match(lost[0]!.body.error.message, new RegExp(`Rollout ${active} .* is already active`));
    const third = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: c, strategy: "canary", stages: LONG });
    assert.equal(third.status, 409);
    assert.equal(third.body.error.activeRolloutId, active);
    const list = await editor("GET", "/api/v1/admin/rollouts");
    assert.equal(list.body.activeId, active);
    assert.equal(list.body.rollouts[0].id, active);
    assert.equal(list.body.rollouts.filter((r: { active: boolean }) => r.active).length, 1);
    const abort = await editor("POST", `/api/v1/admin/rollouts/${active}/abort`, { reason: "changed my mind" });
    assert.equal(abort.body.status, "aborted");
    assert.equal(await headVersion(store.prisma), head);
    const again = await editor("POST", `/api/v1/admin/rollouts/${active}/resume`, { reason: "x" });
    assert.equal(again.status, 409);
    // The released change set is open again once its rollout ended.
    assert.equal((await store.prisma.changeSet.findUniqueOrThrow({ where: { id: won[0] === ra ? a : b } })).status, "draft");
  });

  it("refuses a candidate that cannot work with the live set (422 with key paths) and bad input (400)", async () => {
    const bad = await cs([{ op: "set", key: "agents.support-bot.allowed_tools", value: ["search_kb", "wire_money"] }]);
    const r = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: bad, strategy: "canary", stages: LONG });
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.error.fields.map((f: { path: string }) => f.path), ["agents.support-bot.allowed_tools.1"]);
    assert.equal(await store.prisma.rollout.count({ where: { activeSlot: 1 } }), 0);
    const noReason = await editor("POST", "/api/v1/admin/rollouts/x/pause", {});
    assert.equal(noReason.status, 400);
    assert.match(noReason.body.error.message, /reason/);
    const both = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: bad, candidateVersion: 1, strategy: "blue_green", stages: [{ percent: 20 }, { percent: 50 }] });
    assert.equal(both.status, 400);
    assert.deepEqual(both.body.error.fields.map((f: { path: string }) => f.path).sort(), ["changeSetId", "stages"]);
    const order = await editor("POST", "/api/v1/admin/rollouts", { candidateVersion: 1, strategy: "canary", stages: [{ percent: 50 }, { percent: 20 }] });
    assert.deepEqual(order.body.error.fields.map((f: { path: string }) => f.path), ["stages.1.percent"]);
    const viewer = await adminClient(api.url, world.tokens.viewer)("POST", "/api/v1/admin/rollouts", { candidateVersion: 1, strategy: "canary", stages: LONG });
    assert.equal(viewer.status, 403);
  });

  it("blue-green from an existing version: warm-up, then advancing is the atomic switch", async () => {
    const head = (await headVersion(store.prisma))!;
    const missing = await editor("POST", "/api/v1/admin/rollouts", { candidateVersion: 999, strategy: "blue_green", stages: [{ percent: 5 }, { percent: 100 }] });
    assert.deepEqual([missing.status, missing.body.error.fields[0].path], [400, "candidateVersion"]);
    const live = await editor("POST", "/api/v1/admin/rollouts", { candidateVersion: head, strategy: "blue_green", stages: [{ percent: 5 }, { percent: 100 }] });
    assert.match(live.body.error.message, /already the live version/);
    const r = await editor("POST", "/api/v1/admin/rollouts", { candidateVersion: 1, strategy: "blue_green", stages: [{ percent: 5, minDurationSec: 3600 }, { percent: 100 }], reason: "back to v1, carefully" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(await headVersion(store.prisma), head);
    const sw = await editor("POST", `/api/v1/admin/rollouts/${r.body.id}/advance`, { reason: "warm-up clean" });
    assert.deepEqual([sw.body.status, sw.body.currentStage], ["promoted", 1]);
    assert.equal(await headVersion(store.prisma), 1);
    await synced();
  });
});

describe("promotion after the head moved", () => {
  it("refuses with 409 naming both versions; the evaluator pauses instead of promoting", async () => {
    const r = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: await cs([{ op: "set", key: "tools.search_kb.description", value: "late" }]), strategy: "canary", stages: [{ percent: 50, minDurationSec: 2 }, { percent: 100 }] });
    const baseline = (await headVersion(store.prisma))!;
    const moved = await editor("POST", `/api/v1/admin/changesets/${await cs([{ op: "set", key: "tools.send_email.description", value: "moved" }])}/apply`, {});
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const p = await editor("POST", `/api/v1/admin/rollouts/${r.body.id}/promote`, { reason: "ship it" });
    assert.equal(p.status, 409);
    assert.match(p.body.error.message, new RegExp(`head moved to version ${moved.body.version} since this rollout's baseline version ${baseline}; promoting candidate version ${r.body.candidateVersion}`));
    const deadline = Date.now() + 10_000;
    while ((await store.prisma.rollout.findUniqueOrThrow({ where: { id: r.body.id } })).status !== "paused") {
      assert.ok(Date.now() < deadline, "the evaluator did not pause the rollout");
      await new Promise((res) => setTimeout(res, 100));
    }
    const ev = await store.prisma.rolloutEvent.findFirstOrThrow({ where: { rolloutId: r.body.id, kind: "pause" } });
    assert.deepEqual([ev.automatic, ev.actor], [true, "Governor"]);
    assert.match(ev.reason, /automatic pause: The policy head moved/);
    assert.equal(await headVersion(store.prisma), moved.body.version);
    await editor("POST", `/api/v1/admin/rollouts/${r.body.id}/abort`, { reason: "rebase needed" });
  });
});

describe("routing and metrics", () => {
  it("routes a canary session to the candidate and records its cohort; a global kill denies canary sessions too", async () => {
    const head = (await headVersion(store.prisma))!;
    const id = await cs([{ op: "set", key: "agents.support-bot.allowed_tools", value: ["search_kb", "refund_payment"] }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 50, minDurationSec: 3600 }, { percent: 100 }] });
    const rid = start.body.id as string;
    // Aborted whatever happens, so a failure here is reported once, not again by every later start.
    try {
      await synced();
      const canary = sessionIn(rid, 50, "canary");
      const stable = sessionIn(rid, 50, "stable");
      const c = await support.decide({ ...S, session: canary, tool: "send_email" });
      assert.deepEqual([c.decision, c.primitive, c.cohort, c.policyVersion], ["deny", "not_allowed", "canary", start.body.candidateVersion]);
      const s = await support.decide({ ...S, session: stable, tool: "send_email" });
      assert.deepEqual([s.decision, s.cohort, s.policyVersion], ["allow", "stable", head]);
      // The presentation layer agrees: the canary session no longer sees send_email.
      const tools = async (session: string) => (await support.call("GET", `/api/v1/tools?tenant=acme&session=${session}`)).body.tools.map((t: { name: string }) => t.name);
      assert.deepEqual(await tools(canary), ["refund_payment", "search_kb"]);
      assert.deepEqual(await tools(stable), ["refund_payment", "search_kb", "send_email"]);
      // Sticky: the same session keeps its cohort.
      assert.equal((await support.decide({ ...S, session: canary, tool: "search_kb" })).cohort, "canary");
      await api.dp.log.flush();
      assert.equal((await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: c.decisionId } })).cohort, "canary");
      // The snapshot endpoint publishes the candidate for SDKs, beside the unchanged stable fields.
      const snap = await support.call("GET", "/api/v1/policy/snapshot");
      assert.deepEqual([snap.body.policyVersion, snap.body.rollout.id, snap.body.rollout.percent, snap.body.rollout.candidateVersion], [head, rid, 50, start.body.candidateVersion]);

      // An SDK in local mode hands decisions to the server while a rollout routes sessions.
      const sdk = createGovernor({ url: api.url, token: SUPPORT_TOKEN, agent: "support-bot", mode: "local", timeoutMs: 2000 });
      await sdk.ready();
      const viaSdk = await sdk.decide({ tenant: "acme", session: canary, tool: "send_email" });
      assert.deepEqual([viaSdk.decision, viaSdk.cohort, viaSdk.local ?? false], ["deny", "canary", false]);
      await sdk.close();

      const kill = await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "global_kill", active: true, reason: "stop all" } });
      await waitForGeneration(api.dp, kill.generation);
      const killed = await support.decide({ ...S, session: canary, tool: "search_kb" });
      assert.deepEqual([killed.decision, killed.primitive, killed.cohort], ["deny", "kill_switch", "canary"]);
      const lift = await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "global_kill", active: false, reason: "ok" } });
      await waitForGeneration(api.dp, lift.generation);

      // Outcomes count for the cohort their decision went to.
      const ok = await support.decide({ ...S, session: canary, tool: "search_kb" });
      assert.equal((await support.call("POST", "/api/v1/outcomes", { decisionId: ok.decisionId, outcome: "failure" })).status, 200);
      const okStable = await support.decide({ ...S, session: stable, tool: "search_kb" });
      assert.equal((await support.call("POST", "/api/v1/outcomes", { decisionId: okStable.decisionId, outcome: "success" })).status, 200);
      await api.dp.metrics.flush();

      const m = await editor("GET", `/api/v1/admin/rollouts/${rid}/metrics?minutes=60`);
      assert.equal(m.status, 200);
      assert.deepEqual(Object.keys(m.body).sort(), ["comparisons", "events", "histogramBoundsMs", "rollout", "series", "srm", "stages", "totals"]);
      assert.deepEqual(m.body.histogramBoundsMs, HISTOGRAM_BOUNDS_MS);
      const { canary: tc, stable: ts } = m.body.totals;
      // canary: send_email deny, search_kb allow, the SDK's send_email deny, killed deny, search_kb allow;
      // stable: send_email allow, search_kb allow.
      assert.deepEqual([tc.decisions, tc.allows, tc.denies, tc.errors], [5, 2, 3, 0]);
      assert.deepEqual([ts.decisions, ts.allows, ts.denies], [2, 2, 0]);
      assert.deepEqual(tc.outcomes, { success: 0, failure: 1, partial: 0, rolled_back: 0 });
      assert.deepEqual(ts.outcomes, { success: 1, failure: 0, partial: 0, rolled_back: 0 });
      assert.equal(tc.latencyCounts.length, HISTOGRAM_BOUNDS_MS.length + 1);
      assert.equal(tc.latencyCounts.reduce((a: number, b: number) => a + b, 0), 5);
      assert.equal(typeof tc.p99Ms, "number");
      const row = m.body.series.find((x: { cohort: string }) => x.cohort === "canary");
      assert.deepEqual(Object.keys(row).sort(), ["allows", "cohort", "decisions", "denies", "errors", "minute", "outcomes", "p50Ms", "p95Ms", "p99Ms", "pendings"]);
      assert.deepEqual(m.body.comparisons.map((x: { metric: string }) => x.metric), ["deny_rate", "error_rate", "task_completion", "latency"]);
      assert.equal(m.body.srm.expectedCanaryShare, 0.5);
      // One session each, however many decisions each made.
      assert.deepEqual([m.body.srm.unit, m.body.srm.canary, m.body.srm.stable], ["sessions", 1, 1]);
      assert.deepEqual(m.body.stages.map((s: { status: string }) => s.status), ["current", "pending"]);
      assert.ok(m.body.stages[0].criteria.some((x: { name: string; met: boolean }) => x.name === "min_duration_sec" && !x.met));
      assert.deepEqual(m.body.events.map((e: { kind: string }) => e.kind), ["start"]);
    } finally {
      await editor("POST", `/api/v1/admin/rollouts/${rid}/abort`, { reason: "done testing" });
    }
  });

  it("the split check counts the sessions a stage routed, once each, not their decisions", async () => {
    const id = await cs([{ op: "set", key: "tools.search_kb.description", value: "Search (split check)" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 50, minDurationSec: 3600 }, { percent: 80, minDurationSec: 3600 }, { percent: 100 }], reason: "split check" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const rid = start.body.id as string;
    await synced();
    try {
      // Six canary sessions with 40 decisions each and six control sessions with one: 240 of 246
      // decisions on the canary, which a check on decisions reads as a gross mismatch.
      const canary = Array.from({ length: 6 }, (_, i) => sessionIn(rid, 50, "canary", `split-c${i}`));
      const stable = Array.from({ length: 6 }, (_, i) => sessionIn(rid, 50, "stable", `split-s${i}`));
      for (const session of canary) for (let k = 0; k < 40; k++) assert.equal((await support.decide({ ...S, session, tool: "search_kb" })).cohort, "canary");
      await api.dp.metrics.flush();
      for (const session of stable) assert.equal((await support.decide({ ...S, session, tool: "search_kb" })).cohort, "stable");
      // A session seen again after its row was written is not counted twice.
      await support.decide({ ...S, session: canary[0]!, tool: "search_kb" });
      await api.dp.metrics.flush();

      const m = await editor("GET", `/api/v1/admin/rollouts/${rid}/metrics?minutes=60`);
      assert.deepEqual([m.body.totals.canary.decisions, m.body.totals.stable.decisions], [241, 6]);
      assert.deepEqual({ unit: m.body.srm.unit, canary: m.body.srm.canary, stable: m.body.srm.stable, share: m.body.srm.observedCanaryShare, mismatch: m.body.srm.mismatch }, { unit: "sessions", canary: 6, stable: 6, share: 0.5, mismatch: false });
      assert.equal(await store.prisma.rolloutSession.count({ where: { rolloutId: rid } }), 12);

      // The next stage counts its own sessions from zero.
      assert.equal((await editor("POST", `/api/v1/admin/rollouts/${rid}/advance`, { reason: "next" })).status, 200);
      await synced();
      const next = await editor("GET", `/api/v1/admin/rollouts/${rid}/metrics?minutes=60`);
      assert.deepEqual([next.body.srm.expectedCanaryShare, next.body.srm.canary, next.body.srm.stable], [0.8, 0, 0]);
      const again = await support.decide({ ...S, session: stable[0]!, tool: "search_kb" });
      await api.dp.metrics.flush();
      const after = await editor("GET", `/api/v1/admin/rollouts/${rid}/metrics?minutes=60`);
      assert.deepEqual([after.body.srm.canary, after.body.srm.stable], again.cohort === "canary" ? [1, 0] : [0, 1]);
    } finally {
      await editor("POST", `/api/v1/admin/rollouts/${rid}/abort`, { reason: "done testing" });
    }
  });

  it("an evaluation that throws for a rollout cohort counts as an error and answers from the tool's failsafe", async () => {
    const id = await cs([{ op: "set", key: "tools.search_kb.description", value: "Search (broken canary)" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 50, minDurationSec: 3600 }, { percent: 100 }] });
    const rid = start.body.id as string;
    try {
      await synced();
      // A reload still in flight (PostgreSQL's NOTIFY of the same generation) would replace the
      // injected snapshot below; wait until none is.
      await api.dp.holder.idle();
      const held = api.dp.holder.canary!;
      // Fault injection: a candidate snapshot whose controls cannot be read.
      const broken = { ...held, snapshot: new Proxy(held.snapshot, { get: (t, p) => (p === "controls" ? (() => { throw new Error("corrupt snapshot"); })() : Reflect.get(t, p)) }) };
      api.dp.holder.canary = broken;
      const canary = sessionIn(rid, 50, "canary");
      const read = await support.decide({ ...S, session: canary, tool: "search_kb" });
      const money = await support.decide({ ...S, session: canary, tool: "refund_payment" });
      assert.equal(api.dp.holder.canary, broken, "no reload replaced the injected snapshot");
      api.dp.holder.canary = held;
      assert.deepEqual([read.decision, read.primitive, read.cohort], ["allow", "failsafe", "canary"]);
      assert.deepEqual([money.decision, money.primitive], ["deny", "failsafe"]);
      assert.match(read.reasons[0].message, /corrupt snapshot/);
      await api.dp.metrics.flush();
      const m = await editor("GET", `/api/v1/admin/rollouts/${rid}/metrics`);
      assert.deepEqual([m.body.totals.canary.decisions, m.body.totals.canary.errors], [2, 2]);
    } finally {
      await editor("POST", `/api/v1/admin/rollouts/${rid}/abort`, { reason: "done" });
    }
  });

  it("flush() also writes what was recorded while an earlier flush was in flight", async () => {
    // The timer's flush takes its batch first; an outcome reported meanwhile must not wait for
    // the next tick when a caller (shutdown, a test, the evaluator) asks for a flush.
    const r = await store.prisma.rollout.findFirstOrThrow();
    const metrics = new RolloutMetrics(store.prisma);
    const at = Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000;
    try {
      metrics.recordDecision({ rolloutId: r.id, cohort: "stable", decisionId: "flush-race", verdict: "allow", latencyUs: 800, error: false, now: at, session: "flush-race", shareBp: 7 });
      const inFlight = metrics.flush();
      metrics.recordOutcome(r.id, "stable", "success", at);
      await metrics.flush();
      await inFlight;
      const row = await store.prisma.metricBucket.findUniqueOrThrow({ where: { rolloutId_minute_cohort: { rolloutId: r.id, minute: new Date(at), cohort: "stable" } } });
      assert.deepEqual([row.decisions, row.allows, row.success], [1, 1, 1]);
    } finally {
      await metrics.close();
    }
  });

  it("keeps metric buckets and routed sessions 30 days: the sweep deletes older ones only", async () => {
    const r = await store.prisma.rollout.findFirstOrThrow();
    const day = 86_400_000;
    const now = Date.now();
    await store.prisma.metricBucket.createMany({
      data: [31, 29].map((age) => ({ rolloutId: r.id, minute: new Date(Math.floor((now - age * day) / 60_000) * 60_000), cohort: "stable", decisions: age, latencyCounts: [] })),
    });
    await store.prisma.rolloutSession.createMany({ data: [31, 29].map((age) => ({ rolloutId: r.id, shareBp: 1, session: `sweep-${age}`, cohort: "stable", firstSeen: new Date(now - age * day) })) });
    assert.equal(await sweepMetricBuckets(store.prisma, now), 1);
    const left = await store.prisma.metricBucket.findMany({ where: { rolloutId: r.id, minute: { lt: new Date(now - day) } } });
    assert.deepEqual(left.map((b) => b.decisions), [29]);
    assert.deepEqual((await store.prisma.rolloutSession.findMany({ where: { rolloutId: r.id, shareBp: 1 } })).map((x) => x.session), ["sweep-29"]);
  });
});
