// Graceful shutdown of a real server process (server.ts): SIGTERM while a long-poll is in flight
// and a policy stream is open, right after a burst of decisions still in the log's buffer.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { openStore, type Store } from "@/lib/db/store";
import { startServerProcess, type ServerProcess } from "@/lib/test/server-process";
import { createPostgresDatabase, onPostgres } from "@/lib/test/store";

const AGENT_TOKEN = "gov_agent_shutdown_test_support_000001";
const dataDir = mkdtempSync(path.join(tmpdir(), "gov-shutdown-"));
let pgDb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
let server: ServerProcess;
let store: Store | undefined;

before(async () => {
  pgDb = onPostgres() ? await createPostgresDatabase() : undefined;
  server = await startServerProcess({
      NODE_ENV: "production",
      GOVERNOR_CONSOLE: "off",
      GOVERNOR_ALLOW_SEED: "1",
      GOVERNOR_DATA_DIR: dataDir,
      GOVERNOR_SECRET: "shutdown-test-secret-0123456789abcdef",
      GOVERNOR_DEMO_PASSWORD: "shutdown-test-pw",
      GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
      ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
  });
});
after(async () => {
  await server?.stop("SIGKILL");
  await store?.close();
  await pgDb?.drop();
});

const call = (p: string, body?: object) =>
  fetch(server.url + p, { method: body ? "POST" : "GET", headers: { authorization: `Bearer ${AGENT_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
const decide = async (tool: string) => (await (await call("/api/v1/decide", { agent: "support-bot", tenant: "acme", session: "sigterm-1", tool })).json()) as { decisionId: string; approvalId?: string };

describe("graceful shutdown", () => {
  it("SIGTERM refuses new connections, lets the request in flight finish, sends streams a retry hint, keeps every decision, exits 0", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await decide("search_kb")).decisionId);
    const pending = await decide("refund_payment");
    ids.push(pending.decisionId);
    assert.ok(pending.approvalId);

    const stream = await call("/api/v1/policy/stream");
    assert.equal(stream.status, 200);
    const streamText = (async () => {
      let text = "";
      const reader = stream.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString("utf8");
      return text;
    })();
    // A long-poll that will still be waiting when the signal arrives.
    const longPollStarted = Date.now();
    const longPoll = call(`/api/v1/approvals/${pending.approvalId}?wait=2`);
    // Decisions the log has not flushed yet (it writes every 250 ms).
    for (let i = 0; i < 10; i++) ids.push((await decide("send_email")).decisionId);
    await new Promise((r) => setTimeout(r, 100));

    const exited = server.stop("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(fetch(server.url + "/api/health"), "no new connections once SIGTERM arrived");

    const res = await longPoll;
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, "pending");
    assert.ok(Date.now() - longPollStarted >= 1900, "the long-poll ran its course");
    const text = await streamText;
    assert.match(text, /retry: 1000\nevent: shutdown\n/, "the stream ended with a retry hint");
    assert.equal(await exited, 0, server.output());
    assert.match(server.output(), /stopped cleanly/);

    store = await openStore(pgDb ? { databaseUrl: pgDb.url, migrate: false } : { dataDir: path.join(dataDir, "pglite"), migrate: false });
    const rows = await store.prisma.decisionLog.findMany({ where: { id: { in: ids } } });
    assert.equal(rows.length, ids.length, "every decision made before SIGTERM is in the store");
    assert.equal(rows.filter((r) => r.batchId === null).length, 0, "and sealed into the audit chain");
    const chain = await verifyChain(store.prisma);
    assert.equal(chain.ok, true);
    const checkpoint = await store.prisma.auditCheckpoint.aggregate({ _max: { seq: true } });
    assert.equal(checkpoint._max.seq, chain.ok ? chain.headSeq : -1, "the chain head is signed");
  });
});
