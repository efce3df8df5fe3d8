// The overview tiles through the real admin API: the live policy, the rollout (running, then
// ended), approvals waiting and change sets in review, each moved by the real paths.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readGeneration } from "@/lib/db/generation";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { adminClient, draftChangeSet } from "@/lib/test/rollouts";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let viewer: ReturnType<typeof adminClient>;

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  viewer = adminClient(api.url, world.tokens.viewer);
});
after(async () => {
  await api.close();
  await store.close();
});

const overview = async () => {
  const r = await viewer("GET", "/api/v1/admin/overview");
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};

describe("overview tiles", () => {
  it("starts with the live policy and nothing changing or waiting", async () => {
    const g = await overview();
    assert.equal(g.store, store.kind);
    assert.equal(g.generation, await readGeneration(store.prisma));
    assert.equal(g.policy.version, 1);
    assert.equal(typeof g.policy.author, "string");
    assert.deepEqual([g.rollout, g.approvals, g.changeSets], [null, { waiting: 0, waitingCapped: false, expiresFirstAt: null }, { awaitingReview: 0 }]);
  });

  it("counts the approvals waiting and says when the first expires", async () => {
    const support = agentClient(api.url, SUPPORT_TOKEN);
    const t0 = Date.now();
    for (const session of ["g-1", "g-2"]) assert.equal((await support.decide({ agent: "support-bot", tenant: "acme", session, tool: "refund_payment" })).decision, "pending");
    const { approvals } = await overview();
    assert.equal(approvals.waiting, 2);
    // The demo's refund rule expires requests after an hour.
    const expires = Date.parse(approvals.expiresFirstAt);
    assert.ok(expires >= t0 + 3_595_000 && expires <= Date.now() + 3_600_000, approvals.expiresFirstAt);
  });

  it("counts a change set that waits for reviewers", async () => {
    await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tools.refund_payment.approval.quorum", value: 1 }], "one approval is enough");
    await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tools.search_kb.description", value: "Search (v2)" }], "wording");
    assert.deepEqual((await overview()).changeSets, { awaitingReview: 1 }, "the sensitive one waits; the plain draft does not");
  });

  it("shows the running rollout, then the one that ended", async () => {
    const editor = adminClient(api.url, world.tokens.editor);
    const id = await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tenants.globex.tier", value: "pro" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 10, minDurationSec: 3600 }, { percent: 100 }], reason: "globex to pro" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const running = (await overview()).rollout;
    assert.deepEqual([running.id, running.status, running.percent, running.strategy, running.candidateVersion], [start.body.id, "running", 10, "canary", start.body.candidateVersion]);
    const abort = await editor("POST", `/api/v1/admin/rollouts/${start.body.id}/abort`, { reason: "not today" });
    assert.equal(abort.status, 200, JSON.stringify(abort.body));
    await waitForGeneration(api.dp, await readGeneration(store.prisma));
    const ended = (await overview()).rollout;
    assert.deepEqual([ended.id, ended.status], [start.body.id, "aborted"]);
  });
});
