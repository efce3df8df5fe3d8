import { z } from "zod";

// Request and response shapes of the agent endpoints. The handlers parse with these and the
// OpenAPI document (GET /api/v1/openapi.json) is generated from them, so they cannot drift.

const Ident = z.string().min(1, "must not be empty").max(128, "must be at most 128 characters");

export const DecideRequest = z
  .object({
    agent: Ident,
    tenant: Ident,
    session: Ident,
    tool: Ident,
    args: z.unknown().optional(),
    target: z.object({ service: Ident.optional(), zone: Ident.optional(), resource: z.string().max(512).optional() }).strict().optional(),
    origin: z.object({ zone: Ident.optional() }).strict().optional(),
    blastRadius: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
    reversal: z.string().min(1).max(2000).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    /** The person the agent acts for; they cannot approve their own action. */
    initiator: z.string().min(1).max(128).optional(),
  })
  .meta({ id: "DecideRequest" });

export const ReasonSchema = z.object({
  primitive: z.string(),
  message: z.string(),
  value: z.unknown().optional(),
  bound: z.unknown().optional(),
  /** blast_radius: the services the action would reach (the target and everything depending on it). */
  affected: z.array(z.string()).optional(),
});

export const DecideResponse = z
  .object({
    decision: z.enum(["allow", "deny", "pending"]),
    decisionId: z.string(),
    policyVersion: z.number().int(),
    generation: z.number().int(),
    cohort: z.enum(["stable", "canary"]),
    enforced: z.boolean(),
    primitive: z.string().nullable(),
    reasons: z.array(ReasonSchema),
    approvalId: z.string().optional(),
    retryAfter: z.number().int().optional(),
  })
  .meta({ id: "DecideResponse" });

export const ApprovalStatusResponse = z
  .object({
    status: z.enum(["pending", "approved", "rejected", "expired"]),
    approvals: z.number().int(),
    rejections: z.number().int(),
    required: z.number().int(),
    expiresAt: z.string(),
    executedAt: z.string().nullable().optional(),
  })
  .meta({ id: "ApprovalStatus" });

export const ToolsQuery = z.object({ tenant: Ident, session: Ident.optional() });

export const ToolsResponse = z
  .object({
    tools: z.array(z.object({ name: z.string(), kind: z.string(), description: z.string() })),
    policyVersion: z.number().int(),
    generation: z.number().int(),
  })
  .meta({ id: "ToolsResponse" });

export const GenerationResponse = z.object({ generation: z.number().int(), policyVersion: z.number().int() }).meta({ id: "GenerationResponse" });

export const OutcomeRequest = z
  .object({
    decisionId: z.string().uuid("must be a decisionId returned by /api/v1/decide"),
    outcome: z.enum(["success", "failure", "partial", "rolled_back"], { error: "must be one of success, failure, partial, rolled_back" }),
    observedBlastRadius: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .meta({ id: "OutcomeRequest" });

const SqlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,127}$/, "must be a table or column name (letters, digits, '_', '$', '-'; no dots)");

export const SchemaStateRequest = z
  .object({
    database: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters"),
    tables: z.record(SqlName, z.array(SqlName).max(2000, "must list at most 2000 columns")).refine((t) => Object.keys(t).length <= 5000, "must list at most 5000 tables"),
  })
  .strict()
  .meta({ id: "SchemaStateRequest" });

export const SchemaStateResponse = z.object({ recorded: z.literal(true), database: z.string(), tables: z.number().int(), generation: z.number().int() }).meta({ id: "SchemaStateResponse" });

export const OutcomeResponse = z.object({ recorded: z.literal(true), grantRevoked: z.boolean() }).meta({ id: "OutcomeResponse" });

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string(), fields: z.array(z.object({ path: z.string(), message: z.string() })).optional() }) })
  .meta({ id: "Error" });
