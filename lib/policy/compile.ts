import { checkBlastBounds } from "@/lib/policy/check-bounds";
import { compileWindows, type CompiledWindow } from "@/lib/policy/deploy-window";
import { MUTATING_KINDS, type ApprovalRule, type PolicyDocument, type RateLimit, type Tool } from "@/lib/policy/document";
import type { AgentStage, ControlState, GrantState, Overlay } from "@/lib/policy/overlay";
import { compileRuntime, type CompiledRuntime } from "@/lib/policy/runtime-model";
import { compileSchemaStates } from "@/lib/policy/schema-drift";

export interface Diagnostic {
  path: string;
  message: string;
}

export interface LimitRule {
  /** Counter identity; includes the window so a window change starts fresh counters. */
  key: string;
  scope: "tool" | "agent" | "tenant" | "tenant_tool";
  limit: number;
  windowMs: number;
}

export interface CompiledTenant {
  tier: string;
  tools: ReadonlySet<string>;
  denied: ReadonlySet<string>;
  toolLimits: ReadonlyMap<string, RateLimit>;
  limit?: RateLimit;
}

export interface CompiledGrant extends GrantState {
  expiresAtMs: number;
  resourceRegex: RegExp | null;
}

/** Everything evaluate() needs, in lookup tables; immutable once built, swapped by reference. */
export interface Snapshot {
  policyVersion: number;
  generation: number;
  tools: ReadonlyMap<string, Tool>;
  mutating: ReadonlySet<string>;
  agentTools: ReadonlyMap<string, ReadonlySet<string>>;
  agentLimits: ReadonlyMap<string, RateLimit>;
  tenants: ReadonlyMap<string, CompiledTenant>;
  reviewerGroups: ReadonlyMap<string, readonly string[]>;
  crossings: ReadonlySet<string>;
  zoneViolation: "deny" | "approval";
  controls: {
    globalKill: ControlState | null;
    readOnly: ControlState | null;
    approvalAll: ControlState | null;
    toolKills: ReadonlyMap<string, ControlState>;
    agentKills: ReadonlyMap<string, ControlState>;
    tenantKills: ReadonlyMap<string, ControlState>;
  };
  grants: ReadonlyMap<string, readonly CompiledGrant[]>;
  /** The runtime model: per service, its zone and precomputed blast radius. */
  runtime: CompiledRuntime;
  blastBounds: { kinds: ReadonlyMap<string, number>; services: ReadonlyMap<string, number>; windows: readonly CompiledWindow[] };
  /** Last reported schema per agent and database (see schema-drift.ts). */
  schemaStates: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  /** Agents in advisory mode; absent = enforced (see adoption.ts). */
  agentStages: ReadonlyMap<string, AgentStage>;
}

/** Checks that a document can work. Errors refuse a version; warnings are shown to the editor. */
export function checkDocument(doc: PolicyDocument, world: { services?: ReadonlySet<string> } = {}): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const hasTool = (t: string) => Object.hasOwn(doc.tools, t);
  const callable = new Set(Object.values(doc.agents).flatMap((a) => a.allowed_tools));
  const deadlock = (path: string, tool: string, limit: RateLimit | undefined) => {
    if (limit?.count === 0 && doc.tools[tool]?.approval) {
      errors.push({ path, message: `a rate limit of 0 on "${tool}", which also requires approval, can never let an approved call run (deadlock)` });
    }
  };

  for (const [agent, a] of Object.entries(doc.agents)) {
    a.allowed_tools.forEach((t, i) => {
      if (!hasTool(t)) errors.push({ path: `agents.${agent}.allowed_tools.${i}`, message: `names "${t}", which is not in the tool registry` });
    });
  }
  for (const [tier, t] of Object.entries(doc.tiers)) {
    t.tools.forEach((tool, i) => {
      if (!hasTool(tool)) errors.push({ path: `tiers.${tier}.tools.${i}`, message: `names "${tool}", which is not in the tool registry` });
    });
    for (const [tool, limit] of Object.entries(t.rate_limits)) {
      if (!hasTool(tool)) errors.push({ path: `tiers.${tier}.rate_limits.${tool}`, message: `limits "${tool}", which is not in the tool registry` });
      else if (!t.tools.includes(tool)) warnings.push({ path: `tiers.${tier}.rate_limits.${tool}`, message: `limits "${tool}", which tier "${tier}" does not include` });
      deadlock(`tiers.${tier}.rate_limits.${tool}`, tool, limit);
    }
  }
  for (const [tenant, t] of Object.entries(doc.tenants)) {
    if (!Object.hasOwn(doc.tiers, t.tier)) errors.push({ path: `tenants.${tenant}.tier`, message: `is "${t.tier}", which is not a defined tier` });
    for (const list of ["allow_tools", "deny_tools"] as const) {
      t.overrides[list].forEach((tool, i) => {
        if (!hasTool(tool)) errors.push({ path: `tenants.${tenant}.overrides.${list}.${i}`, message: `names "${tool}", which is not in the tool registry` });
      });
    }
    for (const [tool, limit] of Object.entries(t.overrides.rate_limits)) {
      if (!hasTool(tool)) errors.push({ path: `tenants.${tenant}.overrides.rate_limits.${tool}`, message: `limits "${tool}", which is not in the tool registry` });
      deadlock(`tenants.${tenant}.overrides.rate_limits.${tool}`, tool, limit);
    }
  }
  const zoneNames = new Set(doc.zones.names);
  doc.zones.crossings.forEach((c, i) => {
    for (const end of ["from", "to"] as const) {
      if (!zoneNames.has(c[end])) errors.push({ path: `zones.crossings.${i}.${end}`, message: `is "${c[end]}", which is not in zones.names` });
    }
  });
  for (const [tool, t] of Object.entries(doc.tools)) {
    if (t.zone && zoneNames.size > 0 && !zoneNames.has(t.zone)) errors.push({ path: `tools.${tool}.zone`, message: `is "${t.zone}", which is not in zones.names` });
    deadlock(`tools.${tool}.rate_limit`, tool, t.rate_limit);
    if (t.approval) checkApproval(doc, tool, t.approval, errors);
    if (t.approval && !callable.has(tool)) warnings.push({ path: `tools.${tool}.approval`, message: `requires approval on "${tool}", which no agent may call` });
  }
  checkBlastBounds(doc, world, errors, warnings);
  const cc = doc.change_control;
  if (cc.sensitive_keys.length > 0 || cc.sensitive_grants) {
    const group = doc.reviewer_groups[cc.group];
    if (!group) errors.push({ path: "change_control.group", message: `is "${cc.group}", which is not in reviewer_groups, so sensitive changes could never be approved` });
    else if (cc.quorum > group.length) errors.push({ path: "change_control.quorum", message: `is ${cc.quorum}, larger than reviewer group "${cc.group}" (${group.length} members)` });
  }
  return { errors, warnings };
}

