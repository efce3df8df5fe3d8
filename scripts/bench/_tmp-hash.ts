import { randomUUID } from "node:crypto";
import { decisionLeaf } from "@/lib/audit/seal";
import { decisionLeafHash } from "@/lib/audit/decision-leaf";
const mk = () => ({ id: randomUUID(), at: new Date(), agentId: "support-bot", tenant: "acme", session: "s1", tool: "search_kb",
  request: { agent: "support-bot", tenant: "acme", session: "s1", tool: "search_kb" }, decision: "allow", primitive: null,
  reasons: [{ primitive: "x", message: "some message here", value: 1, bound: 2 }], policyVersion: 1, generation: 3, cohort: "stable", latencyUs: 80, tokenId: "tok", grantId: null, failsafe: false, serverBlastRadius: null, agentBlastRadius: null, enforced: true });
const rows = Array.from({ length: 2500 }, mk);
for (let r = 0; r < 8; r++) {
  let t = process.hrtime.bigint();
  const json = JSON.stringify(rows);
  const t1 = process.hrtime.bigint();
  const parsed = JSON.parse(json);
  const t2 = process.hrtime.bigint();
  const leaves = parsed;
  const t3 = process.hrtime.bigint();
  for (const l of leaves) decisionLeafHash(l);
  const t4 = process.hrtime.bigint();
  const us = (a: bigint, b: bigint) => (Number(b - a) / 1e3 / 2500).toFixed(2);
  console.log(`stringify ${us(t, t1)} parse ${us(t1, t2)} leaf ${us(t2, t3)} hash ${us(t3, t4)} µs/row`);
}
