// The expiry sweep against a flood: requests an agent opened in a burst all expire together, and
// a sweep must expire them in batches (one transaction, one generation each), not one by one.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXPIRE_BATCH, expireDue } from "@/lib/approvals/vote";
import { SYSTEM } from "@/lib/auth/principal";
import { updateSettings } from "@/lib/controls/settings";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
});
after(async () => {
  await store.close();
});

const generation = async () => (await store.prisma.generation.findUniqueOrThrow({ where: { id: 1 } })).value;

describe("approval expiry sweep", () => {
  it("expires a flood in batches: each batch one generation, every request audited, notified and resolved at its expiry", async () => {
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: ["http://127.0.0.1:9/hook"] } });
    const flood = EXPIRE_BATCH + 50;
    const expiresAt = new Date(Date.now() - 60_000);
    const base = { agentId: "support-bot", tenant: "acme", session: "flood", tool: "refund_payment", source: "rule", quorum: 2, reviewerGroup: "reviewers", policyVersion: 1, generation: 1, expiresAt };
    await store.prisma.actionRequest.createMany({ data: Array.from({ length: flood }, (_, i) => ({ ...base, decisionId: `flood-${i}` })) });
    // One that is still in time stays pending.
    const live = await store.prisma.actionRequest.create({ data: { ...base, decisionId: "flood-live", expiresAt: new Date(Date.now() + 3_600_000) } });

    const g0 = await generation();
    assert.equal(await expireDue(store.prisma, SYSTEM), EXPIRE_BATCH);
    assert.equal(await generation(), g0 + 1, "one generation for the whole batch");
    assert.equal(await expireDue(store.prisma, SYSTEM), 50);
    assert.equal(await generation(), g0 + 2);
    assert.equal(await expireDue(store.prisma, SYSTEM), 0);
    assert.equal(await generation(), g0 + 2, "nothing due, nothing committed");

    const rows = await store.prisma.actionRequest.findMany({ where: { session: "flood" } });
    const expired = rows.filter((r) => r.status === "expired");
    assert.equal(expired.length, flood);
    assert.ok(expired.every((r) => r.resolvedBy === "system" && r.resolvedAt?.getTime() === expiresAt.getTime() && r.resolution === "expired before reaching quorum"));
    assert.equal(rows.find((r) => r.id === live.id)!.status, "pending");
    const audited = await store.prisma.auditEvent.findMany({ where: { action: "approval.expire", target: { in: expired.map((r) => `approval:${r.id}`) } } });
    assert.equal(new Set(audited.map((e) => e.target)).size, flood, "one audit event per request");
    assert.equal(audited.length, flood);
    assert.equal(await store.prisma.webhookDelivery.count({ where: { event: "approval.expired" } }), flood, "one notification per request");
  });

  it("two instances sweeping at once expire each request once", async () => {
    const expiresAt = new Date(Date.now() - 1000);
    const base = { agentId: "ops-bot", tenant: "acme", session: "race", tool: "drop_table", source: "rule", quorum: 1, reviewerGroup: "reviewers", policyVersion: 1, generation: 1, expiresAt };
    await store.prisma.actionRequest.createMany({ data: Array.from({ length: 150 }, (_, i) => ({ ...base, decisionId: `race-${i}` })) });
    const [a, b] = await Promise.all([expireDue(store.prisma, SYSTEM), expireDue(store.prisma, SYSTEM)]);
    assert.equal(a + b, 150);
    const ids = (await store.prisma.actionRequest.findMany({ where: { session: "race" }, select: { id: true, status: true } })).map((r) => (assert.equal(r.status, "expired"), `approval:${r.id}`));
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "approval.expire", target: { in: ids } } }), 150, "each audited once");
  });
});