function checkApproval(doc: PolicyDocument, tool: string, rule: ApprovalRule, errors: Diagnostic[]): void {
  const group = doc.reviewer_groups[rule.group];
  if (!group) {
    errors.push({ path: `tools.${tool}.approval.group`, message: `is "${rule.group}", which is not in reviewer_groups` });
    return;
  }
  if (rule.quorum > group.length) {
    errors.push({ path: `tools.${tool}.approval.quorum`, message: `is ${rule.quorum}, larger than reviewer group "${rule.group}" (${group.length} members), so it can never be reached` });
  }
  if (rule.reject_threshold > group.length) {
    errors.push({ path: `tools.${tool}.approval.reject_threshold`, message: `is ${rule.reject_threshold}, larger than reviewer group "${rule.group}" (${group.length} members)` });
  }
}

/** Turns `db-*` style globs into anchored regexes; everything but `*` is literal. */
function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

function keyed(controls: readonly ControlState[], kind: ControlState["control"]): Map<string, ControlState> {
  return new Map(controls.filter((c) => c.control === kind).map((c) => [c.target, c]));
}

/** The runtime controls as evaluate() looks them up; also read fresh where a snapshot is not enough. */
export function compileControls(controls: readonly ControlState[]): Snapshot["controls"] {
  const first = (kind: ControlState["control"]) => controls.find((c) => c.control === kind) ?? null;
  return {
    globalKill: first("global_kill"),
    readOnly: first("read_only"),
    approvalAll: first("approval_all"),
    toolKills: keyed(controls, "tool_kill"),
    agentKills: keyed(controls, "agent_kill"),
    tenantKills: keyed(controls, "tenant_kill"),
  };
}

/**
 * Compiles a (checked) document plus the runtime overlay into lookup tables. No parsing or I/O
 * happens after this: evaluate() only reads maps and sets.
 */
export function compile(doc: PolicyDocument, overlay: Overlay, meta: { policyVersion: number; generation: number }): Snapshot {
  const tenants = new Map<string, CompiledTenant>();
  for (const [name, t] of Object.entries(doc.tenants)) {
    const tier = doc.tiers[t.tier];
    const tools = new Set([...(tier?.tools ?? []), ...t.overrides.allow_tools]);
    tenants.set(name, {
      tier: t.tier,
      tools,
      denied: new Set(t.overrides.deny_tools),
      toolLimits: new Map(Object.entries({ ...(tier?.rate_limits ?? {}), ...t.overrides.rate_limits })),
      limit: t.rate_limit,
    });
  }
  const grants = new Map<string, CompiledGrant[]>();
  for (const g of overlay.grants) {
    const list = grants.get(g.agentId) ?? [];
    list.push({ ...g, expiresAtMs: Date.parse(g.expiresAt), resourceRegex: g.resourcePattern ? globToRegex(g.resourcePattern) : null });
    grants.set(g.agentId, list);
  }
  return Object.freeze({
    policyVersion: meta.policyVersion,
    generation: meta.generation,
    tools: new Map(Object.entries(doc.tools)),
    mutating: new Set(Object.entries(doc.tools).filter(([, t]) => MUTATING_KINDS.has(t.kind)).map(([n]) => n)),
    agentTools: new Map(Object.entries(doc.agents).map(([n, a]) => [n, new Set(a.allowed_tools)])),
    agentLimits: new Map(Object.entries(doc.agents).flatMap(([n, a]) => (a.rate_limit ? [[n, a.rate_limit] as const] : []))),
    tenants,
    reviewerGroups: new Map(Object.entries(doc.reviewer_groups)),
    crossings: new Set(doc.zones.crossings.map((c) => `${c.from}>${c.to}`)),
    zoneViolation: doc.zones.on_violation,
    controls: compileControls(overlay.controls),
    grants,
    runtime: compileRuntime(overlay.services, overlay.dependencies),
    blastBounds: {
      kinds: new Map(Object.entries(doc.blast_radius.kinds).flatMap(([k, b]) => (b ? [[k, b.max] as const] : []))),
      services: new Map(Object.entries(doc.blast_radius.services).map(([s, b]) => [s, b.max])),
      windows: compileWindows(doc.blast_radius.windows),
    },
    schemaStates: compileSchemaStates(overlay.schemaStates),
    agentStages: new Map(Object.entries(overlay.agentStages ?? {})),
  });
}

export function limitRule(scope: LimitRule["scope"], id: string, rl: RateLimit): LimitRule {
  return { key: `${scope}:${id}:w${rl.window_s}`, scope, limit: rl.count, windowMs: rl.window_s * 1000 };
}
