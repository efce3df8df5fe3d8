import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openActionRequest } from "@/lib/approvals/requests";
import { verifyChain } from "@/lib/audit/verify";
import type { Principal } from "@/lib/auth/principal";
import { updateSettings } from "@/lib/controls/settings";
import { evaluate } from "@/lib/policy/evaluate";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;
const refund = (extra: Record<string, unknown> = {}) => ({ agent: "support-bot", tenant: "acme", session: "batch", tool: "refund_payment", args: { amount: 7 }, ...extra });
const agent: Principal = { actor: { type: "agent", id: "support-bot", name: "support-bot" }, role: null, agentId: "support-bot", via: "agent_token", request: { ip: "127.0.0.1" } };

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
  await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: ["http://127.0.0.1:9/hook-a", "http://127.0.0.1:9/hook-b"] } });
});
after(async () => {
  await api.close();
  await store.close();
});

describe("action requests opened together (group commit)", () => {
  it("requests asked for at once share one transaction: one request, two webhook deliveries and one audit event each", async () => {
    const now = Date.now();
    const opens = Array.from({ length: 30 }, (_, i) => {
      // One without args: stored as SQL NULL, as Prisma writes an absent Json? field.
      const request = refund({ session: `together-${i}`, ...(i === 0 ? { args: undefined } : {}) });
      const evaluation = evaluate(request, api.dp.holder.current, { now, cohort: "stable" });
      assert.equal(evaluation.decision, "pending");
      return openActionRequest(store.prisma, agent, { decisionId: `d-together-${i}`, request, evaluation, now });
    });
    const opened = await Promise.all(opens);
    assert.equal(new Set(opened.map((o) => o.id)).size, 30);
    assert.ok(opened.every((o) => !o.existing));
    const rows = await store.prisma.actionRequest.findMany({ where: { id: { in: opened.map((o) => o.id) } } });
    assert.deepEqual(rows.map((r) => r.decisionId).sort(), opened.map((_, i) => `d-together-${i}`).sort());
    assert.ok(rows.every((r) => r.status === "pending" && r.quorum === 2 && r.expiresAt.getTime() === now + 3600_000));
    const events = await store.prisma.auditEvent.findMany({ where: { action: "approval.request", target: { in: opened.map((o) => `approval:${o.id}`) } } });
    assert.equal(events.length, 30);
    // appendAuditBatch stamps one time per transaction: all 30 were written together.
    assert.equal(new Set(events.map((e) => e.at.getTime())).size, 1);
    assert.deepEqual(events[0]!.after, { tool: "refund_payment", tenant: "acme", quorum: 2, group: "reviewers", source: "rule", expiresAt: new Date(now + 3600_000).toISOString() });
    const deliveries = await store.prisma.webhookDelivery.findMany({ where: { event: "approval.requested" } });
    const forThese = deliveries.filter((d) => opened.some((o) => (d.payload as { requestId?: string }).requestId === o.id));
    assert.equal(forThese.length, 60);
    const [{ nulls }] = await store.prisma.$queryRaw<[{ nulls: number }]>`SELECT count(*)::int AS nulls FROM "ActionRequest" WHERE "decisionId" = 'd-together-0' AND "args" IS NULL`;
    assert.equal(nulls, 1);
    assert.deepEqual(rows.find((r) => r.decisionId === "d-together-1")!.args, { amount: 7 });
    assert.ok((await verifyChain(store.prisma)).ok);
  });

  it("keeps idempotency on (agent, idempotencyKey) inside one batch and against requests already open", async () => {
    const first = await support.decide(refund({ idempotencyKey: "already-open" }));
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => support.decide(refund({ idempotencyKey: `pair-${i}` }))),
      ...Array.from({ length: 10 }, (_, i) => support.decide(refund({ idempotencyKey: `pair-${i}` }))),
      support.decide(refund({ idempotencyKey: "already-open" })),
      ...Array.from({ length: 5 }, () => support.decide(refund())),
    ]);
    assert.ok(answers.every((a) => a.decision === "pending" && a.approvalId));
    for (let i = 0; i < 10; i++) assert.equal(answers[i]!.approvalId, answers[10 + i]!.approvalId, `pair-${i} opened twice`);
    assert.equal(answers[20]!.approvalId, first.approvalId);
    const ids = new Set(answers.map((a) => a.approvalId));
    assert.equal(ids.size, 10 + 1 + 5);
    const keyed = await store.prisma.actionRequest.groupBy({ by: ["idempotencyKey"], where: { idempotencyKey: { startsWith: "pair-" } }, _count: true });
    assert.equal(keyed.length, 10);
    assert.ok(keyed.every((k) => k._count === 1));
    const audited = await store.prisma.auditEvent.count({ where: { action: "approval.request", target: { in: [...ids].map((id) => `approval:${id}`) } } });
    assert.equal(audited, 16, "one audit event per request opened, none for a request found again");
    const deliveries = await store.prisma.webhookDelivery.findMany({ where: { event: "approval.requested" } });
    const perRequest = [...ids].map((id) => deliveries.filter((d) => (d.payload as { requestId?: string }).requestId === id).map((d) => d.url).sort());
    assert.deepEqual(perRequest, [...ids].map(() => ["http://127.0.0.1:9/hook-a", "http://127.0.0.1:9/hook-b"]), "each request opened tells each webhook once");
    assert.ok((await verifyChain(store.prisma)).ok);
  });
});
