// Two server processes share one PostgreSQL database: a kill on instance A reaches instance B
// through NOTIFY within a second, and a recovery on B reaches A. PostgreSQL only (scripts/test.sh
// runs *.pg.test.ts in its PostgreSQL pass): PGlite has one owner process by design.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createToken } from "@/lib/auth/tokens";
import { openStore, type Store } from "@/lib/db/store";
import { startServerProcess, type ServerProcess } from "@/lib/test/server-process";
import { createPostgresDatabase } from "@/lib/test/store";

const AGENT_TOKEN = "gov_agent_multi_instance_support_0001";
const BASE_ENV = {
  NODE_ENV: "production",
  GOVERNOR_CONSOLE: "off",
  GOVERNOR_ALLOW_SEED: "1",
  GOVERNOR_SECRET: "multi-instance-test-secret-0123456789",
  GOVERNOR_DEMO_PASSWORD: "multi-instance-pw",
  GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
};
const REQ = { agent: "support-bot", tenant: "acme", session: "m1", tool: "search_kb" };

let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
let a: ServerProcess;
let b: ServerProcess;
let store: Store;
let operatorToken: string;

async function decide(server: ServerProcess) {
  const res = await fetch(server.url + "/api/v1/decide", { method: "POST", headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(REQ) });
  return (await res.json()) as { decision: string; primitive: string | null };
}

async function flip(server: ServerProcess, body: object) {
  const res = await fetch(server.url + "/api/v1/admin/controls", { method: "POST", headers: { authorization: `Bearer ${operatorToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

async function until(server: ServerProcess, decision: string, limitMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const r = await decide(server);
    if (r.decision === decision) return performance.now() - start;
    if (performance.now() - start > limitMs) assert.fail(`instance ${server.url} still answers ${r.decision} after ${limitMs} ms`);
  }
}

before(async () => {
  db = await createPostgresDatabase();
  a = await startServerProcess({ ...BASE_ENV, DATABASE_URL: db.url });
  b = await startServerProcess({ ...BASE_ENV, DATABASE_URL: db.url });
  store = await openStore({ databaseUrl: db.url, migrate: false });
  const oncall = await store.prisma.user.findUniqueOrThrow({ where: { username: "oncall" } });
  const admin = { actor: { type: "user" as const, id: "test", name: "test" }, role: "admin" as const, via: "system" as const };
  operatorToken = (await createToken({ db: store.prisma, principal: admin, input: { kind: "personal", name: "incident bot", userId: oncall.id } })).secret;
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await store?.close();
  await db?.drop();
});

describe("two instances on one PostgreSQL", () => {
  it("a kill on A makes B deny within 1 s; recovery on B makes A allow again", async () => {
    assert.equal((await decide(b)).decision, "allow");
    await flip(a, { control: "global_kill", active: true, reason: "multi-instance test" });
    const killMs = await until(b, "deny", 1000);
    const denied = await decide(b);
    assert.equal(denied.primitive, "kill_switch");

    await flip(b, { control: "global_kill", active: false, reason: "test over" });
    const recoverMs = await until(a, "allow", 1000);
    console.log(`kill A→B ${killMs.toFixed(0)} ms, recovery B→A ${recoverMs.toFixed(0)} ms`);
  });
});
