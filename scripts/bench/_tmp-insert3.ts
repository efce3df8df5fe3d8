import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { openStore } from "@/lib/db/store";
const mem = process.argv[2] === "mem";
const dir = mkdtempSync(path.join(os.tmpdir(), "ins-"));
const store = await openStore({ dataDir: mem ? undefined : dir });
await store.close();
const db = mem ? new PGlite() : new PGlite(dir);
if (mem) { const s2 = await openStore({}); await s2.close(); }
await db.waitReady;
if (mem) {
  // Recreate the table shape in memory.
  await db.exec(`CREATE TABLE "DecisionLog" ("id" text primary key, "at" timestamptz(3) not null, "agentId" text not null, "tenant" text not null, "session" text not null, "tool" text not null, "request" jsonb not null, "decision" text not null, "primitive" text, "reasons" jsonb not null, "policyVersion" int not null, "generation" int not null, "cohort" text not null, "latencyUs" int not null, "tokenId" text, "grantId" text, "failsafe" boolean not null default false, "serverBlastRadius" float8, "agentBlastRadius" float8, "enforced" boolean, "batchId" int, "batchIndex" int); CREATE INDEX ON "DecisionLog"("at"); CREATE INDEX ON "DecisionLog"("agentId","at"); CREATE INDEX ON "DecisionLog"("batchId");`);
}
const mk = () => ({ id: randomUUID(), at: new Date(), agentId: "support-bot", tenant: "acme", session: "s1", tool: "search_kb",
  request: { agent: "support-bot", tenant: "acme", session: "s1", tool: "search_kb" }, decision: "allow", primitive: null,
  reasons: [], policyVersion: 1, generation: 3, cohort: "stable", latencyUs: 80, tokenId: "tok", grantId: null, failsafe: false, serverBlastRadius: null, agentBlastRadius: null, enforced: true, batchId: 1, batchIndex: 0 });
const N = 2500;
const sql = `INSERT INTO "DecisionLog" SELECT * FROM json_populate_recordset(NULL::"DecisionLog", $1::json)`;
const cols = Object.keys(mk());
const esc = (v: unknown) => v === null ? "\\N" : String(typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v instanceof Date ? v.toISOString() : v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
async function run(label: string, f: (rows: ReturnType<typeof mk>[]) => Promise<void>, rounds = 8) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const rows = Array.from({ length: N }, mk);
    const t = process.hrtime.bigint();
    await f(rows);
    times.push(Number(process.hrtime.bigint() - t) / 1e3 / N);
  }
  times.sort((a, b) => a - b);
  console.log(`${mem ? "memory" : "disk"} ${label}: median ${times[times.length >> 1]!.toFixed(1)} µs/row`);
}
const jsonIns = async (rows: any[]) => { for (let i = 0; i < N; i += 500) await db.query(sql, [JSON.stringify(rows.slice(i, i + 500))]); };
const copyIns = async (rows: any[]) => {
  const tsv = rows.map((r) => cols.map((c) => esc(r[c])).join("\t")).join("\n") + "\n";
  await db.query(`COPY "DecisionLog" (${cols.map((c) => `"${c}"`).join(",")}) FROM '/dev/blob'`, [], { blob: new Blob([tsv]) });
};
const jsonTx = async (rows: any[]) => { await db.transaction(async (tx) => { for (let i = 0; i < N; i += 500) await tx.query(sql, [JSON.stringify(rows.slice(i, i + 500))]); }); };
await run("json 500-row statements", jsonIns, 16);
await run("copy 2500 rows", copyIns);
await run("json in one tx", jsonTx);
await run("json 500-row statements", jsonIns);
await run("copy 2500 rows", copyIns);
await db.close();
