// A server process shut down while its database is cut off keeps its decisions in the journal on
// disk, and the next start replays them. Real processes, a real PostgreSQL database behind a TCP
// proxy that is cut and restored; the shared PostgreSQL server itself is never touched.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { openStore, type Store } from "@/lib/db/store";
import { startServerProcess, type ServerProcess } from "@/lib/test/server-process";
import { createPostgresDatabase } from "@/lib/test/store";
import { startProxy, type TestProxy } from "@/lib/test/tcp-proxy";
import { waitFor } from "@/lib/sdk/test-support";

const AGENT_TOKEN = "gov_agent_outage_restart_support_0001";
const dataDir = mkdtempSync(path.join(tmpdir(), "gov-outage-restart-"));
let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
let proxy: TestProxy;
let direct: Store;
const servers: ServerProcess[] = [];

const start = async () => {
  const s = await startServerProcess({
      NODE_ENV: "production",
      GOVERNOR_CONSOLE: "off",
      GOVERNOR_ALLOW_SEED: "1",
      GOVERNOR_DATA_DIR: dataDir,
      GOVERNOR_SECRET: "outage-restart-secret-0123456789abcdef",
      GOVERNOR_DEMO_PASSWORD: "outage-restart-pw",
      GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
      DATABASE_URL: proxy.url,
  });
  servers.push(s);
  return s;
};

before(async () => {
  db = await createPostgresDatabase();
  proxy = await startProxy(db.url);
});
after(async () => {
  for (const s of servers) await s.stop("SIGKILL");
  await direct?.close();
  await proxy?.close();
  await db?.drop();
});

describe("shutdown during a database outage", () => {
  it("journals the decisions at SIGTERM, exits 0, and the next start replays them into the store", async () => {
    const a = await start();
    const decide = async (tool: string) => {
      const res = await fetch(a.url + "/api/v1/decide", { method: "POST", headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ agent: "support-bot", tenant: "acme", session: "restart-1", tool }) });
      assert.equal(res.status, 200);
      return ((await res.json()) as { decisionId: string }).decisionId;
    };
    await decide("search_kb");
    proxy.setMode("hang");
    await waitFor("instance A to notice", async () => ((await (await fetch(a.url + "/api/health")).json()) as { status: string }).status === "degraded", 15_000);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await decide(i % 2 ? "search_kb" : "send_email"));

    assert.equal(await a.stop("SIGTERM"), 0, a.output());
    const journal = readFileSync(path.join(dataDir, "journal", "journal.jsonl"), "utf8");
    for (const id of ids) assert.ok(journal.includes(id), `decision ${id} is in the journal`);

    proxy.setMode("forward");
    const b = await start();
    direct = await openStore({ databaseUrl: db.url, migrate: false });
    await waitFor("the replay at start", async () => (await direct.prisma.decisionLog.count({ where: { id: { in: ids } } })) === ids.length, 20_000);
    assert.match(b.output(), /replaying \d+ records an earlier run left/);
    await waitFor("the journal to be gone once replayed", () => readdirSync(path.join(dataDir, "journal")).length === 0, 10_000);
    const unavailable = await direct.prisma.auditEvent.count({ where: { action: "store.unavailable", target: { endsWith: `:${a.proc.pid}` } } });
    assert.equal(unavailable, 1, "instance A's outage is in the audit chain, once");
    assert.equal((await verifyChain(direct.prisma)).ok, true);
  });
});
