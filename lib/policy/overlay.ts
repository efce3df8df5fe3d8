// What sits on top of a policy version: runtime controls and sandbox grants. Both change at
// runtime without a new version, and apply to every version and cohort alike.

export const CONTROL_KINDS = ["global_kill", "tool_kill", "agent_kill", "tenant_kill", "read_only", "approval_all"] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];
/** Controls that act on one named tool, agent or tenant. */
export const TARGETED_CONTROLS: ReadonlySet<ControlKind> = new Set(["tool_kill", "agent_kill", "tenant_kill"]);

export interface ControlState {
  control: ControlKind;
  /** Tool, agent or tenant name for targeted controls; "" for global ones. */
  target: string;
  reason: string | null;
  setBy: string;
  setAt: string;
}

export interface GrantState {
  id: string;
  agentId: string;
  /** Tool names the grant covers; "*" covers every tool. */
  tools: string[];
  /** Glob over the request's target resource (`*` matches any run of characters); null = any. */
  resourcePattern: string | null;
  expiresAt: string;
  revokeOnFailure: boolean;
}

/** A service of the runtime model and the share (0..1) of traffic that passes through it. */
export interface ServiceState {
  name: string;
  share: number;
  zone: string | null;
}

/** `service` depends on `dependsOn`: when `dependsOn` is hit, `service` is hit too. */
export interface DependencyState {
  service: string;
  dependsOn: string;
}

/** The schema an agent last reported for one database (POST /api/v1/schema-state). */
export interface SchemaStateEntry {
  agentId: string;
  database: string;
  tables: Record<string, string[]>;
  reportedAt: string;
}

export type AgentStage = "advisory" | "enforced";

export interface Overlay {
  controls: ControlState[];
  grants: GrantState[];
  // The world as observed, not rules: stored in their own tables, changed at runtime, and
  // applied to every version and cohort alike. Optional so older snapshots still compile.
  services?: ServiceState[];
  dependencies?: DependencyState[];
  schemaStates?: SchemaStateEntry[];
  /** Agents in advisory mode; every other agent is enforced. */
  agentStages?: Record<string, AgentStage>;
}
