import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { SYSTEM } from "@/lib/auth/principal";
import { createToken } from "@/lib/auth/tokens";
import { updateSettings } from "@/lib/controls/settings";
import { readGeneration } from "@/lib/db/generation";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let reviewer2Token: string;

const MIN = 60_000;
let seq = 0;

/** A pending request made `agoMin` minutes ago that expires in an hour unless told otherwise. */
function request(agoMin: number, extra: Record<string, unknown> = {}) {
  const createdAt = new Date(Date.now() - agoMin * MIN);
  seq++;
  return {
    id: `00000000-0000-4000-9000-${String(seq).padStart(12, "0")}`,
    decisionId: randomUUID(),
    agentId: "ops-bot",
    tenant: "acme",
    session: `s-${seq}`,
    tool: "drop_table",
    source: "rule",
    quorum: 1,
    reviewerGroup: "reviewers",
    policyVersion: 1,
    generation: 1,
    status: "pending",
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 60 * MIN),
    ...extra,
  };
}

async function call(method: string, path: string, body?: unknown, token = world.tokens.reviewer) {
  const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers freely
  return { status: res.status, body: (await res.json()) as any };
}

/** What a bulk reject may change, to show that a refused one changed none of it. */
async function snapshot() {
  return {
    requests: await store.prisma.actionRequest.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, resolvedBy: true } }),
    votes: await store.prisma.actionVote.count(),
    audit: await store.prisma.auditEvent.count(),
    generation: await readGeneration(store.prisma),
  };
}

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  const reviewer2 = await store.prisma.user.findUniqueOrThrow({ where: { username: "reviewer2" } });
  reviewer2Token = (await createToken({ db: store.prisma, principal: { ...SYSTEM, role: "admin" }, input: { kind: "personal", name: "reviewer2 test token", userId: reviewer2.id } })).secret;
});
after(async () => {
  await api.close();
  await store.close();
});
beforeEach(async () => {
  await store.prisma.actionVote.deleteMany();
  await store.prisma.actionRequest.deleteMany();
  await store.prisma.webhookDelivery.deleteMany();
});

