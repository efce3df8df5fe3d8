import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { voteOnActionRequest } from "@/lib/approvals/vote";
import { createToken } from "@/lib/auth/tokens";
import { setControl } from "@/lib/controls/controls";
import { updateSettings } from "@/lib/controls/settings";
import { deliverDue } from "@/lib/notify/webhooks";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { publishVersion } from "@/lib/policy/versions";
import { StartRolloutInput } from "@/lib/rollouts/schemas";
import { startRollout } from "@/lib/rollouts/start";
import { controlRollout } from "@/lib/rollouts/transitions";
import type { Principal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/permissions";
import { createGovernor } from "@/lib/sdk";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;
const refund = (extra: Record<string, unknown> = {}) => ({ agent: "support-bot", tenant: "acme", session: "ap", tool: "refund_payment", args: { amount: 40 }, ...extra });

async function userPrincipal(username: string): Promise<Principal> {
  const u = await store.prisma.user.findUniqueOrThrow({ where: { username } });
  return { actor: { type: "user", id: u.id, name: u.username }, role: u.role as Role, via: "session" };
}
const vote = async (username: string, id: string, v: "approve" | "reject" = "approve", comment?: string) =>
  voteOnActionRequest({ db: store.prisma, principal: await userPrincipal(username), id, input: { vote: v, comment } });

/** The request as the console's request page reads it. */
async function detail(id: string) {
  const res = await fetch(`${api.url}/api/v1/admin/approvals/${id}`, { headers: { authorization: `Bearer ${world.tokens.viewer}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { request: Record<string, unknown> }).request;
}

async function publish(edit: (d: any) => void) {
  const doc: any = structuredClone(DEMO_POLICY);
  edit(doc);
  const r = await publishVersion({ db: store.prisma, principal: world.principals.editor, document: doc, reason: "test" });
  await waitForGeneration(api.dp, r.generation);
}

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
});
after(async () => {
  await api.close();
  await store.close();
});

describe("action requests and quorum", () => {
  it("a pending decision opens a request, idempotent on (agent, idempotencyKey)", async () => {
    const a = await support.decide(refund({ idempotencyKey: "refund-1" }));
    const b = await support.decide(refund({ idempotencyKey: "refund-1" }));
    assert.equal(a.decision, "pending");
    assert.ok(a.approvalId);
    assert.equal(b.approvalId, a.approvalId);
    const r = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: a.approvalId } });
    assert.deepEqual({ q: r.quorum, g: r.reviewerGroup, tool: r.tool, args: r.args }, { q: 2, g: "reviewers", tool: "refund_payment", args: { amount: 40 } });
    const status = await support.call("GET", `/api/v1/approvals/${a.approvalId}`);
    assert.deepEqual({ s: status.body.status, a: status.body.approvals, req: status.body.required }, { s: "pending", a: 0, req: 2 });
  });

  it("2 of 3 approves; a later vote is refused saying how and when it was resolved; one execution only", async () => {
    const { approvalId } = await support.decide(refund());
    assert.deepEqual(await vote("reviewer1", approvalId), { status: "pending", approvals: 1, rejections: 0, required: 2, generation: (await store.prisma.generation.findUniqueOrThrow({ where: { id: 1 } })).value });
    const second = await vote("reviewer2", approvalId, "approve", "looks right");
    assert.equal(second.status, "approved");
    await assert.rejects(vote("reviewer3", approvalId), /already approved by reviewer2 at \d{4}-/);
    await assert.rejects(vote("reviewer1", approvalId), /already approved/);

    const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
    assert.deepEqual([run.body.decision, run.body.primitive], ["allow", "approval"]);
    assert.match(run.body.reasons[0].message, /Approved by reviewer1, reviewer2/);
    const again = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
    assert.equal(again.body.decision, "deny");
    assert.match(again.body.reasons[0].message, /already executed/);
    const audit = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.execute", target: `approval:${approvalId}` } });
    assert.deepEqual((audit.after as { approvers: string[] }).approvers, ["reviewer1", "reviewer2"]);
  });

  it("an approved action does not run while a kill switch or read-only mode is on, and runs once after recovery", async () => {
    const { approvalId } = await support.decide(refund());
    await vote("reviewer1", approvalId);
    await vote("reviewer2", approvalId);
    const flip = (control: "global_kill" | "agent_kill" | "tenant_kill" | "tool_kill" | "read_only", active: boolean, target?: string) =>
      setControl({ db: store.prisma, principal: world.principals.operator, input: { control, target, active, reason: active ? "INC-5" : "fixed" } });
    const stops = [
      { control: "global_kill", target: undefined, primitive: "kill_switch", message: /^Every agent is stopped by oncall: INC-5; the approved action stays unused until that is lifted\.$/ },
      { control: "agent_kill", target: "support-bot", primitive: "kill_switch", message: /^Agent "support-bot" is stopped/ },
      { control: "tenant_kill", target: "acme", primitive: "kill_switch", message: /^Tenant "acme" is stopped/ },
      { control: "tool_kill", target: "refund_payment", primitive: "kill_switch", message: /^Tool "refund_payment" is stopped/ },
      { control: "read_only", target: undefined, primitive: "read_only", message: /^Read-only mode is on \(set by oncall\); "refund_payment" is a write tool/ },
    ] as const;
    for (const s of stops) {
      // Straight after the commit, before this instance's snapshot could have heard of it: the
      // claim reads the controls in its own transaction.
      await flip(s.control, true, s.target);
      const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
      assert.deepEqual([run.status, run.body.decision, run.body.primitive], [200, "deny", s.primitive], s.control);
      assert.match(run.body.reasons[0].message, s.message);
      const refused = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.execute_refused", target: `approval:${approvalId}` }, orderBy: { seq: "desc" } });
      assert.deepEqual([(refused.after as { primitive: string }).primitive, (refused.after as { control: string }).control], [s.primitive, s.control]);
      // Lifted, and heard by this instance before the next stop or test decides anything.
      await waitForGeneration(api.dp, (await flip(s.control, false, s.target)).generation);
    }
    assert.equal((await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: approvalId } })).executedAt, null, "a refused claim does not use the approval up");
    const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
    assert.deepEqual([run.body.decision, run.body.primitive], ["allow", "approval"]);
  });

  it("an approved action the live policy no longer allows does not run, and runs once the policy allows it again", async () => {
    const { approvalId } = await support.decide(refund());
    await vote("reviewer1", approvalId);
    await vote("reviewer2", approvalId);
    const waiting = (await support.decide(refund({ session: "ap-waiting" }))).approvalId;
    const queueRow = async (id: string) => {
      const res = await fetch(`${api.url}/api/v1/admin/approvals?view=queue&tool=refund_payment`, { headers: { authorization: `Bearer ${world.tokens.viewer}` } });
      return ((await res.json()) as { requests: { id: string; livePolicy: unknown }[] }).requests.find((x) => x.id === id);
    };
    assert.deepEqual((await queueRow(waiting))!.livePolicy, { allows: true });
    // After the approval, an editor moves acme to the free tier, which has no refund_payment.
    await publish((d) => (d.tenants.acme.tier = "free"));
    try {
      const version = (await store.prisma.policyVersion.findFirstOrThrow({ orderBy: { number: "desc" } })).number;
      const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
      assert.deepEqual([run.status, run.body.decision, run.body.primitive], [200, "deny", "not_allowed"]);
      assert.equal(run.body.reasons[0].message, `The live policy (version ${version}) no longer allows this call: "refund_payment" is not in tier "free" of tenant "acme". The approved action stays unused unless the policy allows it again.`);
      assert.deepEqual([run.body.reasons[0].value, run.body.reasons[0].bound], ["refund_payment", "free"]);
      const refused = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "approval.execute_refused", target: `approval:${approvalId}` }, orderBy: { seq: "desc" } });
      assert.deepEqual([(refused.after as { primitive: string }).primitive, (refused.after as { policyVersion: number }).policyVersion], ["not_allowed", version]);
      await api.dp.log.flush();
      const logged = await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: run.body.decisionId } });
      assert.deepEqual([logged.decision, logged.primitive], ["deny", "not_allowed"]);
      assert.equal((await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: approvalId } })).executedAt, null, "a refused claim does not use the approval up");
      // The request page says so before anyone finds out from the agent.
      const refusal = { allows: false, policyVersion: version, reason: { primitive: "not_allowed", message: '"refund_payment" is not in tier "free" of tenant "acme"', value: "refund_payment", bound: "free" } };
      assert.deepEqual((await detail(approvalId)).livePolicy, refusal);
      // The queue marks the requests still waiting that an approval would not run.
      assert.deepEqual((await queueRow(waiting))!.livePolicy, refusal);
    } finally {
      await publish(() => {});
    }
    assert.deepEqual((await detail(approvalId)).livePolicy, { allows: true });
    assert.deepEqual((await queueRow(waiting))!.livePolicy, { allows: true });
    const again = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
    assert.deepEqual([again.body.decision, again.body.primitive], ["allow", "approval"]);
    assert.equal((await detail(approvalId)).livePolicy, null);
  });

  it("during a rollout an approved action is checked, answered and logged under its session's cohort", async () => {
    const { approvalId } = await support.decide(refund({ session: "ap-rollout" }));
    await vote("reviewer1", approvalId);
    await vote("reviewer2", approvalId);
    // The candidate moves acme to the free tier; every session is on it.
    const candidate = structuredClone(DEMO_POLICY) as any;
    candidate.tenants.acme.tier = "free";
    const candidateVersion = (await publishVersion({ db: store.prisma, principal: world.principals.editor, document: candidate, reason: "candidate" })).number;
    await publish(() => {});
    const head = (await store.prisma.policyVersion.findFirstOrThrow({ orderBy: { number: "desc" } })).number;
    const started = await startRollout({ db: store.prisma, principal: world.principals.editor, input: StartRolloutInput.parse({ candidateVersion, strategy: "canary", stages: [{ percent: 100, minDurationSec: 3600 }] }) });
    await waitForGeneration(api.dp, started.generation);
    const executed = async () => {
      const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
      await api.dp.log.flush();
      const logged = await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: run.body.decisionId } });
      return { answer: [run.body.decision, run.body.primitive, run.body.cohort, run.body.policyVersion], logged: [logged.decision, logged.primitive, logged.cohort, logged.policyVersion] };
    };
    try {
      assert.deepEqual(await executed(), { answer: ["deny", "not_allowed", "canary", candidateVersion], logged: ["deny", "not_allowed", "canary", candidateVersion] });
    } finally {
      const ended = await controlRollout({ db: store.prisma, principal: world.principals.editor, id: started.id, action: "abort", reason: "test over" });
      await waitForGeneration(api.dp, ended.generation);
    }
    assert.deepEqual(await executed(), { answer: ["allow", "approval", "stable", head], logged: ["allow", "approval", "stable", head] });
  });

  it("one reject vetoes by default", async () => {
    const { approvalId } = await support.decide(refund());
    await vote("reviewer1", approvalId);
    assert.equal((await vote("reviewer3", approvalId, "reject", "amount too high")).status, "rejected");
    const run = await support.call("POST", `/api/v1/approvals/${approvalId}/execute`, {});
    assert.equal(run.body.decision, "deny");
  });

  it("refuses the initiator, reviewers outside the group, and roles that may not vote", async () => {
    const { approvalId } = await support.decide(refund({ initiator: "reviewer1" }));
    await assert.rejects(vote("reviewer1", approvalId), /you started this request/);
    await store.prisma.user.create({ data: { username: "outsider", displayName: "Out Sider", role: "reviewer" } });
    await assert.rejects(vote("outsider", approvalId), /not in the reviewer group/);
    for (const role of ["viewer", "editor", "operator"] as const) {
      const res = await fetch(`${api.url}/api/v1/admin/approvals/${approvalId}/votes`, { method: "POST", headers: { authorization: `Bearer ${world.tokens[role]}`, "content-type": "application/json" }, body: JSON.stringify({ vote: "approve" }) });
      assert.equal(res.status, 403, role);
    }
    const reviewer2 = await store.prisma.user.findUniqueOrThrow({ where: { username: "reviewer2" } });
    const { secret } = await createToken({ db: store.prisma, principal: world.principals.admin, input: { kind: "personal", name: "r2", userId: reviewer2.id } });
    const ok = await fetch(`${api.url}/api/v1/admin/approvals/${approvalId}/votes`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ vote: "approve" }) });
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.deepEqual([body.status, body.approvals, body.rejections, body.required], ["pending", 1, 0, 2]);
  });

  it("an SDK guard waiting on the request runs its action after the second approval", async () => {
    const gov = createGovernor({ url: api.url, token: SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 2000, approvalWaitMs: 15_000 });
    let ran = 0;
    const guarded = gov.guard({ tenant: "acme", session: "sdk", tool: "refund_payment", idempotencyKey: "sdk-wait" }, () => ++ran);
    let req;
    for (let i = 0; i < 100 && !req; i++) {
      req = await store.prisma.actionRequest.findFirst({ where: { idempotencyKey: "sdk-wait" } });
      if (!req) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(req);
    await vote("reviewer1", req.id);
    assert.equal(ran, 0);
    await vote("reviewer3", req.id);
    assert.equal(await guarded, 1);
    await gov.close();
  });

  it("an expired request takes no votes and cannot execute", async () => {
    await publish((d) => (d.tools.refund_payment.approval.expires_in_s = 1));
    const { approvalId } = await support.decide(refund());
    await new Promise((r) => setTimeout(r, 1100));
    // Whichever comes first, the sweeper or this vote, records the expiry.
    await assert.rejects(vote("reviewer1", approvalId), /expired (at \d{4}-|by system at)/);
    const s = await support.call("GET", `/api/v1/approvals/${approvalId}`);
    assert.equal(s.body.status, "expired");
    assert.equal((await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: approvalId } })).status, "expired");
    await publish(() => {});
  });

  it("a policy change that drops the requirement auto-approves pending requests as system", async () => {
    const { approvalId } = await support.decide(refund());
    await publish((d) => delete d.tools.refund_payment.approval);
    const r = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: approvalId } });
    assert.deepEqual([r.status, r.resolvedBy], ["approved", "system"]);
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "approval.auto_approve", target: `approval:${approvalId}`, actorType: "system" } }), 1);
    // A requirement added later does not touch decisions already made.
    const allowed = await support.decide(refund());
    assert.equal(allowed.decision, "allow");
    await publish(() => {});
  });
});

describe("race-free counting", () => {
  it("50 concurrent votes from distinct reviewers resolve once with exactly the quorum", async () => {
    const names = Array.from({ length: 50 }, (_, i) => `rev${i}`);
    await store.prisma.user.createMany({ data: names.map((username) => ({ username, displayName: username, role: "reviewer" })) });
    await publish((d) => {
      d.reviewer_groups.crowd = names;
      d.tools.refund_payment.approval = { quorum: 30, group: "crowd", expires_in_s: 3600, reject_threshold: 50 };
    });
    const { approvalId } = await support.decide(refund({ idempotencyKey: "crowd" }));
    const results = await Promise.allSettled(names.map((n) => vote(n, approvalId)));
    const ok = results.filter((r) => r.status === "fulfilled");
    assert.equal(ok.length, 30);
    assert.equal((await store.prisma.actionVote.count({ where: { requestId: approvalId } })), 30);
    const resolved = ok.filter((r) => (r as PromiseFulfilledResult<{ status: string }>).value.status === "approved");
    assert.equal(resolved.length, 1, "exactly one vote resolves the request");
    for (const r of results.filter((r) => r.status === "rejected")) assert.match((r as PromiseRejectedResult).reason.message, /already approved/);
    await publish(() => {});
  });

  it("the same reviewer voting twice at the same moment counts once", async () => {
    const { approvalId } = await support.decide(refund({ idempotencyKey: "double" }));
    const results = await Promise.allSettled([vote("reviewer1", approvalId), vote("reviewer1", approvalId), vote("reviewer1", approvalId)]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal(await store.prisma.actionVote.count({ where: { requestId: approvalId } }), 1);
  });
});

describe("webhooks", () => {
  it("sends Slack-compatible JSON on a new request and on resolution, and retries failures", async (t) => {
    const received: { text: string }[] = [];
    let fail = true;
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        if (req.url === "/flaky" && fail) return void res.writeHead(500).end();
        received.push(JSON.parse(body));
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    // Closed even when an assertion fails, or its open socket would keep the test process alive.
    t.after(() => hook.closeAllConnections());
    t.after(() => new Promise<void>((r) => hook.close(() => r())));
    const base = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: [`${base}/ok`, `${base}/flaky`] } });
    // The server's own dispatcher ticks every second as well: a delivery it has leased is skipped
    // by this deliverDue and lands when that tick is done, so each step waits for its outcome.
    const settle = async (done: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 50; i++) {
        await deliverDue(store.prisma);
        if (await done()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`not within 5 s: ${what}`);
    };
    const flakyRows = () => store.prisma.webhookDelivery.findMany({ where: { url: `${base}/flaky` } });
    const { approvalId } = await support.decide(refund({ idempotencyKey: "hooked" }));
    await vote("reviewer1", approvalId, "reject", "no");
    await settle(async () => received.some((m) => /asks to run \*refund_payment\*/.test(m.text)) && received.some((m) => /was rejected/.test(m.text)), "both messages reach /ok");
    await settle(async () => (await flakyRows()).every((d) => d.attempts === 1), "/flaky is tried once");
    const flaky = await flakyRows();
    assert.ok(flaky.length >= 2 && flaky.every((d) => d.status === "pending" && d.attempts === 1 && d.lastError === "HTTP 500" && d.nextAttemptAt > new Date()));
    fail = false;
    await store.prisma.webhookDelivery.updateMany({ where: { url: `${base}/flaky` }, data: { nextAttemptAt: new Date(0) } });
    await settle(async () => (await flakyRows()).every((d) => d.status === "delivered"), "/flaky is delivered on retry");
    assert.ok((await flakyRows()).every((d) => d.status === "delivered" && d.attempts === 2));
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: [] } });
    hook.close();
  });
});
