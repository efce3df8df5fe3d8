import type { KeyChange } from "@/lib/policy/diff";
import { MUTATING_KINDS, type PolicyDocument } from "@/lib/policy/document";
import { getKey, keyMatches, splitKey, type Json } from "@/lib/policy/keypath";

/**
 * A change hits a pattern when its key lies inside the pattern, or when it replaces a parent of
 * the pattern whose old or new value actually has something under the pattern's remaining path
 * (removing `tools.x` hits `tools.*.approval` only if tool x had an approval rule).
 */
function hits(pattern: string, change: KeyChange): boolean {
  if (!keyMatches(pattern, change.key)) return false;
  const rest = splitKey(pattern).slice(splitKey(change.key).length);
  if (rest.length === 0) return true;
  const under = (v: Json | undefined) => v !== undefined && rest.every((seg) => seg !== "*") && getKey(v, rest.join(".")) !== undefined;
  return under(change.from) || under(change.to) || (rest.includes("*") && (change.from !== undefined || change.to !== undefined));
}

/**
 * Why a change needs reviewer approval, judged by the live policy's change_control (the rules
 * in force, not the ones the change set may be rewriting). Empty when it does not.
 */
export function sensitivityReasons(live: PolicyDocument, next: PolicyDocument, changes: readonly KeyChange[]): string[] {
  const cc = live.change_control;
  const reasons: string[] = [];
  for (const c of changes) {
    const pattern = cc.sensitive_keys.find((p) => hits(p, c));
    if (pattern) reasons.push(`${c.key} matches sensitive key pattern "${pattern}"`);
  }
  if (cc.sensitive_grants) {
    const kind = (tool: string) => next.tools[tool]?.kind ?? "read";
    for (const [agent, a] of Object.entries(next.agents)) {
      const before = new Set(live.agents[agent]?.allowed_tools ?? []);
      for (const t of a.allowed_tools) if (!before.has(t) && MUTATING_KINDS.has(kind(t))) reasons.push(`agents.${agent}.allowed_tools grants ${kind(t)} tool "${t}"`);
    }
    for (const [tier, t] of Object.entries(next.tiers)) {
      const before = new Set(live.tiers[tier]?.tools ?? []);
      for (const tool of t.tools) if (!before.has(tool) && MUTATING_KINDS.has(kind(tool))) reasons.push(`tiers.${tier}.tools grants ${kind(tool)} tool "${tool}"`);
    }
    for (const [tool, t] of Object.entries(next.tools)) {
      const was = live.tools[tool]?.kind;
      if (was && was !== t.kind && MUTATING_KINDS.has(t.kind) && !MUTATING_KINDS.has(was)) reasons.push(`tools.${tool}.kind turns a ${was} tool into a ${t.kind} tool`);
    }
  }
  return [...new Set(reasons)];
}
