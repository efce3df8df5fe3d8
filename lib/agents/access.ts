import type { Snapshot } from "@/lib/policy/compile";
import { reversalRequired, type RateLimit, type Tool } from "@/lib/policy/document";
import { evaluate, type Verdict } from "@/lib/policy/evaluate";

/** What a plain call of one tool would get for one tenant right now. */
export interface AccessCell {
  tenant: string;
  decision: Verdict;
  primitive: string | null;
  /** The engine's own reason, e.g. `"refund_payment" is not in tier "free" of tenant "globex"`. */
  message: string | null;
  /** This tenant's own limits on the call (tenant-wide, and tenant × tool), e.g. "100 per 1 h". */
  limits: string[];
}

export interface ToolAccess {
  tool: string;
  kind: Tool["kind"];
  description: string;
  failsafe: Tool["failsafe"];
  /** The trust zone it acts in: a call from another zone needs an allowed crossing. */
  zone: string | null;
  /** What a real call must also satisfy: arguments, targets and counters the matrix cannot know. */
  conditions: string[];
  tenants: AccessCell[];
}

export interface AgentAccess {
  policyVersion: number;
  generation: number;
  /** False when the live policy has no entry for the agent: every call is denied (not_allowed). */
  inPolicy: boolean;
  tenants: string[];
  tools: ToolAccess[];
}

const per = (n: number, unit: string) => (n === 1 ? unit : `${n.toLocaleString("en-US")} ${unit}s`);
const windowText = (s: number) => (s % 86_400 === 0 ? per(s / 86_400, "day") : s % 3600 === 0 ? per(s / 3600, "hour") : s % 60 === 0 ? per(s / 60, "minute") : per(s, "second"));
const limitText = (l: RateLimit) => `${l.count.toLocaleString("en-US")} per ${windowText(l.window_s)}`;
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** What a real call must also satisfy, beyond what the matrix shows. */
function conditionsOf(snap: Snapshot, agent: string, tool: Tool): string[] {
  const out: string[] = [];
  if (tool.sandbox_grant_required) out.push("needs an active sandbox grant covering the tool (and its resource, when the grant names a pattern)");
  if (reversalRequired(tool)) out.push("needs a declared reversal path");
  const bounds = [tool.blast_radius?.max, snap.blastBounds.kinds.get(tool.kind)].filter((b): b is number => b !== undefined);
  if (bounds.length) out.push(`blast radius at most ${pct(Math.min(...bounds))}${snap.blastBounds.services.size || snap.blastBounds.windows.length ? " (tighter for some services and deploy windows)" : ""}`);
  if (tool.rate_limit) out.push(`rate limit ${limitText(tool.rate_limit)} on the tool, across every agent and tenant`);
  const agentLimit = snap.agentLimits.get(agent);
  if (agentLimit) out.push(`rate limit ${limitText(agentLimit)} on this agent, across its tools`);
  if (tool.kind === "schema") out.push("a destructive schema change always needs explicit approval");
  return out;
}

/**
 * A plain call names no resource, so a grant limited to a resource pattern does not cover it and
 * the engine says "needs an active sandbox grant"; say instead which resources the grant covers.
 */
function grantNote(snap: Snapshot, agent: string, tool: string, now: number): string | null {
  if (!snap.tools.get(tool)?.sandbox_grant_required) return null;
  const patterns = (snap.grants.get(agent) ?? [])
    .filter((g) => g.expiresAtMs > now && (g.tools.includes("*") || g.tools.includes(tool)) && g.resourcePattern)
    .map((g) => `"${g.resourcePattern}"`);
  return patterns.length ? `A sandbox grant covers "${tool}" only on resources matching ${[...new Set(patterns)].join(" or ")}.` : null;
}

/**
 * What an agent may do now, tool by tool and tenant by tenant: the verdict `evaluate()` gives a
 * plain call (no arguments, no target, a declared reversal path) under this snapshot, kill
 * switches and modes included. It is the engine's answer, not a second reading of the policy, so
 * the agent page cannot disagree with the data plane about what it shows; what depends on a
 * call's arguments or on counters is listed as that tool's conditions.
 */
export function agentAccess(snap: Snapshot, agent: string, now: number): AgentAccess {
  const tenants = [...snap.tenants.keys()].sort();
  const allowed = snap.agentTools.get(agent);
  const tools: ToolAccess[] = [];
  for (const name of [...(allowed ?? [])].sort()) {
    const tool = snap.tools.get(name);
    if (!tool) continue;
    const cells = tenants.map((tenant): AccessCell => {
      const ev = evaluate({ agent, tenant, session: "console:access", tool: name, reversal: "declared" }, snap, { now, cohort: "stable" });
      // From the snapshot, not ev.limits: a refused call (a kill switch, say) carries none.
      const t = snap.tenants.get(tenant);
      const toolLimit = t?.toolLimits.get(name);
      const limits = [...(toolLimit ? [limitText(toolLimit)] : []), ...(t?.limit ? [`${limitText(t.limit)} (all tools)`] : [])];
      return { tenant, decision: ev.decision, primitive: ev.primitive, message: (ev.primitive === "sandbox_grant" ? grantNote(snap, agent, name, now) : null) ?? ev.reasons[0]?.message ?? null, limits };
    });
    tools.push({ tool: name, kind: tool.kind, description: tool.description, failsafe: tool.failsafe, zone: tool.zone ?? null, conditions: conditionsOf(snap, agent, tool), tenants: cells });
  }
  return { policyVersion: snap.policyVersion, generation: snap.generation, inPolicy: allowed !== undefined, tenants, tools };
}

