import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { openStore } from "@/lib/db/store";
import { insertSealed } from "@/lib/audit/seal";
const dir = mkdtempSync(path.join(os.tmpdir(), "ins-"));
const store = await openStore({ dataDir: dir });
const mk = () => ({ id: randomUUID(), at: new Date(), agentId: "support-bot", tenant: "acme", session: "s1", tool: "search_kb",
  request: { agent: "support-bot", tenant: "acme", session: "s1", tool: "search_kb" }, decision: "allow", primitive: null,
  reasons: [], policyVersion: 1, generation: 3, cohort: "stable", latencyUs: 80, tokenId: "tok", grantId: null, failsafe: false, serverBlastRadius: null, agentBlastRadius: null, enforced: true });
const N = 2500;
const sql = `INSERT INTO "DecisionLog" SELECT * FROM json_populate_recordset(NULL::"DecisionLog", $1::json)`;
for (let round = 0; round < 12; round++) {
  const rows = Array.from({ length: N }, mk);
  let t = process.hrtime.bigint();
  await insertSealed(store.prisma, rows);
  const sealed = Number(process.hrtime.bigint() - t) / 1e6;
  const rows2 = Array.from({ length: N }, mk);
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i += 500) await store.rawQuery(sql, [JSON.stringify(rows2.slice(i, i + 500))]);
  const plain = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`round ${round}: insertSealed ${sealed.toFixed(1)} ms (${(sealed * 1000 / N).toFixed(1)} µs/row), plain insert ${plain.toFixed(1)} ms (${(plain * 1000 / N).toFixed(1)} µs/row)`);
}
await store.close();
