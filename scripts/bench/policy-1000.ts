// The synthetic policy for the in-process benchmark: 100 agents × 10 allowed tools (1,000
// allow rules) over a 200-tool registry, three tiers, 50 tenants, rate limits, approvals and
// zones — plus the same allow list as Cedar `permit` policies and one shared request mix.
import { checkDocument } from "@/lib/policy/compile";
import { PolicyDocument, type PolicyDocumentInput } from "@/lib/policy/document";
import type { DecisionRequest } from "@/lib/policy/evaluate";

export const AGENTS = 100;
export const TOOLS_PER_AGENT = 10;
export const TOOLS = 200;
export const TENANTS = 50;

const pad = (n: number, width = 3) => String(n).padStart(width, "0");
export const agentName = (i: number) => `a${pad(i)}`;
export const toolName = (i: number) => `t${pad(i)}`;
export const tenantName = (i: number) => `n${pad(i, 2)}`;

/** Agent i may call tools (2i + 20j) mod 200, j < 10: ten distinct tools, spread over the registry. */
export const agentToolIndexes = (i: number) => Array.from({ length: TOOLS_PER_AGENT }, (_, j) => (2 * i + 20 * j) % TOOLS);

const TIER_SIZES = { free: 120, pro: 180, enterprise: TOOLS } as const;
const TIER_NAMES = Object.keys(TIER_SIZES) as (keyof typeof TIER_SIZES)[];
const tierOf = (tenant: number) => TIER_NAMES[tenant % TIER_NAMES.length]!;

export interface BenchPolicy {
  document: PolicyDocument;
  /** Rules by kind, for the report. */
  ruleCounts: Record<string, number>;
}

export function benchPolicy(): BenchPolicy {
  const tools: NonNullable<PolicyDocumentInput["tools"]> = {};
  for (let t = 0; t < TOOLS; t++) {
    tools[toolName(t)] = {
      kind: t % 10 === 0 ? "send" : t % 7 === 0 ? "write" : "read",
      zone: t % 3 === 0 ? "external" : "internal",
      ...(t % 10 === 0 ? { rate_limit: { count: 1_000_000, window_s: 3600 } } : {}),
      ...(t % 25 === 0 ? { approval: { quorum: 1, group: "reviewers" } } : {}),
      ...(t % 50 === 7 ? { blast_radius: { max: 0.1 } } : {}),
    };
  }
  const agents: NonNullable<PolicyDocumentInput["agents"]> = {};
  for (let a = 0; a < AGENTS; a++) {
    agents[agentName(a)] = {
      allowed_tools: agentToolIndexes(a).map(toolName),
      ...(a % 5 === 0 ? { rate_limit: { count: 100_000, window_s: 60 } } : {}),
    };
  }
  const tiers: NonNullable<PolicyDocumentInput["tiers"]> = {};
  for (const tier of TIER_NAMES) {
    const size = TIER_SIZES[tier];
    const limited = Array.from({ length: 20 }, (_, k) => toolName(k * 5));
    tiers[tier] = {
      tools: Array.from({ length: size }, (_, t) => toolName(t)),
      rate_limits: Object.fromEntries(limited.map((t) => [t, { count: tier === "free" ? 1000 : 10_000, window_s: 3600 }])),
    };
  }
  const tenants: NonNullable<PolicyDocumentInput["tenants"]> = {};
  for (let n = 0; n < TENANTS; n++) {
    tenants[tenantName(n)] = {
      tier: tierOf(n),
      ...(n % 10 === 9 ? { overrides: { deny_tools: [toolName(n)], allow_tools: [], rate_limits: {} } } : {}),
      ...(n % 4 === 0 ? { rate_limit: { count: 500_000, window_s: 60 } } : {}),
    };
  }
  const document = PolicyDocument.parse({
    tools,
    agents,
    tiers,
    tenants,
    reviewer_groups: { reviewers: ["r1", "r2"] },
    zones: { names: ["internal", "external"], crossings: [{ from: "internal", to: "external" }], on_violation: "deny" },
  });
  const { errors } = checkDocument(document);
  if (errors.length) throw new Error(`The benchmark policy does not check: ${errors[0]!.path} ${errors[0]!.message}`);

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const docTools = Object.values(document.tools);
  return {
    document,
    ruleCounts: {
      "agent → tool allow rules": sum(Object.values(document.agents).map((a) => a.allowed_tools.length)),
      "tier → tool entries": sum(Object.values(document.tiers).map((t) => t.tools.length)),
      "rate limits (tool, agent, tier, tenant)":
        docTools.filter((t) => t.rate_limit).length +
        Object.values(document.agents).filter((a) => a.rate_limit).length +
        sum(Object.values(document.tiers).map((t) => Object.keys(t.rate_limits).length)) +
        Object.values(document.tenants).filter((t) => t.rate_limit).length,
      "approval / blast-radius rules": docTools.filter((t) => t.approval).length + docTools.filter((t) => t.blast_radius).length,
      "tenant deny overrides": sum(Object.values(document.tenants).map((t) => t.overrides.deny_tools.length)),
    },
  };
}

/** Deterministic PRNG (mulberry32), so every run evaluates the same mix. */
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

/**
 * The request mix (power-of-two length, so loops index with a mask): 75 % calls of an allowed
 * tool, 15 % tools not on the agent's list, 5 % unknown agents, 5 % unknown tools. Tenants are
 * drawn at random, so some allowed tools are outside the tenant's tier.
 */
export function requestMix(size = 4096): DecisionRequest[] {
  const rand = prng(42);
  const pick = (n: number) => Math.floor(rand() * n);
  const out: DecisionRequest[] = [];
  for (let i = 0; i < size; i++) {
    const a = pick(AGENTS);
    const roll = rand();
    const allowed = agentToolIndexes(a);
    let agent = agentName(a);
    let tool: string;
    if (roll < 0.75) tool = toolName(allowed[pick(allowed.length)]!);
    else if (roll < 0.9) {
      let t = pick(TOOLS);
      while (allowed.includes(t)) t = (t + 1) % TOOLS;
      tool = toolName(t);
    } else if (roll < 0.95) {
      agent = `ghost-${pick(10)}`;
      tool = toolName(pick(TOOLS));
    } else tool = `unknown-${pick(10)}`;
    out.push({ agent, tenant: tenantName(pick(TENANTS)), session: `s${i % 64}`, tool, origin: { zone: "internal" } });
  }
  return out;
}

/** The allow list as Cedar: one `permit` per agent × allowed tool (1,000 policies). */
export function cedarPolicyText(doc: PolicyDocument): string {
  const lines: string[] = [];
  for (const [agent, a] of Object.entries(doc.agents)) {
    for (const tool of a.allowed_tools) {
      lines.push(`permit(principal == Agent::"${agent}", action == Action::"call", resource == Tool::"${tool}");`);
    }
  }
  return lines.join("\n");
}
