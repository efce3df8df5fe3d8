// Automatic rollback and advance by the evaluator the data plane runs, and the state carried
// across the swap: approval queue and rate-limit counters (seed 002, "State Management").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { applyChangeSet } from "@/lib/changesets/apply";
import { voteOnChangeSet } from "@/lib/changesets/votes";
import { updateSettings } from "@/lib/controls/settings";
import { readGeneration } from "@/lib/db/generation";
import { headVersion } from "@/lib/policy/versions";
import { emptyCounts } from "@/lib/rollouts/histogram";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { adminClient, draftChangeSet, sessionIn } from "@/lib/test/rollouts";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

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

const S = { agent: "support-bot", tenant: "acme" };
const HOLD = [{ percent: 50, minDurationSec: 3600 }, { percent: 100 }];
const synced = async () => waitForGeneration(api.dp, await readGeneration(store.prisma));
const cs = (ops: Parameters<typeof draftChangeSet>[2]) => draftChangeSet(store.prisma, world.principals.editor, ops);

async function release(changeSetId: string, stages: unknown = HOLD, extra: object = {}) {
  const r = await editor("POST", "/api/v1/admin/rollouts", { changeSetId, strategy: "canary", stages, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await synced();
  return r.body as { id: string; candidateVersion: number };
}
async function end(id: string, action: "abort" | "promote") {
  const r = await editor("POST", `/api/v1/admin/rollouts/${id}/${action}`, { reason: `${action} in test` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await synced();
}
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** A change set touching approval rules is sensitive: one reviewer approves it first. */
async function approved(ops: Parameters<typeof draftChangeSet>[2]) {
  const id = await cs(ops);
  await voteOnChangeSet({ db: store.prisma, principal: world.principals.reviewer, id, input: { vote: "approve" } });
  return id;
}

describe("approval queue at the swap", () => {
  it("promotion that drops a requirement auto-approves pending requests as system, in the same transaction", async () => {
    const r = await release(await approved([{ op: "unset", key: "tools.refund_payment.approval" }]));
    const stable = await support.decide({ ...S, session: sessionIn(r.id, 50, "stable"), tool: "refund_payment" });
    assert.equal(stable.decision, "pending");
    const canary = await support.decide({ ...S, session: sessionIn(r.id, 50, "canary"), tool: "refund_payment" });
    assert.deepEqual([canary.decision, canary.cohort], ["allow", "canary"]);
    await end(r.id, "promote");
    const req = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: stable.approvalId } });
    assert.deepEqual([req.status, req.resolvedBy], ["approved", "system"]);
    const auto = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.auto_approve", target: `approval:${stable.approvalId}` } });
    const promote = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "rollout.promote", target: `rollout:${r.id}` } });
    // Appended in the promotion's transaction, right before its own event (the chain is locked
    // from the first append to the commit, so nothing interleaves).
    assert.equal(promote.seq - auto.seq, 1);
  });

  it("an added requirement is not applied to past decisions; rolling it back releases what it queued", async () => {
    const rule = { quorum: 1, group: "reviewers", expires_in_s: 3600, reject_threshold: 1 };
    const r = await release(await approved([{ op: "set", key: "tools.send_email.approval", value: rule }]));
    const past = await support.decide({ ...S, session: sessionIn(r.id, 50, "stable"), tool: "send_email" });
    assert.equal(past.decision, "allow");
    const queued = await support.decide({ ...S, session: sessionIn(r.id, 50, "canary"), tool: "send_email" });
    assert.equal(queued.decision, "pending");
    assert.equal(await store.prisma.actionRequest.count({ where: { tool: "send_email" } }), 1, "the past allow got no request");
    await end(r.id, "abort");
    const req = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: queued.approvalId } });
    assert.deepEqual([req.status, req.resolvedBy], ["approved", "system"]);
  });
});

