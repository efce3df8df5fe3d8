import type { Db, Tx } from "@/lib/db/client";
import type { Diagnostic } from "@/lib/policy/compile";
import { limitRule, type LimitRule } from "@/lib/policy/compile";
import type { PolicyDocument, RateLimit } from "@/lib/policy/document";

interface LimitDef {
  path: string;
  rule: LimitRule;
  rl: RateLimit;
  what: string;
}

/** Every rate limit a document defines, keyed the way the limiter keys its counters. */
function limits(doc: PolicyDocument): Map<string, LimitDef> {
  const out = new Map<string, LimitDef>();
  const add = (path: string, scope: LimitRule["scope"], id: string, rl: RateLimit, what: string) => {
    out.set(`${scope}:${id}`, { path, rule: limitRule(scope, id, rl), rl, what });
  };
  for (const [t, tool] of Object.entries(doc.tools)) if (tool.rate_limit) add(`tools.${t}.rate_limit`, "tool", t, tool.rate_limit, `tool ${t}`);
  for (const [a, agent] of Object.entries(doc.agents)) if (agent.rate_limit) add(`agents.${a}.rate_limit`, "agent", a, agent.rate_limit, `agent ${a}`);
  for (const [n, tenant] of Object.entries(doc.tenants)) {
    if (tenant.rate_limit) add(`tenants.${n}.rate_limit`, "tenant", n, tenant.rate_limit, `tenant ${n}`);
    const tier = doc.tiers[tenant.tier];
    for (const [tool, rl] of Object.entries({ ...(tier?.rate_limits ?? {}), ...tenant.overrides.rate_limits })) {
      const path = Object.hasOwn(tenant.overrides.rate_limits, tool) ? `tenants.${n}.overrides.rate_limits.${tool}` : `tiers.${tenant.tier}.rate_limits.${tool}`;
      add(path, "tenant_tool", `${n}:${tool}`, rl, `tenant ${n} × ${tool}`);
    }
  }
  return out;
}

/**
 * State conflicts: a lowered limit that counters in the current window already exceed. The
 * change is legal (that is how operators throttle during a spike), but the counter keeps
 * denying until its window resets, so the editor must see it and acknowledge it.
 */
export async function stateConflicts(db: Db | Tx, live: PolicyDocument, next: PolicyDocument, now = Date.now()): Promise<Diagnostic[]> {
  const before = limits(live);
  const out: Diagnostic[] = [];
  for (const [id, def] of limits(next)) {
    const old = before.get(id);
    if (!old || old.rl.window_s !== def.rl.window_s || def.rl.count >= old.rl.count) continue;
    const start = Math.floor(now / def.rule.windowMs) * def.rule.windowMs;
    const counter = await db.rateCounter.findUnique({ where: { key_windowStart: { key: def.rule.key, windowStart: new Date(start) } } });
    if (counter && counter.count > def.rl.count) {
      const reset = new Date(start + def.rule.windowMs).toISOString().slice(11, 19);
      out.push({
        path: def.path,
        message: `lowers the limit for ${def.what} from ${old.rl.count} to ${def.rl.count}, but ${counter.count} calls are already counted in the current window; it denies until the window resets at ${reset} UTC`,
      });
    }
  }
  return out;
}