describe("bulk reject (GET and POST /api/v1/admin/approvals/bulk-reject)", () => {
  it("previews what this reviewer may reject, and why the rest is left", async () => {
    await store.prisma.actionRequest.createMany({
      data: [
        request(10), request(9), request(8), // eligible
        request(7, { tool: "refund_payment", agentId: "support-bot" }), // eligible, other tool
        request(6, { initiator: "reviewer1" }), // reviewer1 started it
        request(5, { reviewerGroup: "dba" }), request(5, { reviewerGroup: "dba" }), // a group reviewer1 is not in
        request(4, { reviewerGroup: "" }), // any reviewer
        request(90, { expiresAt: new Date(Date.now() - MIN) }), // expired, not yet swept
        request(3, { status: "approved" }),
      ],
    });
    const voted = request(2);
    await store.prisma.actionRequest.create({ data: voted });
    await store.prisma.actionVote.create({ data: { requestId: voted.id, voterId: world.userIds.reviewer, voter: "reviewer1", vote: "approve" } });
    // quorum 2 keeps the voted request pending
    await store.prisma.actionRequest.update({ where: { id: voted.id }, data: { quorum: 2 } });

    const all = await call("GET", "/api/v1/admin/approvals/bulk-reject");
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.ok(Math.abs(Date.parse(all.body.asOf) - Date.now()) < 60_000, "asOf is the server's now");
    assert.deepEqual({ ...all.body, asOf: undefined }, {
      asOf: undefined, matching: 9, eligible: 5, alreadyVoted: 1, ownRequests: 1, otherGroups: [{ group: "dba", count: 2 }],
    });
    const one = await call("GET", "/api/v1/admin/approvals/bulk-reject?tool=refund_payment");
    assert.equal(one.body.matching, 1);
    assert.equal(one.body.eligible, 1);
    // asOf before the newest two leaves them out
    const earlier = await call("GET", `/api/v1/admin/approvals/bulk-reject?asOf=${new Date(Date.now() - 7.5 * MIN).toISOString()}`);
    assert.equal(earlier.body.matching, 3);
  });

  it("rejects the oldest matching requests first, one vote, one audit event and one webhook each, in batches", async () => {
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: ["https://hooks.example/a"] } });
    const rows = Array.from({ length: 5 }, (_, i) => request(20 - i));
    const later = request(-1); // arrives after the reviewer looked
    const otherAgent = request(15, { agentId: "support-bot", tool: "refund_payment" });
    await store.prisma.actionRequest.createMany({ data: [...rows, later, otherAgent] });
    const asOf = new Date().toISOString();
    const gen0 = await readGeneration(store.prisma);
    const audit0 = await store.prisma.auditEvent.count();

    const first = await call("POST", "/api/v1/admin/approvals/bulk-reject", { agent: "ops-bot", asOf, comment: "ops-bot is looping on drop_table", limit: 3 });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.requestIds, rows.slice(0, 3).map((r) => r.id));
    assert.equal(first.body.rejected, 3);
    assert.equal(first.body.votedStillPending, 0);
    assert.equal(first.body.remaining, 2);
    assert.equal(first.body.generation, gen0 + 1, "one generation for the batch");

    const second = await call("POST", "/api/v1/admin/approvals/bulk-reject", { agent: "ops-bot", asOf, comment: "ops-bot is looping on drop_table" });
    assert.deepEqual(second.body.requestIds, rows.slice(3).map((r) => r.id));
    assert.equal(second.body.remaining, 0);

    const after = await store.prisma.actionRequest.findMany({ include: { votes: true } });
    const byId = new Map(after.map((r) => [r.id, r]));
    for (const r of rows) {
      const got = byId.get(r.id)!;
      assert.equal(got.status, "rejected");
      assert.equal(got.resolvedBy, "reviewer1");
      assert.equal(got.resolution, "0 approve, 1 reject");
      assert.deepEqual(got.votes.map((v) => [v.voter, v.vote, v.comment]), [["reviewer1", "reject", "ops-bot is looping on drop_table"]]);
    }
    assert.equal(byId.get(later.id)!.status, "pending", "a request newer than asOf is not rejected unseen");
    assert.equal(byId.get(otherAgent.id)!.status, "pending", "another agent's request is left");

    const events = await store.prisma.auditEvent.findMany({ where: { seq: { gt: audit0 } }, orderBy: { seq: "asc" } });
    assert.equal(events.length, 5);
    assert.deepEqual(events.map((e) => e.target), rows.map((r) => `approval:${r.id}`));
    assert.ok(events.every((e) => e.action === "approval.vote.reject" && e.reason === "ops-bot is looping on drop_table" && e.actorName === "reviewer1"));
    assert.deepEqual((events[0]!.after as { bulk: unknown }).bulk, { tool: null, agent: "ops-bot", tenant: null, asOf });
    const hooks = await store.prisma.webhookDelivery.findMany();
    assert.deepEqual(hooks.map((h) => (h.payload as { requestId: string }).requestId).sort(), rows.map((r) => r.id).sort());
    assert.ok(hooks.every((h) => h.event === "approval.rejected" && h.url === "https://hooks.example/a"));
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: [] } });
  });

  it("casts a reject vote that does not yet resolve a request with a higher reject threshold", async () => {
    const r = request(5, { rejectThreshold: 2, quorum: 2 });
    await store.prisma.actionRequest.create({ data: r });
    const res = await call("POST", "/api/v1/admin/approvals/bulk-reject", { asOf: new Date().toISOString(), comment: "flood" });
    assert.equal(res.body.rejected, 0);
    assert.equal(res.body.votedStillPending, 1);
    assert.equal(res.body.remaining, 0, "this reviewer has voted on it, so it is not left for them");
    const got = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: r.id }, include: { votes: true } });
    assert.equal(got.status, "pending");
    assert.equal(got.votes.length, 1);
    // A second reviewer's reject resolves it.
    const res2 = await call("POST", "/api/v1/admin/approvals/bulk-reject", { asOf: new Date().toISOString(), comment: "flood" }, reviewer2Token);
    assert.equal(res2.body.rejected, 1);
    assert.equal((await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: r.id } })).resolution, "0 approve, 2 reject");
  });

  it("leaves requests this reviewer may not vote on, and answers zeros without a change when nothing is left", async () => {
    await store.prisma.actionRequest.createMany({ data: [request(5, { initiator: "reviewer1" }), request(4, { reviewerGroup: "dba" })] });
    const before = await snapshot();
    const res = await call("POST", "/api/v1/admin/approvals/bulk-reject", { asOf: new Date().toISOString(), comment: "flood" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { rejected: 0, votedStillPending: 0, remaining: 0, requestIds: [], generation: null });
    assert.deepEqual(await snapshot(), before);
  });

  it("counts each request once when single votes race a bulk reject", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => request(30 - i, { quorum: 2 }));
    await store.prisma.actionRequest.createMany({ data: rows });
    const asOf = new Date().toISOString();
    const results = await Promise.all([
      call("POST", "/api/v1/admin/approvals/bulk-reject", { asOf, comment: "flood" }),
      ...rows.slice(5, 15).map((r) => call("POST", `/api/v1/admin/approvals/${r.id}/votes`, { vote: "approve" }, reviewer2Token)),
    ]);
    // A single vote that lost the race to the bulk reject finds the request resolved: 409.
    for (const r of results.slice(1)) assert.ok(r.status === 200 || r.status === 409, JSON.stringify(r.body));
    assert.equal(results[0]!.status, 200, JSON.stringify(results[0]!.body));
    const after = await store.prisma.actionRequest.findMany({ include: { votes: true } });
    for (const r of after) {
      assert.equal(r.status, "rejected", `${r.id} resolves as rejected whatever the order (one veto)`);
      assert.ok(r.votes.some((v) => v.voter === "reviewer1" && v.vote === "reject"));
      const approvals = r.votes.filter((v) => v.vote === "approve").length;
      assert.equal(r.resolution, `${approvals} approve, 1 reject`);
    }
    const voteEvents = await store.prisma.auditEvent.count({ where: { action: { startsWith: "approval.vote." }, target: { in: rows.map((r) => `approval:${r.id}`) } } });
    assert.equal(voteEvents, await store.prisma.actionVote.count(), "one audit event per vote cast");
  });

  it("refuses bad input and other roles with a 4xx that names the rule, and changes nothing", async () => {
    await store.prisma.actionRequest.createMany({ data: [request(5), request(4)] });
    const asOf = new Date().toISOString();
    const before = await snapshot();
    const cases: [unknown, string, RegExp][] = [
      [{ asOf }, "comment", /required/],
      [{ asOf, comment: " x " }, "comment", /at least 3/],
      [{ comment: "flood" }, "asOf", /required/],
      [{ asOf: "yesterday", comment: "flood" }, "asOf", /ISO 8601/],
      [{ asOf, comment: "flood", limit: 0 }, "limit", /at least 1/],
      [{ asOf, comment: "flood", limit: 500 }, "limit", /at most 200/],
      [{ asOf, comment: "flood", agnet: "ops-bot" }, "agnet", /not a known field/],
      [{ asOf, comment: "flood", agent: "" }, "agent", /empty/],
    ];
    for (const [body, field, rule] of cases) {
      const res = await call("POST", "/api/v1/admin/approvals/bulk-reject", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const issue = res.body.error.fields.find((f: { path: string }) => f.path === field);
      assert.ok(issue && rule.test(issue.message), `${JSON.stringify(body)} → ${JSON.stringify(res.body.error)}`);
    }
    const preview = await call("GET", "/api/v1/admin/approvals/bulk-reject?asOf=soon");
    assert.equal(preview.status, 400);
    assert.equal(preview.body.error.fields[0].path, "asOf");
    for (const role of ["editor", "operator", "auditor", "viewer"] as const) {
      assert.equal((await call("POST", "/api/v1/admin/approvals/bulk-reject", { asOf, comment: "flood" }, world.tokens[role])).status, 403, role);
      assert.equal((await call("GET", "/api/v1/admin/approvals/bulk-reject", undefined, world.tokens[role])).status, 403, role);
    }
    assert.deepEqual(await snapshot(), before);
  });
});
