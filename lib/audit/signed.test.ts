import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CHECKPOINT_EVERY, checkpointTick, toCheckpoint, verifyCheckpoint } from "@/lib/audit/checkpoint";
import { recordAudit } from "@/lib/audit/record";
import { rootFromProof, leafHash } from "@/lib/audit/merkle";
import { decisionProof } from "@/lib/audit/proof";
import { sealTick } from "@/lib/audit/seal";
import { rotateSigningKey } from "@/lib/audit/keys";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
});
after(async () => {
  await api.close();
  await store.close();
});

const get = async (path: string, role: keyof World["tokens"] = "auditor") => {
  const res = await fetch(api.url + path, { headers: { authorization: `Bearer ${world.tokens[role]}` } });
  return { status: res.status, body: await res.json() };
};

describe("signed checkpoints", () => {
  it("signs the head and every 1,000th event with a key served publicly; rotation keeps old keys", async () => {
    const actor = { type: "system" as const, id: "t", name: "test" };
    await Promise.all(Array.from({ length: 40 }, (_, i) => recordAudit(store.prisma, { actor, action: "test.bulk", target: `n${i}` })));
    for (let i = 0; i < 1100; i += 100) {
      await store.prisma.$transaction(async (tx) => {
        const { appendAudit } = await import("@/lib/audit/append");
        for (let j = 0; j < 100; j++) await appendAudit(tx, { actor, action: "test.bulk", target: `m${i + j}` });
      });
    }
    await checkpointTick(store.prisma);
    const head = (await store.prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq!;
    const cps = await store.prisma.auditCheckpoint.findMany({ orderBy: { seq: "asc" } });
    assert.equal(cps[cps.length - 1]!.seq, head);
    for (let i = 1; i < cps.length; i++) assert.ok(cps[i]!.seq - cps[i - 1]!.seq <= CHECKPOINT_EVERY, "at most 1,000 events apart");
    const keys = await (await fetch(api.url + "/api/v1/audit/keys")).json();
    for (const cp of cps) {
      const key = keys.keys.find((k: { keyId: string }) => k.keyId === cp.keyId);
      assert.ok(verifyCheckpoint(toCheckpoint(cp), key.publicKey));
      assert.equal(verifyCheckpoint({ ...toCheckpoint(cp), hash: "0".repeat(64) }, key.publicKey), false);
    }
    const rotated = await rotateSigningKey({ db: store.prisma, principal: world.principals.admin, input: { reason: "yearly rotation" } });
    assert.notEqual(rotated.active, cps[0]!.keyId);
    await recordAudit(store.prisma, { actor, action: "test.after_rotation", target: "x" });
    await checkpointTick(store.prisma);
    const latest = await store.prisma.auditCheckpoint.findFirstOrThrow({ orderBy: { seq: "desc" } });
    assert.equal(latest.keyId, rotated.active);
    assert.equal((await (await fetch(api.url + "/api/v1/audit/keys")).json()).keys.length, 2);
  });

  it("POST /api/v1/admin/audit/keys/rotate: admin only, with an optional reason, audited; refused for a key from a file", async () => {
    const post = async (body: unknown, role: keyof World["tokens"] = "admin") => {
      const res = await fetch(api.url + "/api/v1/admin/audit/keys/rotate", { method: "POST", headers: { authorization: `Bearer ${world.tokens[role]}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
    const state = async () => ({ keys: await store.prisma.auditKey.findMany({ orderBy: { id: "asc" } }), audit: await store.prisma.auditEvent.count(), generation: (await store.prisma.generation.findUniqueOrThrow({ where: { id: 1 } })).value });
    const before = await state();
    for (const [body, role, status, needle] of [
      [{ reason: "x" }, "admin", 400, "reason: must be at least 3 characters"],
      [{ reasn: "typo" }, "admin", 400, "reasn: is not a known field"],
      [{ reason: "quarterly" }, "auditor", 403, "audit.keys.rotate"],
      [{ reason: "quarterly" }, "operator", 403, "audit.keys.rotate"],
    ] as const) {
      const res = await post(body, role);
      assert.equal(res.status, status, `${role} ${JSON.stringify(body)}`);
      assert.ok(res.body.error.message.includes(needle), res.body.error.message);
    }
    process.env.GOVERNOR_AUDIT_KEY_FILE = "/nonexistent/key.pem";
    try {
      const fromFile = await post({});
      assert.equal(fromFile.status, 409);
      assert.match(fromFile.body.error.message, /replacing that file/);
    } finally {
      delete process.env.GOVERNOR_AUDIT_KEY_FILE;
    }
    assert.deepEqual(await state(), before, "a refused rotation changes nothing");

    const bare = await post(undefined);
    assert.equal(bare.status, 200, JSON.stringify(bare.body));
    const res = await post({ reason: "suspected key exposure, INC-31" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.retired, [bare.body.active]);
    assert.equal(res.body.generation, before.generation + 2);
    const event = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "audit.key_rotate" }, orderBy: { seq: "desc" } });
    assert.deepEqual([event.target, event.reason, event.actorName], [`audit-key:${res.body.active}`, "suspected key exposure, INC-31", "admin"]);
    const served = (await (await fetch(api.url + "/api/v1/audit/keys")).json()).keys as { keyId: string; retiredAt: string | null }[];
    assert.deepEqual(served.filter((k) => k.retiredAt === null).map((k) => k.keyId), [res.body.active]);
    assert.equal(served.length, before.keys.length + 2, "old public keys stay");
  });

  it("verify checks a range and the checkpoint that covers it", async () => {
    const r = await get("/api/v1/admin/audit/verify?from=5&to=500");
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.ok, r.body.checked, r.body.range], [true, 496, { from: 5, to: 500 }]);
    assert.equal(r.body.checkpoint.signatureValid, true);
    assert.equal(r.body.checkpoint.seq >= 500, true);
    assert.equal((await get("/api/v1/admin/audit/verify", "editor")).status, 403);
  });
});

describe("decisions sealed into the chain", () => {
  it("seals batches with a Merkle root and proves any single decision", async () => {
    const agent = agentClient(api.url, SUPPORT_TOKEN);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await agent.decide({ agent: "support-bot", tenant: "acme", session: `p${i}`, tool: i % 2 ? "search_kb" : "refund_payment" })).decisionId);
    await api.dp.log.flush();
    while ((await sealTick(store.prisma)) > 0);
    const proof = (await get(`/api/v1/admin/audit/decisions/${ids[7]}/proof`)).body;
    // The background sealer may have taken some of these decisions first: use the proof's batch.
    const seal = await store.prisma.auditEvent.findUniqueOrThrow({ where: { seq: proof.batch.auditSeq } });
    assert.equal(seal.action, "decisions.seal");
    assert.equal(proof.batch.root, (seal.after as { root: string }).root);
    const root = rootFromProof(leafHash(proof.decision), proof.index, proof.batch.size, proof.path.map((h: string) => Buffer.from(h, "hex")));
    assert.equal(root?.toString("hex"), proof.batch.root);
    assert.equal(proof.decision.tokenId !== null, true, "the decision binds the agent token id");
    const tampered = rootFromProof(leafHash({ ...proof.decision, decision: proof.decision.decision === "allow" ? "deny" : "allow" }), proof.index, proof.batch.size, proof.path.map((h: string) => Buffer.from(h, "hex")));
    assert.notEqual(tampered?.toString("hex"), proof.batch.root);
    const direct = await decisionProof(store.prisma, ids[0]!);
    assert.equal(direct.decision.id, ids[0]);
  });
});

describe("audit browser API", () => {
  it("filters by actor, action, target and text, pages with nextCursor", async () => {
    const all = await get("/api/v1/admin/audit?action=test.bulk&limit=100");
    assert.equal(all.body.events.length, 100);
    assert.ok(all.body.nextCursor);
    const next = await get(`/api/v1/admin/audit?action=test.bulk&limit=100&cursor=${all.body.nextCursor}`);
    assert.ok(next.body.events[0].seq < all.body.events[99].seq);
    const byActor = await get("/api/v1/admin/audit?actor=oncall");
    assert.ok(byActor.body.events.every((e: { actorName: string }) => e.actorName === "oncall"));
    const text = await get("/api/v1/admin/audit?q=M1099");
    assert.deepEqual(text.body.events.map((e: { target: string }) => e.target), ["m1099"]);
    const bad = await get("/api/v1/admin/audit?from=yesterday");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /from: must be an ISO 8601 time/);
    const decisions = await get("/api/v1/admin/audit/decisions?verdict=pending&tool=refund_payment");
    assert.ok(decisions.body.decisions.length >= 12 && decisions.body.decisions.every((d: { decision: string }) => d.decision === "pending"));
    // A cursor is only what a previous page handed out: anything else is a 400 naming it, not a
    // query with an invalid date.
    for (const cursor of ["yesterday", "12_", "_abc", "1e3_x"]) {
      const badCursor = await get(`/api/v1/admin/audit/decisions?cursor=${cursor}`);
      assert.equal(badCursor.status, 400, cursor);
      assert.match(badCursor.body.error.message, /cursor: must be the nextCursor of a previous page/);
    }
    const page1 = await get("/api/v1/admin/audit/decisions?limit=5");
    const page2 = await get(`/api/v1/admin/audit/decisions?limit=5&cursor=${page1.body.nextCursor}`);
    assert.equal(page2.status, 200);
    assert.ok(Date.parse(page2.body.decisions[0].at) <= Date.parse(page1.body.decisions[4].at));
  });
});
