import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { QUEUE_END, WAITING_CAP } from "@/lib/approvals/queue-size";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;

const T0 = Date.now();
const MIN = 60_000;

// Pending request i is made i minutes after the first (320 minutes before the test) and expires
// an hour later, except the first 30, which have 2 hours: so those about 70 made in the last
// hour still wait (about 50) and the rest have expired unswept, which the queue must leave out.
function request(i: number, extra: Record<string, unknown> = {}) {
  const createdAt = new Date(T0 - 320 * MIN + i * MIN);
  const ttl = i < 30 ? 120 * MIN : 60 * MIN;
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    decisionId: randomUUID(),
    agentId: i % 2 ? "ops-bot" : "support-bot",
    tenant: "acme",
    session: `s-${i}`,
    tool: i % 2 ? "drop_table" : "refund_payment",
    source: "rule",
    quorum: 2,
    reviewerGroup: "reviewers",
    policyVersion: 1,
    generation: 1,
    status: "pending",
    createdAt,
    expiresAt: new Date(createdAt.getTime() + ttl),
    ...extra,
  };
}

async function get(path: string) {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${world.tokens.reviewer}` } });
  return { status: res.status, body: (await res.json()) as { requests: { id: string; status: string }[]; waiting?: number; waitingCapped?: boolean; error?: { message: string } } };
}

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  await store.prisma.actionRequest.createMany({ data: Array.from({ length: 310 }, (_, i) => request(i)) });
  await store.prisma.actionRequest.createMany({ data: [request(900, { status: "approved" }), request(901, { status: "rejected" })] });
});
after(async () => {
  await api.close();
  await store.close();
});

describe("the reviewers' queue (GET /api/v1/admin/approvals?view=queue)", () => {
  // Which of the 310 still wait, from their expiry rather than assumed.
  const waitingIds = () =>
    Array.from({ length: 310 }, (_, i) => request(i))
      .filter((r) => r.expiresAt.getTime() > Date.now())
      .map((r) => r.id);

  it("counts every request still waiting and sends all of them while they fit", async () => {
    const expected = waitingIds();
    assert.ok(expected.length > 0 && expected.length <= 2 * QUEUE_END, `fixture: ${expected.length} waiting`);
    const { status, body } = await get("/api/v1/admin/approvals?view=queue");
    assert.equal(status, 200);
    assert.equal(body.waiting, expected.length);
    assert.equal(body.waitingCapped, false);
    assert.deepEqual(body.requests.map((r) => r.id).sort(), [...expected].sort());
    assert.ok(body.requests.every((r) => r.status === "pending"));
  });

  it("with a backlog larger than a page, sends the ones that expire soonest and the newest, and says how many wait", async () => {
    // 300 more, all newer than those and waiting for a day.
    await store.prisma.actionRequest.createMany({
      data: Array.from({ length: 300 }, (_, k) => {
        const r = request(1000 + k);
        return { ...r, createdAt: new Date(T0 - 10 * MIN + k * 1000), expiresAt: new Date(T0 + 24 * 60 * MIN + k * MIN) };
      }),
    });
    const waiting = await store.prisma.actionRequest.findMany({ where: { status: "pending", expiresAt: { gt: new Date() } }, select: { id: true, expiresAt: true, createdAt: true } });
    const soonest = [...waiting].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.id.localeCompare(b.id)).slice(0, QUEUE_END).map((r) => r.id);
    const newest = [...waiting].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id)).slice(0, QUEUE_END).map((r) => r.id);

    const { status, body } = await get("/api/v1/admin/approvals?view=queue");
    assert.equal(status, 200);
    assert.equal(body.waiting, waiting.length);
    const sent = new Set(body.requests.map((r) => r.id));
    assert.equal(sent.size, body.requests.length, "no request twice");
    for (const id of [...soonest, ...newest]) assert.ok(sent.has(id), `${id} is in the queue`);
    assert.equal(body.requests.length, new Set([...soonest, ...newest]).size);

    // The plain list (newest 200, the queue before this) leaves out the request closest to expiry.
    const plain = await get("/api/v1/admin/approvals?status=pending");
    assert.equal(plain.body.waiting, undefined);
    assert.ok(!plain.body.requests.some((r) => r.id === soonest[0]), "the newest 200 do not reach the soonest to expire");
  });

  it("takes the list's filters", async () => {
    const { body } = await get("/api/v1/admin/approvals?view=queue&tool=drop_table");
    const expected = await store.prisma.actionRequest.count({ where: { status: "pending", tool: "drop_table", expiresAt: { gt: new Date() } } });
    assert.equal(body.waiting, expected);
    assert.ok(body.requests.every((r) => r.id.length > 0) && body.requests.length > 0);
    assert.ok((await store.prisma.actionRequest.findMany({ where: { id: { in: body.requests.map((r) => r.id) } }, select: { tool: true } })).every((r) => r.tool === "drop_table"));
  });

  it(`counts up to ${WAITING_CAP.toLocaleString("en-US")} and then says there are more`, async () => {
    const before = await store.prisma.actionRequest.count({ where: { status: "pending", expiresAt: { gt: new Date() } } });
    const more = WAITING_CAP + 1 - before;
    for (let i = 0; i < more; i += 5000) {
      await store.prisma.actionRequest.createMany({
        data: Array.from({ length: Math.min(5000, more - i) }, (_, k) => ({ ...request(5000 + i + k), expiresAt: new Date(T0 + 24 * 60 * MIN) })),
      });
    }
    const { body } = await get("/api/v1/admin/approvals?view=queue");
    assert.deepEqual([body.waiting, body.waitingCapped, body.requests.length], [WAITING_CAP, true, 2 * QUEUE_END]);
  });

  it("refuses what the queue cannot show with a 400 naming the field", async () => {
    const approved = await get("/api/v1/admin/approvals?view=queue&status=approved");
    assert.equal(approved.status, 400);
    assert.match(approved.body.error!.message, /status/);
    const paged = await get(`/api/v1/admin/approvals?view=queue&before=${new Date().toISOString()}`);
    assert.equal(paged.status, 400);
    assert.match(paged.body.error!.message, /before/);
    const unknown = await get("/api/v1/admin/approvals?view=board");
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error!.message, /view/);
  });
});
