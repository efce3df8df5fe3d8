// The database goes away under a running Governor: a TCP proxy between the server and a fresh
// PostgreSQL database is cut (connections dropped, new ones accepted and never answered, as a
// dead network path looks), then restored. The shared PostgreSQL server itself is never touched.
// PostgreSQL only (scripts/test.sh runs *.pg.test.ts in its PostgreSQL pass): PGlite runs inside
// the process and cannot be cut off from it.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { openStore, type Store } from "@/lib/db/store";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { createPostgresDatabase } from "@/lib/test/store";
import { startProxy, type TestProxy } from "@/lib/test/tcp-proxy";
import { seedWorld, SUPPORT_TOKEN, type World } from "@/lib/test/world";
import { waitFor } from "@/lib/sdk/test-support";

let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
let proxy: TestProxy;
let store: Store; // the server's store, through the proxy
let direct: Store; // the test's own view of the database, around the proxy
let api: Awaited<ReturnType<typeof startApiServer>>;
let world: World;
const dataDir = mkdtempSync(path.join(tmpdir(), "gov-degraded-"));

before(async () => {
  db = await createPostgresDatabase();
  proxy = await startProxy(db.url);
  store = await openStore({ databaseUrl: proxy.url, connectTimeoutMs: 1000 });
  world = await seedWorld(store);
  direct = await openStore({ databaseUrl: db.url, migrate: false });
  api = await startApiServer(store, { reliability: { dataDir, instance: "degraded-a", healthIntervalMs: 200 } });
});
after(async () => {
  await api?.close();
  await store?.close();
  await direct?.close();
  await proxy?.close();
  await db?.drop();
});

const health = async () => (await (await fetch(api.url + "/api/health")).json()) as Record<string, any>;
const setControl = (body: object) =>
  fetch(api.url + "/api/v1/admin/controls", { method: "POST", headers: { authorization: `Bearer ${world.tokens.operator}`, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("database unavailable", () => {
  it("keeps deciding from the snapshot, reports degraded, refuses changes at once, and replays every record exactly once", async () => {
    const agent = agentClient(api.url, SUPPORT_TOKEN);
    const req = (tool: string, tenant = "acme") => ({ agent: "support-bot", tenant, session: "outage-1", tool });
    // Before: everything normal, and the agent's token is in the server's cache.
    assert.equal((await agent.decide(req("search_kb"))).decision, "allow");
    assert.equal((await health()).status, "ok");
    const chainBefore = await verifyChain(direct.prisma);
    assert.equal(chainBefore.ok, true);

    proxy.setMode("hang");
    const decided: Record<string, any>[] = [];
    const slowest = { ms: 0 };
    const timed = async (r: Record<string, unknown>) => {
      const t = performance.now();
      const d = await agent.decide(r);
      slowest.ms = Math.max(slowest.ms, performance.now() - t);
      decided.push(d);
      return d;
    };
    // The first decisions may run before the health probe has noticed; they must answer anyway.
    for (let i = 0; i < 5; i++) assert.equal((await timed(req("search_kb"))).decision, "allow");
    await waitFor("health to say degraded", async () => (await health()).status === "degraded", 15_000);
    const h = await health();
    assert.equal(h.degraded[0].component, "database");
    assert.match(h.degraded[0].message, /The database is unreachable .*Decisions continue from the policy snapshot of generation \d+/);
    assert.equal(h.reliability.database.up, false);
    assert.equal(h.generation, api.dp.holder.current.generation, "health answers from the snapshot, not the store");

    // Decisions keep answering from the snapshot.
    const search = await timed(req("search_kb"));
    assert.deepEqual([search.decision, search.primitive], ["allow", null]);
    const refund = await timed({ ...req("refund_payment"), args: { amount: 30 } });
    assert.deepEqual([refund.decision, refund.primitive], ["deny", "approval_unavailable"]);
    assert.match(refund.reasons[0].message, /needs 2 approval\(s\).*cannot be opened while the database is unreachable/);
    const notAllowed = await timed(req("restart_service"));
    assert.deepEqual([notAllowed.decision, notAllowed.primitive], ["deny", "not_allowed"]);
    // Rate limits count on this instance: globex may send 100 emails an hour.
    for (let i = 0; i < 100; i++) assert.equal((await timed(req("send_email", "globex"))).decision, "allow");
    const limited = await timed(req("send_email", "globex"));
    assert.deepEqual([limited.decision, limited.primitive], ["deny", "rate_limit"]);
    console.log(`slowest decision during the outage: ${slowest.ms.toFixed(0)} ms`);
    assert.ok(slowest.ms < 1000, `a decision waited ${slowest.ms.toFixed(0)} ms on the unreachable store`);

    // Changes fail at once with a clear 503 instead of hanging.
    const started = performance.now();
    const refused = await setControl({ control: "tool_kill", target: "send_email", active: true, reason: "during outage" });
    const refusedMs = performance.now() - started;
    assert.equal(refused.status, 503);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "unavailable");
    assert.match(body.error.message, /^The database is unreachable; no change was made/);
    assert.ok(refusedMs < 500, `the refusal took ${refusedMs.toFixed(0)} ms`);

    // The records wait on disk, fsync'd.
    // A batch whose INSERT started before the probe noticed the outage is journaled only once
    // that write fails, which on a loaded machine can come after this flush; wait for it.
    await api.dp.log.flush();
    await waitFor(`the journal to hold all ${decided.length} decisions`, () => api.dp.reliability.journal.synced >= decided.length, 15_000).catch((e) => {
      throw new Error(`${(e as Error).message}; it holds ${api.dp.reliability.journal.synced} records`);
    });
    assert.ok(existsSync(path.join(dataDir, "journal", "journal.jsonl")));

    proxy.setMode("forward");
    await waitFor("health to say ok", async () => (await health()).status === "ok", 10_000);
    await waitFor("the journal to drain", () => !api.dp.reliability.journal.backlog, 10_000);
    await api.dp.reliability.settled();

    const ids = decided.map((d) => d.decisionId as string);
    assert.equal(new Set(ids).size, ids.length);
    const rows = await direct.prisma.decisionLog.findMany({ where: { id: { in: ids } } });
    assert.equal(rows.length, ids.length, "every decision made during the outage is in the log");
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(refund.decisionId)!.failsafe, true, "an approval refused for the outage is marked failsafe");
    assert.equal(byId.get(search.decisionId)!.failsafe, false);
    assert.equal(byId.get(limited.decisionId)!.primitive, "rate_limit");

    const events = await direct.prisma.auditEvent.findMany({ where: { target: "instance:degraded-a" }, orderBy: { seq: "asc" } });
    assert.deepEqual(events.map((e) => e.action), ["store.unavailable", "store.restored"]);
    assert.equal((await direct.prisma.journalReplay.count()), 2, "each journaled audit event committed with its key");
    // The replayed decisions get sealed into the chain; then the whole chain verifies.
    await waitFor("the replayed decisions to be sealed", async () => (await direct.prisma.decisionLog.count({ where: { id: { in: ids }, batchId: null } })) === 0, 10_000);
    const chain = await verifyChain(direct.prisma);
    assert.equal(chain.ok, true, JSON.stringify(chain));

    // And changes work again.
    const ok = await setControl({ control: "tool_kill", target: "send_email", active: true, reason: "after outage" });
    assert.equal(ok.status, 200, await ok.text());
  });
});
