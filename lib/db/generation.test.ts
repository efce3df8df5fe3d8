import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SYSTEM } from "@/lib/auth/principal";
import { readGeneration } from "@/lib/db/generation";
import { mutate } from "@/lib/db/mutate";
import type { GenerationEvent } from "@/lib/events";
import { openTestStore, type TestStore } from "@/lib/test/store";

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(() => store.close());

function nextEvent(timeoutMs = 3000): Promise<GenerationEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no generation event")), timeoutMs);
    const off = store.bus.onGeneration((e) => {
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

const admin = { ...SYSTEM, role: "admin" as const };

describe("generation counter and change notification", () => {
  it("bumps once per committed change and tells listeners after commit", async () => {
    const start = await readGeneration(store.prisma);
    const heard = nextEvent();
    const refused = await mutate({ db: store.prisma, principal: admin, permission: "tenants.manage" as never }, async (tx) => {
      await tx.tenant.create({ data: { id: "initech", name: "Initech", tier: "free" } });
      return { result: null, audit: { action: "tenant.create", target: "tenant:initech" } };
    }).catch((e: Error) => ({ generation: -1, message: e.message }));
    // An unknown permission fails closed: nothing was written.
    assert.deepEqual(refused, { generation: -1, message: 'Your role (admin) does not have the permission "tenants.manage". Roles that do: none (unknown permission).' });
    assert.equal(await store.prisma.tenant.count({ where: { id: "initech" } }), 0);

    const ok = await mutate({ db: store.prisma, principal: admin, permission: "policy.write" }, async (tx) => {
      await tx.tenant.create({ data: { id: "initech", name: "Initech", tier: "free" } });
      return { result: null, audit: { action: "tenant.create", target: "tenant:initech" } };
    });
    assert.equal(ok.generation, start + 1);
    assert.deepEqual(await heard, { generation: start + 1 });
    const audit = await store.prisma.auditEvent.findFirst({ where: { action: "tenant.create" } });
    assert.equal(audit?.generation, start + 1);
  });

  it("a rolled-back change leaves state, generation and audit untouched and notifies nobody", async () => {
    const start = await readGeneration(store.prisma);
    const auditCount = await store.prisma.auditEvent.count();
    let heard = false;
    const off = store.bus.onGeneration(() => (heard = true));
    await assert.rejects(
      mutate({ db: store.prisma, principal: admin, permission: "policy.write" }, async (tx) => {
        await tx.tenant.update({ where: { id: "initech" }, data: { tier: "pro" } });
        throw new Error("validation failed halfway");
      }),
    );
    await new Promise((r) => setTimeout(r, 200));
    off();
    assert.equal(heard, false);
    assert.equal(await readGeneration(store.prisma), start);
    assert.equal(await store.prisma.auditEvent.count(), auditCount);
    assert.equal((await store.prisma.tenant.findUnique({ where: { id: "initech" } }))?.tier, "free");
  });

  it("refuses a role without the permission inside the transaction", async () => {
    const viewer = { ...SYSTEM, role: "viewer" as const };
    await assert.rejects(
      mutate({ db: store.prisma, principal: viewer, permission: "policy.write" }, async (tx) => {
        await tx.tenant.update({ where: { id: "initech" }, data: { tier: "pro" } });
        return { result: null, audit: { action: "x", target: "y" } };
      }),
      /does not have the permission "policy.write"/,
    );
    assert.equal((await store.prisma.tenant.findUnique({ where: { id: "initech" } }))?.tier, "free");
  });

  it("gives concurrent changes distinct, consecutive generations", async () => {
    const start = await readGeneration(store.prisma);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        mutate({ db: store.prisma, principal: admin, permission: "policy.write" }, async () => ({ result: i, audit: { action: "test.bump", target: `n${i}` } })),
      ),
    );
    const gens = results.map((r) => r.generation).sort((a, b) => a - b);
    assert.deepEqual(gens, Array.from({ length: 10 }, (_, i) => start + 1 + i));
  });
});
