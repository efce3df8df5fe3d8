import { z } from "zod";
import type { DecisionRequest } from "@/lib/policy/evaluate";
import { CONTROL_KINDS } from "@/lib/policy/overlay";
import { TOOL_KINDS } from "@/lib/policy/document";

// Public types of the SDK, and the zod shapes it reads server answers with. They mirror the
// data plane's schemas (lib/dataplane/schemas.ts) but are restated here because the SDK must not
// import server code; a drift shows up as a failing SDK test, not a silent mismatch.

export type { Snapshot } from "@/lib/policy/compile";
export type { VisibleTool } from "@/lib/policy/evaluate";

/** A tool call to decide; the SDK fills in `agent` from its options. */
export type DecideInput = Omit<DecisionRequest, "agent">;

export interface BreakerOptions {
  /** Consecutive failures or timeouts that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long the breaker stays open before one trial call is let through (default 2000 ms). */
  cooldownMs?: number;
}

export interface GovernorOptions {
  /** Base URL of Governor, e.g. http://localhost:3000. */
  url: string;
  /** The agent's token (gov_agent_…). */
  token: string;
  /** The agent this token belongs to; filled into every decide request. */
  agent: string;
  /** "remote" asks the server every time; "local" evaluates stateless checks in process. Default "remote". */
  mode?: "remote" | "local";
  /** Deadline for one decision call before it counts as a failure (default 100 ms). */
  timeoutMs?: number;
  breaker?: BreakerOptions;
  /** How often to poll the generation while the stream is down (default 5000 ms). */
  pollIntervalMs?: number;
  /** Replaces global fetch (tests count calls with it; proxies and custom agents plug in here). */
  fetch?: typeof fetch;
  /** How long guard() waits for reviewers on a pending decision before throwing (default 0: do not wait). */
  approvalWaitMs?: number;
  /**
   * Called by guard() when Governor refused or held a call but did not enforce it (the agent is
   * in advisory mode, `enforced: false`): guard runs the call anyway and reports the verdict here.
   */
  onAdvisory?: (decision: Decision, req: DecideInput) => void;
}

export const ApprovalStatusSchema = z.object({
  status: z.enum(["pending", "approved", "rejected", "expired"]),
  approvals: z.number().int(),
  rejections: z.number().int(),
  required: z.number().int(),
  expiresAt: z.string(),
  executedAt: z.string().nullable().optional(),
});
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

export const ReasonSchema = z.object({ primitive: z.string(), message: z.string(), value: z.unknown().optional(), bound: z.unknown().optional(), affected: z.array(z.string()).optional() });
export type Reason = z.infer<typeof ReasonSchema>;

export const DecisionSchema = z.object({
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
});

export type Decision = z.infer<typeof DecisionSchema> & {
  /** Decided by the SDK alone because Governor was unreachable (see failsafe.ts). */
  failsafe?: boolean;
  /** Decided in process from the local snapshot; Governor never saw it (mode "local"). */
  local?: boolean;
};

export const GenerationSchema = z.object({ generation: z.number().int(), policyVersion: z.number().int() });
export type GenerationInfo = z.infer<typeof GenerationSchema>;

export const ToolsSchema = z.object({
  tools: z.array(z.object({ name: z.string(), kind: z.enum(TOOL_KINDS), description: z.string() })),
  policyVersion: z.number().int(),
  generation: z.number().int(),
});

export const SnapshotSourceSchema = z.object({
  policyVersion: z.number().int(),
  generation: z.number().int(),
  document: z.unknown(),
  overlay: z.object({
    controls: z.array(
      z.object({
        control: z.enum(CONTROL_KINDS),
        target: z.string(),
        reason: z.string().nullable(),
        setBy: z.string(),
        setAt: z.string(),
      }),
    ),
    grants: z.array(
      z.object({
        id: z.string(),
        agentId: z.string(),
        tools: z.array(z.string()),
        resourcePattern: z.string().nullable(),
        expiresAt: z.string(),
        revokeOnFailure: z.boolean(),
      }),
    ),
    // The observed world (runtime model, reported schemas, agent stages); optional, so an SDK
    // still compiles a snapshot from a server that predates them.
    services: z.array(z.object({ name: z.string(), share: z.number(), zone: z.string().nullable() })).optional(),
    dependencies: z.array(z.object({ service: z.string(), dependsOn: z.string() })).optional(),
    schemaStates: z.array(z.object({ agentId: z.string(), database: z.string(), tables: z.record(z.string(), z.array(z.string())), reportedAt: z.string() })).optional(),
    agentStages: z.record(z.string(), z.enum(["advisory", "enforced"])).optional(),
  }),
  /** Present while a rollout routes some sessions to a candidate version (the server routes them). */
  rollout: z.object({ id: z.string(), percent: z.number() }).optional(),
});

export type Outcome = "success" | "failure" | "partial" | "rolled_back";

/** What POST /api/v1/outcomes takes. */
export interface OutcomeInput {
  decisionId: string;
  outcome: Outcome;
  observedBlastRadius?: number;
  latencyMs?: number;
}

/** reportOutcome() takes the decision itself, so it can tell local and failsafe ones apart. */
export interface OutcomeReport {
  decision: Decision;
  outcome: Outcome;
  observedBlastRadius?: number;
  latencyMs?: number;
}
