import { blastRadiusCheck } from "@/lib/policy/blast-radius";
import { limitRule, type CompiledGrant, type LimitRule, type Snapshot } from "@/lib/policy/compile";
import { destructiveChanges, schemaDriftRefusal } from "@/lib/policy/schema-drift";
import { reversalRequired, type ApprovalRule, type Tool } from "@/lib/policy/document";
import type { ControlState } from "@/lib/policy/overlay";

/*
 * evaluate() – the one decision function, pure: no I/O, no clock reads, no allocation beyond the
 * answer. Checks run in this order and the first that refuses decides:
 *
 *   1. kill_switch       global kill, then the agent's, the tenant's and the tool's kill
 *   2. not_allowed       unknown agent, tool or tenant; tool not on the agent's allow list;
 *                        tool not in the tenant's tier (plus overrides) or denied by override
 *   3. read_only         read-only mode denies every write, send, destructive and schema tool
 *   4. sandbox_grant     a tool that needs a grant needs an unexpired one covering tool + resource
 *   5. network_boundary  origin zone → target zone must be an allowed crossing (deny or approval);
 *                        the target zone is the request's, else its service's in the runtime
 *                        model, else the tool's
 *   6. blast_radius      max(runtime-model prediction for the target service, agent's blastRadius)
 *                        against the tightest bound: tool, tool kind, service, active deploy
 *                        windows (blast-radius.ts; windows are read at `state.now`)
 *   7. reversibility     a reversal-required tool (default: kind destructive) needs a declared
 *                        reversal path
 *   8. schema_drift      a schema tool's contract and declared preconditions must hold against
 *                        the agent's last reported schema (schema-drift.ts)
 *   9. rate_limit        stateful: the caller consumes `limits` (tool, agent, tenant, tenant×tool)
 *                        and turns an exhausted counter into a deny with applyRateLimit()
 *  10. approval          pending: a destructive schema change (always, primitive schema_drift),
 *                        an approval rule, approval-all mode or a zone crossing
 *  11. allow
 *
 * Kill switches come first so nothing — not a stale allow list, not a rollout cohort — can
 * outrank an operator's stop. The verdict is the same for advisory agents; whether it binds is
 * decided after evaluation (adoption.ts), and a kill switch binds in every stage: an operator's
 * stop is never advisory.
 */

export interface DecisionRequest {
  agent: string;
  tenant: string;
  session: string;
  tool: string;
  args?: unknown;
  target?: { service?: string; zone?: string; resource?: string };
  origin?: { zone?: string };
  blastRadius?: number;
  reversal?: string;
  idempotencyKey?: string;
}

export interface Reason {
  primitive: string;
  message: string;
  value?: unknown;
  bound?: unknown;
  /** blast_radius: the services the action reaches. */
  affected?: string[];
}

export type Verdict = "allow" | "deny" | "pending";
export type Cohort = "stable" | "canary";

export interface Evaluation {
  decision: Verdict;
  primitive: string | null;
  reasons: Reason[];
  policyVersion: number;
  generation: number;
  cohort: Cohort;
  /** Counters to consume before an allow or pending is honoured. */
  limits: LimitRule[];
  approval?: ApprovalRule & { source: "rule" | "approval_all" | "network_boundary" | "schema_drift" | "advisory" };
  grantId?: string;
  failsafe: Tool["failsafe"];
}

export interface EvalState {
  /** Epoch ms of the decision; grants are compared against it. */
  now: number;
  cohort: Cohort;
}

const ALL_LIMITS: LimitRule[] = [];

function result(snap: Snapshot, state: EvalState, decision: Verdict, reason: Reason | null, tool?: Tool, extra: Partial<Evaluation> = {}): Evaluation {
  return {
    decision,
    primitive: reason?.primitive ?? null,
    reasons: reason ? [reason] : [],
    policyVersion: snap.policyVersion,
    generation: snap.generation,
    cohort: state.cohort,
    limits: ALL_LIMITS,
    failsafe: tool?.failsafe ?? "security_critical",
    ...extra,
  };
}

function killed(c: ControlState, what: string): Reason {
  return { primitive: "kill_switch", message: `${what} is stopped by ${c.setBy}${c.reason ? `: ${c.reason}` : ""}`, value: c.control, bound: c.target || "all" };
}

/**
 * Step 1 on its own: the kill that stops this call, global first. Also checked when an approved
 * action is executed (lib/approvals/execute.ts), so an approval given before a stop does not
 * outrank it.
 */
