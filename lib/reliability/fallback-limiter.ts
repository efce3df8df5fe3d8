import type { RateLimiter } from "@/lib/dataplane/rate-limiter";
import type { LimitRule } from "@/lib/policy/compile";
import type { Exhausted } from "@/lib/policy/evaluate";
import type { StoreHealth } from "@/lib/reliability/store-health";

// The most a decision waits for the shared counters before counting on this instance instead.
export const COUNTER_DEADLINE_MS = 250;

/**
 * Per-instance fixed-window counters for when the shared ones cannot be reached. Approximate on
 * purpose: they start empty, and each instance counts only its own calls, so with N instances a
 * limit can let up to N times its count through in a window while the database is down.
 */
export class LocalCounters {
  private counters = new Map<string, { start: number; count: number }>();

  consume(rules: readonly LimitRule[], now: number): Exhausted | null {
    for (const rule of rules) {
      const start = Math.floor(now / rule.windowMs) * rule.windowMs;
      const c = this.counters.get(rule.key);
      const count = c && c.start === start ? c.count : 0;
      if (count >= rule.limit) return { rule, count, resetAtMs: start + rule.windowMs };
    }
    for (const rule of rules) {
      const start = Math.floor(now / rule.windowMs) * rule.windowMs;
      const c = this.counters.get(rule.key);
      if (c && c.start === start) c.count += 1;
      else this.counters.set(rule.key, { start, count: 1 });
    }
    return null;
  }

  clear(): void {
    this.counters.clear();
  }
}

/**
 * Wraps the store's rate limiter so the decision path never waits on an unreachable database:
 * while the store is down, or when one consume fails, the call is counted locally; one that runs
 * past COUNTER_DEADLINE_MS prompts a health check and waits for the counter unless the store is
 * then found unreachable. The local counts are dropped when the store is back.
 */
export function withLocalFallback(primary: RateLimiter, health: StoreHealth): RateLimiter & { local: LocalCounters } {
  const local = new LocalCounters();
  health.onChange((s) => s.up && local.clear());
  return {
    local,
    consume(rules, now) {
      if (!health.isUp) return local.consume(rules, now);
      const r = primary.consume(rules, now);
      if (!(r instanceof Promise)) return r;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), COUNTER_DEADLINE_MS)));
      return Promise.race([r, late])
        .then((v) => {
          if (v !== "late") return v;
          // Slow is not down: counting locally now would let through a call the shared counter
          // refuses (a limit of 25 once allowed 26 under load). Keep waiting for the counter, and
          // count locally only if the probe finds the store unreachable meanwhile.
          void health.check();
          let off: () => void = () => {};
          const down = new Promise<Exhausted | null>((resolve) => {
            off = health.onChange((s) => !s.up && resolve(local.consume(rules, now)));
          });
          return Promise.race([r, down]).finally(() => off());
        })
        .catch((err) => {
          health.report(err);
          return local.consume(rules, now);
        })
        .finally(() => clearTimeout(timer));
    },
    flush: () => (health.isUp ? primary.flush() : Promise.resolve()),
    close: () => (health.isUp ? primary.close() : Promise.resolve()),
  };
}
