// The generation listener must not outlive its store. A TCP proxy in front of a fresh PostgreSQL
// database cuts the listener's connection and then lets new connections through only slowly, so
// the store closes while the listener's reconnect is still being made. Before the fix that late
// connection was kept, LISTENing, and held the process open after everything else had stopped.
// PostgreSQL only (scripts/test.sh runs *.pg.test.ts in its PostgreSQL pass).
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { openStore } from "@/lib/db/store";
import { waitFor } from "@/lib/sdk/test-support";
import { createPostgresDatabase } from "@/lib/test/store";
import { startProxy, type TestProxy } from "@/lib/test/tcp-proxy";

// Long enough that a loaded machine still closes the store before the reconnect gets through.
const SLOW_MS = 3000;
let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
let proxy: TestProxy;
let watcher: pg.Client;

/** Sessions on the test database whose last statement was the listener's LISTEN. */
const listening = async () =>
  (await watcher.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`)).rows[0]!.n;

before(async () => {
  db = await createPostgresDatabase();
  proxy = await startProxy(db.url, { slowMs: SLOW_MS });
  watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
});
after(async () => {
  await watcher?.end();
  await proxy?.close();
  await db?.drop();
});

describe("generation listener at close", () => {
  it("a reconnect still being made when the store closes leaves no connection behind", async () => {
    const logs: string[] = [];
    const store = await openStore({ databaseUrl: proxy.url, log: (m) => logs.push(m) });
    await waitFor("the listener's LISTEN", async () => (await listening()) === 1);

    proxy.setMode("slow"); // drops every connection; new ones get through after SLOW_MS
    await waitFor("the listener to see its connection cut", () => logs.some((l) => l.includes("generation listener lost its connection")));
    // Its reconnect starts about 200 ms later and gets through only after SLOW_MS: close in between.
    await sleep(400);
    assert.equal(await listening(), 0, "the reconnect must still be in flight when the store closes");
    await store.close();

    await sleep(SLOW_MS + 700);
    assert.equal(await listening(), 0, "no LISTEN connection may remain after close()");
  });
});