export function killReason(c: Snapshot["controls"], call: { agent: string; tenant: string; tool: string }): Reason | null {
  if (c.globalKill) return killed(c.globalKill, "Every agent");
  const agentKill = c.agentKills.get(call.agent);
  if (agentKill) return killed(agentKill, `Agent "${call.agent}"`);
  const tenantKill = c.tenantKills.get(call.tenant);
  if (tenantKill) return killed(tenantKill, `Tenant "${call.tenant}"`);
  const toolKill = c.toolKills.get(call.tool);
  return toolKill ? killed(toolKill, `Tool "${call.tool}"`) : null;
}

/** Step 3's refusal, for a tool of a mutating kind while read-only mode is on. */
export function readOnlyReason(readOnly: ControlState, tool: string, kind: string): Reason {
  return { primitive: "read_only", message: `Read-only mode is on (set by ${readOnly.setBy}); "${tool}" is a ${kind} tool`, value: kind, bound: "read" };
}

function findGrant(grants: readonly CompiledGrant[] | undefined, tool: string, resource: string | undefined, now: number): CompiledGrant | undefined {
  return grants?.find(
    (g) => g.expiresAtMs > now && (g.tools.includes("*") || g.tools.includes(tool)) && (!g.resourceRegex || (resource !== undefined && g.resourceRegex.test(resource))),
  );
}

function limitsFor(snap: Snapshot, req: DecisionRequest, tool: Tool): LimitRule[] {
  const out: LimitRule[] = [];
  if (tool.rate_limit) out.push(limitRule("tool", req.tool, tool.rate_limit));
  const agentLimit = snap.agentLimits.get(req.agent);
  if (agentLimit) out.push(limitRule("agent", req.agent, agentLimit));
  const tenant = snap.tenants.get(req.tenant);
  if (tenant?.limit) out.push(limitRule("tenant", req.tenant, tenant.limit));
  const tt = tenant?.toolLimits.get(req.tool);
  if (tt) out.push(limitRule("tenant_tool", `${req.tenant}:${req.tool}`, tt));
  return out;
}

export function evaluate(req: DecisionRequest, snap: Snapshot, state: EvalState): Evaluation {
  const c = snap.controls;
  const tool = snap.tools.get(req.tool);
  // 1. kill switches
  const stop = killReason(c, req);
  if (stop) return result(snap, state, "deny", stop, tool);

  // 2. allow lists
  const agentTools = snap.agentTools.get(req.agent);
  if (!agentTools) return result(snap, state, "deny", { primitive: "not_allowed", message: `Agent "${req.agent}" is not in the policy`, value: req.agent }, tool);
  if (!tool) return result(snap, state, "deny", { primitive: "not_allowed", message: `Tool "${req.tool}" is not in the tool registry`, value: req.tool });
  if (!agentTools.has(req.tool)) {
    return result(snap, state, "deny", { primitive: "not_allowed", message: `Agent "${req.agent}" may not call "${req.tool}"`, value: req.tool, bound: [...agentTools] }, tool);
  }
  const tenant = snap.tenants.get(req.tenant);
  if (!tenant) return result(snap, state, "deny", { primitive: "not_allowed", message: `Tenant "${req.tenant}" is not in the policy`, value: req.tenant }, tool);
  if (tenant.denied.has(req.tool) || !tenant.tools.has(req.tool)) {
    return result(snap, state, "deny", {
      primitive: "not_allowed",
      message: tenant.denied.has(req.tool) ? `Tenant "${req.tenant}" has "${req.tool}" turned off` : `"${req.tool}" is not in tier "${tenant.tier}" of tenant "${req.tenant}"`,
      value: req.tool,
      bound: tenant.tier,
    }, tool);
  }

  // 3. read-only mode
  if (c.readOnly && snap.mutating.has(req.tool)) return result(snap, state, "deny", readOnlyReason(c.readOnly, req.tool, tool.kind), tool);

  // 4. sandbox grant
  let grantId: string | undefined;
  if (tool.sandbox_grant_required) {
    const resource = req.target?.resource ?? req.target?.service;
    const grant = findGrant(snap.grants.get(req.agent), req.tool, resource, state.now);
    if (!grant) {
      return result(snap, state, "deny", { primitive: "sandbox_grant", message: `"${req.tool}" needs an active sandbox grant for agent "${req.agent}"${resource ? ` covering "${resource}"` : ""}`, value: resource ?? null, bound: "active grant" }, tool);
    }
    grantId = grant.id;
  }

  // 5. trust-zone crossing
  let approval: Evaluation["approval"];
  const from = req.origin?.zone;
  const to = req.target?.zone ?? (req.target?.service ? snap.runtime.get(req.target.service)?.zone : undefined) ?? tool.zone;
  let crossing: Reason | undefined;
  if (from && to && from !== to && !snap.crossings.has(`${from}>${to}`)) {
    const allowed = [...snap.crossings].filter((c) => c.startsWith(`${from}>`));
    const reason = { primitive: "network_boundary", message: `Crossing from zone "${from}" to "${to}" is not allowed`, value: `${from}>${to}`, bound: allowed };
    crossing = reason;
    if (snap.zoneViolation === "deny") return result(snap, state, "deny", reason, tool);
    approval = { quorum: 1, group: "", expires_in_s: 3600, reject_threshold: 1, source: "network_boundary" };
  }

  // 6. blast radius
  const blast = blastRadiusCheck(snap, req, tool, state.now);
  if (blast) return result(snap, state, "deny", blast, tool);

  // 7. reversibility
  if (reversalRequired(tool) && !req.reversal) {
    return result(snap, state, "deny", { primitive: "reversibility", message: `"${req.tool}" requires a declared reversal path`, value: null, bound: "reversal required" }, tool);
  }

  // 8. schema drift
  const drift = schemaDriftRefusal(snap, req, tool);
  if (drift) return result(snap, state, "deny", drift, tool);

  // 9–11. rate limits are the caller's; approval or allow
  const limits = limitsFor(snap, req, tool);
  const destructive = tool.kind === "schema" ? destructiveChanges(req.args) : [];
  if (destructive.length > 0) {
    // Nothing skips this one: not approval-all being off, not a missing approval rule.
    approval = { quorum: tool.approval?.quorum ?? 1, group: tool.approval?.group ?? "", expires_in_s: tool.approval?.expires_in_s ?? 3600, reject_threshold: tool.approval?.reject_threshold ?? 1, source: "schema_drift" };
    const message = `Destructive schema change (${destructive.join(", ")}) needs explicit human approval: ${approval.quorum} approval(s)${approval.group ? ` from group "${approval.group}"` : ""}`;
    return result(snap, state, "pending", { primitive: "schema_drift", message, value: destructive, bound: "explicit human approval" }, tool, { limits, approval, grantId });
  }
  if (tool.approval) approval = { ...tool.approval, source: "rule" };
  else if (c.approvalAll && !approval) approval = { quorum: 1, group: "", expires_in_s: 3600, reject_threshold: 1, source: "approval_all" };
  if (approval) {
    const why = approval.source === "rule" ? `"${req.tool}" needs ${approval.quorum} approval(s) from group "${approval.group}"` : approval.source === "approval_all" ? `Approval-all mode is on (set by ${c.approvalAll!.setBy})` : `Zone crossing "${from}>${to}" needs approval`;
    const reason = approval.source === "network_boundary" && crossing ? { ...crossing, message: why } : { primitive: "approval", message: why, value: 0, bound: approval.quorum };
    return result(snap, state, "pending", reason, tool, { limits, approval, grantId });
  }
  return result(snap, state, "allow", null, tool, { limits, grantId });
}

