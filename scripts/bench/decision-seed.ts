// 100,000 recorded decisions for the impact-preview benchmark, spread over the last 22 hours:
// 60 agents, 40 tenants, 100 tools (75 % calls of a tool on the agent's list, 15 % of one that
// is not, 5 % unknown agents, 5 % unknown tools), each with the verdict the policy gave it.
// Written straight into "DecisionLog" in 5,000-row statements, each chunk one JSON parameter.
import { randomUUID } from "node:crypto";
import { compile } from "@/lib/policy/compile";
import type { PolicyDocument } from "@/lib/policy/document";
import { evaluate, type DecisionRequest } from "@/lib/policy/evaluate";
import { CS_AGENTS, CS_TENANTS, CS_TOOLS, csAgent, csAgentTools, csTenant, csTool } from "@/scripts/bench/policy-1000-keys";

export const SEEDED_DECISIONS = 100_000;
const SPAN_MS = 22 * 3600_000;
const CHUNK = 5_000;

const INSERT_SQL = `INSERT INTO "DecisionLog" ("id","at","agentId","tenant","session","tool","request","decision","primitive","reasons","policyVersion","generation","cohort","latencyUs","tokenId","grantId","failsafe")
  SELECT "id","at","agentId","tenant","session","tool","request","decision","primitive","reasons","policyVersion","generation","cohort","latencyUs","tokenId","grantId","failsafe"
  FROM json_populate_recordset(NULL::"DecisionLog", $1::json)`;

/** Deterministic PRNG (mulberry32): every run seeds the same requests. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function request(rand: () => number, i: number): DecisionRequest {
  const pick = (n: number) => Math.floor(rand() * n);
  const a = pick(CS_AGENTS);
  const allowed = csAgentTools(a);
  const roll = rand();
  let agent = csAgent(a);
  let tool: string;
  if (roll < 0.75) tool = csTool(allowed[pick(allowed.length)]!);
  else if (roll < 0.9) {
    let t = pick(CS_TOOLS);
    while (allowed.includes(t)) t = (t + 1) % CS_TOOLS;
    tool = csTool(t);
  } else if (roll < 0.95) {
    agent = `retired-${pick(5)}`;
    tool = csTool(pick(CS_TOOLS));
  } else tool = `legacy-${pick(5)}`;
  return { agent, tenant: csTenant(pick(CS_TENANTS)), session: `sess-${i % 997}`, tool, args: { ticket: 10_000 + (i % 5000) }, origin: { zone: "internal" } };
}

/**
 * Inserts `count` decisions through `query` (PGlite's or pg's), newest first at "now"; returns
 * how long the insert took. The verdicts come from evaluate() on `doc`, as the server would
 * have recorded them.
 */
export async function seedDecisions(query: (sql: string, params: unknown[]) => Promise<unknown>, doc: PolicyDocument, count = SEEDED_DECISIONS): Promise<number> {
  const started = performance.now();
  const snap = compile(doc, { controls: [], grants: [] }, { policyVersion: 1, generation: 1 });
  const rand = prng(7);
  const now = Date.now();
  for (let from = 0; from < count; from += CHUNK) {
    const rows = [];
    for (let i = from; i < Math.min(count, from + CHUNK); i++) {
      const req = request(rand, i);
      const at = now - Math.floor((i / count) * SPAN_MS);
      const ev = evaluate(req, snap, { now: at, cohort: "stable" });
      rows.push({
        id: randomUUID(),
        at: new Date(at).toISOString(),
        agentId: req.agent,
        tenant: req.tenant,
        session: req.session,
        tool: req.tool,
        request: req,
        decision: ev.decision,
        primitive: ev.primitive,
        reasons: ev.reasons,
        policyVersion: 1,
        generation: 1,
        cohort: "stable",
        latencyUs: 20 + (i % 50),
        tokenId: null,
        grantId: null,
        failsafe: false,
      });
    }
    await query(INSERT_SQL, [JSON.stringify(rows)]);
  }
  return performance.now() - started;
}
