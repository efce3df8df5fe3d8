import { z } from "zod";

// The policy document: what agents may do, as data. Versions of it are immutable rows; the
// key paths editors change (tenants.acme.tier, agents.support-bot.allowed_tools,
// tools.refund_payment.approval.quorum, …) are this structure written with dots.

// No dots: names are segments of key paths such as `agents.<agent>.allowed_tools`.
const Name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be 1–64 lowercase letters, digits, '_' or '-'");

export const TOOL_KINDS = ["read", "write", "send", "destructive", "schema"] as const;
/** Kinds that change the world: read-only mode denies all of them. */
export const MUTATING_KINDS: ReadonlySet<string> = new Set(["write", "send", "destructive", "schema"]);

export const RateLimit = z.object({
  count: z.number().int().min(0, "must be ≥ 0"),
  window_s: z.number().int().min(1, "must be ≥ 1 second").max(86_400 * 31, "must be at most 31 days"),
});
export type RateLimit = z.infer<typeof RateLimit>;

export const ApprovalRule = z.object({
  quorum: z.number().int().min(1, "must be at least 1"),
  group: Name,
  expires_in_s: z.number().int().min(1, "must be at least 1 second").max(7 * 86_400, "must be at most 7 days").default(3600),
  /** How many rejections resolve the request as rejected (1 = one veto). */
  reject_threshold: z.number().int().min(1).default(1),
});
export type ApprovalRule = z.infer<typeof ApprovalRule>;

// SQL names without dots, so `tools.<t>.contract.tables.<table>` stays a key path.
const SqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,127}$/, "must be a table or column name (letters, digits, '_', '$', '-'; no dots)");
const Column = SqlName;

/** What a schema tool expects to find in the database it changes. */
export const SchemaContract = z.object({
  database: z.string().min(1).max(128).optional(),
  tables: z.record(SqlName, z.array(Column).max(2000)).default({}),
});
export type SchemaContract = z.infer<typeof SchemaContract>;

export const Tool = z.object({
  kind: z.enum(TOOL_KINDS),
  description: z.string().max(500).default(""),
  /** The trust zone the tool acts in. */
  zone: Name.optional(),
  /** What happens when Governor cannot be reached: deny (security_critical) or allow (operational). */
  failsafe: z.enum(["security_critical", "operational"]).default("operational"),
  /** Unset: required for kind `destructive` only (reversible by default), see reversalRequired(). */
  reversal_required: z.boolean().optional(),
  sandbox_grant_required: z.boolean().default(false),
  approval: ApprovalRule.optional(),
  /** Across every agent and tenant. */
  rate_limit: RateLimit.optional(),
  blast_radius: z.object({ max: z.number().min(0).max(1) }).optional(),
  /** Kind `schema` only: the tables and columns the tool expects (see lib/policy/schema-drift.ts). */
  contract: SchemaContract.optional(),
});
export type Tool = z.infer<typeof Tool>;

/**
 * Reversible by default, where it matters most: a destructive tool needs a declared reversal path
 * unless its policy explicitly says `reversal_required: false`. Other kinds opt in.
 */
export const reversalRequired = (t: Pick<Tool, "kind" | "reversal_required">): boolean => t.reversal_required ?? t.kind === "destructive";

export const Agent = z.object({
  description: z.string().max(500).default(""),
  allowed_tools: z.array(Name).default([]),
  rate_limit: RateLimit.optional(),
});

export const Tier = z.object({
  tools: z.array(Name).default([]),
  /** Per tenant on this tier, per tool. */
  rate_limits: z.record(Name, RateLimit).default({}),
});

export const Tenant = z.object({
  tier: Name,
  overrides: z
    .object({
      allow_tools: z.array(Name).default([]),
      deny_tools: z.array(Name).default([]),
      rate_limits: z.record(Name, RateLimit).default({}),
    })
    .default({ allow_tools: [], deny_tools: [], rate_limits: {} }),
  /** Across all of this tenant's calls. */
  rate_limit: RateLimit.optional(),
});

export const Zones = z.object({
  names: z.array(Name).default([]),
  /** Allowed origin → target crossings; same-zone calls are always allowed. */
  crossings: z.array(z.object({ from: Name, to: Name })).default([]),
  /** What a disallowed crossing becomes. */
  on_violation: z.enum(["deny", "approval"]).default("deny"),
});

export const Flag = z.object({
  percentage: z.number().min(0).max(100),
  /** Tenants or agents that always get the flag. */
  allow: z.array(Name).default([]),
});

/** Which policy changes need reviewer approval before they apply. */
export const ChangeControl = z.object({
  /** Key patterns (`*` = one segment) whose change needs approval, e.g. `tools.*.approval`. */
  sensitive_keys: z.array(z.string().min(1)).default([]),
  /** A change that grants a write, send, destructive or schema tool needs approval too. */
  sensitive_grants: z.boolean().default(false),
  quorum: z.number().int().min(1).default(1),
  group: Name.default("reviewers"),
});

const Bound = z.object({ max: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1") });
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM (00:00–24:00)");

/**
 * A deploy window: time-of-week ranges in one time zone (IANA name or "UTC") during which `max`
 * bounds the blast radius, optionally only for some tools. A range covers [from, to) on each of
 * its days; overnight spans are two ranges. compile.ts checks zone names and that from < to.
 */
export const DeployWindow = z.object({
  time_zone: z.string().min(1).default("UTC"),
  ranges: z.array(z.object({ days: z.array(z.enum(WEEKDAYS)).min(1, "must name at least one day"), from: Clock, to: Clock })).min(1, "must have at least one range"),
  max: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1"),
  /** Tools the window bounds; empty = every tool. */
  tools: z.array(Name).default([]),
});
export type DeployWindow = z.infer<typeof DeployWindow>;

/** Blast-radius bounds beside `tools.<t>.blast_radius.max`; the tightest applicable bound wins. */
export const BlastRadiusBounds = z.object({
  /** Per action type (tool kind). */
  kinds: z.partialRecord(z.enum(TOOL_KINDS), Bound).default({}),
  /** Per target service (names from the runtime model). */
  services: z.record(Name, Bound).default({}),
  windows: z.record(Name, DeployWindow).default({}),
});

export const PolicyDocument = z.object({
  tools: z.record(Name, Tool).default({}),
  agents: z.record(Name, Agent).default({}),
  tiers: z.record(Name, Tier).default({}),
  tenants: z.record(Name, Tenant).default({}),
  reviewer_groups: z.record(Name, z.array(z.string().min(1))).default({}),
  zones: Zones.default({ names: [], crossings: [], on_violation: "deny" }),
  flags: z.record(Name, Flag).default({}),
  change_control: ChangeControl.default({ sensitive_keys: [], sensitive_grants: false, quorum: 1, group: "reviewers" }),
  blast_radius: BlastRadiusBounds.default({ kinds: {}, services: {}, windows: {} }),
});
export type PolicyDocument = z.output<typeof PolicyDocument>;
export type PolicyDocumentInput = z.input<typeof PolicyDocument>;