export interface Exhausted {
  rule: LimitRule;
  count: number;
  resetAtMs: number;
}

/** Folds the caller's counter result into an evaluation: an exhausted counter is a deny. */
export function applyRateLimit(ev: Evaluation, exhausted: Exhausted | null, now: number): Evaluation & { retryAfter?: number } {
  if (!exhausted) return ev;
  const { rule } = exhausted;
  const retryAfter = Math.max(1, Math.ceil((exhausted.resetAtMs - now) / 1000));
  return {
    ...ev,
    decision: "deny",
    primitive: "rate_limit",
    reasons: [{ primitive: "rate_limit", message: `Rate limit reached for ${rule.scope.replace("_", " × ")} (${rule.key.replace(/:w\d+$/, "")}): ${exhausted.count} of ${rule.limit} per ${rule.windowMs / 1000}s used; retry in ${retryAfter}s`, value: exhausted.count, bound: rule.limit }],
    approval: undefined,
    retryAfter,
  };
}

export interface VisibleTool {
  name: string;
  kind: Tool["kind"];
  description: string;
}

/** The presentation layer: which tools to show an agent for a tenant, with the same checks. */
export function visibleTools(snap: Snapshot, agent: string, tenantName: string): VisibleTool[] {
  const c = snap.controls;
  const agentTools = snap.agentTools.get(agent);
  const tenant = snap.tenants.get(tenantName);
  if (c.globalKill || !agentTools || !tenant || c.agentKills.has(agent) || c.tenantKills.has(tenantName)) return [];
  const out: VisibleTool[] = [];
  for (const name of agentTools) {
    const tool = snap.tools.get(name);
    if (!tool || !tenant.tools.has(name) || tenant.denied.has(name) || c.toolKills.has(name)) continue;
    if (c.readOnly && snap.mutating.has(name)) continue;
    out.push({ name, kind: tool.kind, description: tool.description });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
