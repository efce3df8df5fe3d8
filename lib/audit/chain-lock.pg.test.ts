// The chain lock between connections: only PostgreSQL has more than one (PGlite has one, so a
// second writer simply waits its turn).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { appendAudit } from "@/lib/audit/append";
import { insertSealed } from "@/lib/audit/seal";
import { verifyChain } from "@/lib/audit/verify";
import { openTestStore, type TestStore } from "@/lib/test/store";

const actor = { type: "user" as const, id: "u1", name: "alice" };
const decision = (id: string) => ({
  id, at: new Date().toISOString(), agentId: "support-bot", tenant: "acme", session: "s", tool: "search_kb", request: { q: 1 }, decision: "allow", primitive: null,
  reasons: [], policyVersion: 1, generation: 1, cohort: "stable", latencyUs: 10, tokenId: null, grantId: null, failsafe: false,
});

describe("chain lock across connections (PostgreSQL)", () => {
  let store: TestStore;
  let other: pg.Client;

  before(async () => {
    store = await openTestStore();
    other = new pg.Client({ connectionString: store.databaseUrl });
    await other.connect();
  });
  after(async () => {
    await other.end().catch(() => {});
    await store.close();
  });

  it("a sealed write gives up after 5 s while another connection holds the chain lock, and an append waits for it", async () => {
    await appendAudit(store.prisma, { actor, action: "test.before", target: "x" });
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock(7446001)");
    const t = Date.now();
    await assert.rejects(insertSealed(store.prisma, [decision("00000000-0000-4000-8000-000000000001")]), /lock timeout/);
    const waited = Date.now() - t;
    assert.ok(waited >= 4_500 && waited < 15_000, `gave up after ${waited} ms`);
    assert.equal(await store.prisma.decisionLog.count(), 0, "nothing of the failed seal was written");

    // An ordinary append has no bound: it waits, and goes on once the lock is released.
    const pending = appendAudit(store.prisma, { actor, action: "test.after", target: "y" });
    const early = await Promise.race([pending.then(() => "appended"), new Promise((r) => setTimeout(() => r("waiting"), 300))]);
    assert.equal(early, "waiting");
    await other.query("COMMIT");
    const appended = await pending;
    assert.equal(appended.seq, 2);
    assert.equal(await insertSealed(store.prisma, [decision("00000000-0000-4000-8000-000000000002")]), 1);
    const report = await verifyChain(store.prisma);
    assert.deepEqual({ ok: report.ok, count: report.count }, { ok: true, count: 3 });
  });
});
