import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID, randomBytes } from "node:crypto";
import { openStore } from "@/lib/db/store";
const dir = mkdtempSync(path.join(os.tmpdir(), "ins-"));
const store = await openStore({ dataDir: dir });
let seq = 0;
const v7 = () => { const ms = Date.now(); const b = randomBytes(16); b.writeUIntBE(ms, 0, 6); b[6] = (b[6]! & 0x0f) | 0x70; b[8] = (b[8]! & 0x3f) | 0x80; const h = b.toString("hex"); return `${h.slice(0,8)}-${h.slice(8,12)}-${h.slice(12,16)}-${h.slice(16,20)}-${h.slice(20)}`; };
const mk = (idf: () => string) => ({ id: idf(), at: new Date(), agentId: "support-bot", tenant: "acme", session: "s1", tool: "search_kb",
  request: { agent: "support-bot", tenant: "acme", session: "s1", tool: "search_kb" }, decision: "allow", primitive: null,
  reasons: [], policyVersion: 1, generation: 3, cohort: "stable", latencyUs: 80, tokenId: "tok", grantId: null, failsafe: false, serverBlastRadius: null, agentBlastRadius: null, enforced: true });
const N = 2500;
const sql = `INSERT INTO "DecisionLog" SELECT * FROM json_populate_recordset(NULL::"DecisionLog", $1::json)`;
async function run(label: string, idf: () => string, rounds = 6) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const rows = Array.from({ length: N }, () => mk(idf));
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i += 500) await store.rawQuery(sql, [JSON.stringify(rows.slice(i, i + 500))]);
    times.push(Number(process.hrtime.bigint() - t) / 1e3 / N);
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[times.length >> 1]!.toFixed(1)} µs/row`);
}
// Grow the table first, as a running server's would be.
await run("warm random uuid (50k)", randomUUID, 20);
await run("random uuid", randomUUID);
await run("uuid v7", v7);
await run("random uuid", randomUUID);
await run("uuid v7", v7);
await store.rawQuery(`DROP INDEX "DecisionLog_agentId_at_idx"`);
await run("v7, no agentId_at", v7);
await store.rawQuery(`DROP INDEX "DecisionLog_batchId_idx"`);
await run("v7, no agentId_at, no batchId", v7);
await store.rawQuery(`DROP INDEX "DecisionLog_at_idx"`);
await run("v7, pk only", v7);
await store.rawQuery(`ALTER TABLE "DecisionLog" ALTER COLUMN "request" TYPE json, ALTER COLUMN "reasons" TYPE json`);
await run("v7, pk only, json not jsonb", v7);
await store.close();