describe("automatic advance and rollback", () => {
  it("advances a stage once its criteria held for minDurationSec, and promotes after the last", async () => {
    const head = (await headVersion(store.prisma))!;
    const r = await release(await cs([{ op: "set", key: "tools.search_kb.description", value: "auto" }]), [{ percent: 20, minDurationSec: 1 }, { percent: 60, minDurationSec: 1 }, { percent: 100 }]);
    const done = await until("promotion", async () => (await store.prisma.rollout.findUniqueOrThrow({ where: { id: r.id } })).status === "promoted");
    assert.ok(done);
    assert.equal(await headVersion(store.prisma), r.candidateVersion);
    assert.notEqual(r.candidateVersion, head);
    const events = await store.prisma.rolloutEvent.findMany({ where: { rolloutId: r.id }, orderBy: { at: "asc" } });
    assert.deepEqual(events.map((e) => [e.kind, e.automatic, e.actor]), [["start", false, "editor"], ["advance", true, "Governor"], ["promote", true, "Governor"]]);
    const criteria = (events[1]!.detail as { criteria: { name: string; met: boolean }[] }).criteria;
    assert.ok(criteria.every((c) => c.met) && criteria.some((c) => c.name === "min_duration_sec"));
    // The second stage waited its own minute duration after the first advanced.
    assert.ok(events[2]!.at.getTime() - events[1]!.at.getTime() >= 1000);
    const audit = await store.prisma.auditEvent.findMany({ where: { target: `rollout:${r.id}`, actorId: "system" }, orderBy: { seq: "asc" } });
    assert.deepEqual(audit.map((a) => a.action), ["rollout.advance", "rollout.promote"]);
    await synced();
  });

  it("rolls back on bad canary metrics: one transaction with event, audit and webhook; the next canary decision is on the baseline", async (t) => {
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: ["http://127.0.0.1:9/hook"] } });
    const head = (await headVersion(store.prisma))!;
    const r = await release(await cs([{ op: "set", key: "tools.search_kb.description", value: "bad" }]));
    const canary = sessionIn(r.id, 50, "canary");
    assert.equal((await support.decide({ ...S, session: canary, tool: "search_kb" })).policyVersion, r.candidateVersion);
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const lat = emptyCounts();
    lat[3] = 200;
    await store.prisma.metricBucket.createMany({
      data: [
        { rolloutId: r.id, minute, cohort: "canary", decisions: 200, allows: 180, denies: 20, errors: 20, latencyCounts: lat },
        { rolloutId: r.id, minute, cohort: "stable", decisions: 200, allows: 198, denies: 2, errors: 0, latencyCounts: lat },
      ],
    });
    const seeded = Date.now();
    const rolled = await until("rollback", async () => {
      const row = await store.prisma.rollout.findUniqueOrThrow({ where: { id: r.id } });
      return row.status === "rolled_back" ? row : null;
    });
    // The evaluator ticks every second; the figure is reported, not asserted (shared machine).
    t.diagnostic(`seeded bad metrics → rolled back in ${rolled.endedAt!.getTime() - seeded} ms`);
    assert.equal(await headVersion(store.prisma), head);
    const ev = await store.prisma.rolloutEvent.findFirstOrThrow({ where: { rolloutId: r.id, kind: "rollback" } });
    assert.equal(ev.automatic, true);
    // The canary has 20 errors in 221+ decisions (the seeded rows plus the real one above).
    const { metric, value, threshold, window } = ev.detail as { metric: string; value: number; threshold: number; window: string };
    const d = { metric, value, threshold, window };
    assert.deepEqual([d.metric, d.threshold, d.window], ["error_rate", 0.05, "300s"]);
    assert.ok(d.value > 0.05 && d.value <= 0.1, String(d.value));
    assert.match(ev.reason, /error rate/);
    const audit = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "rollout.rollback", target: `rollout:${r.id}` } });
    assert.equal(audit.actorId, "system");
    assert.deepEqual((audit.after as { detail: object }).detail, d);
    const hook = await store.prisma.webhookDelivery.findFirstOrThrow({ where: { event: "rollout.rollback" } });
    const p = hook.payload as { metric: string; value: number; threshold: number; window: string; text: string };
    assert.deepEqual([p.metric, p.value, p.threshold, p.window], [d.metric, d.value, d.threshold, d.window]);
    assert.match(p.text, new RegExp(`rolled back rollout ${r.id}`));
    await waitForGeneration(api.dp, audit.generation!);
    const next = await support.decide({ ...S, session: canary, tool: "search_kb" });
    assert.deepEqual([next.cohort, next.policyVersion], ["stable", head]);
  });
});

describe("rate-limit counters at the swap", () => {
  it("cohorts share counters: a decrease holds, an increase applies at once, a window change restarts", async () => {
    const base = await cs([{ op: "set", key: "tools.send_email.rate_limit", value: { count: 3, window_s: 3600 } }]);
    await applyChangeSet({ db: store.prisma, principal: world.principals.editor, id: base, input: { acknowledgeStateConflicts: false } });
    await synced();
    const email = (session: string) => support.decide({ ...S, session, tool: "send_email" });

    // Decrease to 1: the counter the stable cohort filled (2) already exceeds it for canary sessions.
    const dec = await release(await cs([{ op: "set", key: "tools.send_email.rate_limit.count", value: 1 }]));
    const st = sessionIn(dec.id, 50, "stable");
    assert.equal((await email(st)).decision, "allow");
    assert.equal((await email(st)).decision, "allow");
    const held = await email(sessionIn(dec.id, 50, "canary"));
    assert.deepEqual([held.decision, held.primitive, held.cohort, held.reasons[0].value, held.reasons[0].bound], ["deny", "rate_limit", "canary", 2, 1]);
    assert.equal((await email(st)).decision, "allow");
    assert.equal((await email(st)).primitive, "rate_limit");
    await end(dec.id, "abort");

    // Increase to 10: canary sessions get the room at once, stable stays at 3 until promotion.
    const inc = await release(await cs([{ op: "set", key: "tools.send_email.rate_limit.count", value: 10 }]));
    assert.equal((await email(sessionIn(inc.id, 50, "stable"))).primitive, "rate_limit");
    assert.equal((await email(sessionIn(inc.id, 50, "canary"))).decision, "allow");
    await end(inc.id, "promote");
    assert.equal((await email(sessionIn(inc.id, 50, "stable"))).decision, "allow", "after promotion the increase applies to everyone");

    // Window change: the candidate's counters start fresh; rolling back returns to the old ones.
    const win = await release(await cs([{ op: "set", key: "tools.send_email.rate_limit", value: { count: 5, window_s: 60 } }]));
    for (let i = 0; i < 5; i++) assert.equal((await email(sessionIn(win.id, 50, "canary"))).decision, "allow", `call ${i}`);
    const sixth = await email(sessionIn(win.id, 50, "canary"));
    assert.deepEqual([sixth.primitive, sixth.reasons[0].bound], ["rate_limit", 5]);
    await end(win.id, "abort");
    // Back on the hour window: 5 of 10 used before, now 5 more fit, the 11th is refused.
    const back = sessionIn(win.id, 50, "canary");
    for (let i = 0; i < 5; i++) assert.equal((await email(back)).decision, "allow", `back ${i}`);
    assert.equal((await email(back)).primitive, "rate_limit");
  });
});
