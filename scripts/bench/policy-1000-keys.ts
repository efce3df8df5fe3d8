// The policy the change-set benchmark edits: about 1,000 leaf keys (objects walked, arrays and
// scalars are leaves, as lib/policy/diff.ts counts them) over 100 tools, 60 agents, 3 tiers and
// 40 tenants, with no change control so that every change set applies without a reviewer; plus
// the 2–3-key change sets applied one after another, and the one whose impact is previewed.
import type { ChangeOp } from "@/lib/changesets/ops";
import { checkDocument } from "@/lib/policy/compile";
import { PolicyDocument, type PolicyDocumentInput } from "@/lib/policy/document";

export const CS_TOOLS = 100;
export const CS_AGENTS = 60;
export const CS_TENANTS = 40;
const TOOLS_PER_AGENT = 8;
const TIERS = ["free", "pro", "enterprise"] as const;

const pad = (n: number, width = 3) => String(n).padStart(width, "0");
export const csTool = (i: number) => `t${pad(i)}`;
export const csAgent = (i: number) => `a${pad(i)}`;
export const csTenant = (i: number) => `n${pad(i, 2)}`;
/** Agent i may call tools (3i + 12j) mod 100, j < 8. */
export const csAgentTools = (i: number, shift = 0) => Array.from({ length: TOOLS_PER_AGENT }, (_, j) => (3 * i + 12 * j + shift) % CS_TOOLS);

export function keyedPolicy(): { document: PolicyDocument; leafKeys: number } {
  const tools: NonNullable<PolicyDocumentInput["tools"]> = {};
  for (let t = 0; t < CS_TOOLS; t++) {
    tools[csTool(t)] = {
      kind: t % 10 === 0 ? "send" : t % 7 === 0 ? "write" : "read",
      description: `Benchmark tool ${t}`,
      zone: t % 3 === 0 ? "external" : "internal",
      ...(t % 10 === 5 ? { rate_limit: { count: 100_000, window_s: 3600 } } : {}),
    };
  }
  const agents: NonNullable<PolicyDocumentInput["agents"]> = {};
  for (let a = 0; a < CS_AGENTS; a++) {
    agents[csAgent(a)] = { description: `Benchmark agent ${a}`, allowed_tools: csAgentTools(a).map(csTool), ...(a % 4 === 0 ? { rate_limit: { count: 100_000, window_s: 60 } } : {}) };
  }
  const tiers: NonNullable<PolicyDocumentInput["tiers"]> = {};
  TIERS.forEach((tier, k) => {
    tiers[tier] = {
      tools: Array.from({ length: 60 + 20 * k }, (_, t) => csTool(t)),
      rate_limits: Object.fromEntries(Array.from({ length: 10 }, (_, j) => [csTool(j * 5), { count: 1000 * (k + 1), window_s: 3600 }])),
    };
  });
  const tenants: NonNullable<PolicyDocumentInput["tenants"]> = {};
  for (let n = 0; n < CS_TENANTS; n++) {
    tenants[csTenant(n)] = { tier: TIERS[n % 3]!, ...(n % 5 === 0 ? { rate_limit: { count: 500_000, window_s: 60 } } : {}) };
  }
  const document = PolicyDocument.parse({
    tools,
    agents,
    tiers,
    tenants,
    reviewer_groups: { reviewers: ["reviewer1", "reviewer2"] },
    zones: { names: ["internal", "external"], crossings: [{ from: "internal", to: "external" }], on_violation: "deny" },
  });
  const { errors } = checkDocument(document);
  if (errors.length) throw new Error(`The change-set benchmark policy does not check: ${errors[0]!.path} ${errors[0]!.message}`);
  return { document, leafKeys: leafCount(document) };
}

function leafCount(v: unknown): number {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return 1;
  return Object.values(v).reduce((n: number, x) => n + leafCount(x), 0);
}

/** Change set k of the applied series: two or three keys, none sensitive, each flipping real decisions. */
export function seriesOps(k: number): ChangeOp[] {
  const ops: ChangeOp[] = [
    { op: "set", key: `tenants.${csTenant((k * 3) % CS_TENANTS)}.tier`, value: TIERS[(k + 1) % 3]! },
    { op: "set", key: `agents.${csAgent((k * 7) % CS_AGENTS)}.allowed_tools`, value: csAgentTools((k * 7) % CS_AGENTS, k + 1).map(csTool) },
  ];
  if (k % 2 === 0) ops.push({ op: "set", key: `tools.${csTool((k * 11) % CS_TOOLS)}.rate_limit`, value: { count: 50_000 + k, window_s: 60 } });
  return ops;
}

/** The previewed change set: the free tier loses its last 20 tools and one agent loses its list. */
export function previewOps(): ChangeOp[] {
  return [
    { op: "set", key: "tiers.free.tools", value: Array.from({ length: 40 }, (_, t) => csTool(t)) },
    { op: "set", key: `agents.${csAgent(5)}.allowed_tools`, value: [] },
  ];
}
