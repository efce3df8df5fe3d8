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

export interface Overlay {
  controls: ControlState[];
  grants: GrantState[];
}
