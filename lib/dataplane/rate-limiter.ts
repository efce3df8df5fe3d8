import type { Db } from "@/lib/db/client";
import type { Store } from "@/lib/db/store";
import type { LimitRule } from "@/lib/policy/compile";
import type { Exhausted } from "@/lib/policy/evaluate";

/*
 * Fixed-window counters. Semantics when an editor changes a limit:
 *  - an increase applies at once: counters are compared with the limit in force now;
 *  - after a decrease, a counter already over the new limit keeps denying until its window
 *    resets (the count is never rewritten);
 *  - a changed window starts new counters, because the window length is part of the key.
 * Only calls that would otherwise be allowed or go to approval consume; denied calls do not.
 */
export interface RateLimiter {
  /** All rules consume together or none does; returns the first exhausted rule, if any. */
  consume(rules: readonly LimitRule[], now: number): Promise<Exhausted | null> | Exhausted | null;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const windowStart = (rule: LimitRule, now: number) => Math.floor(now / rule.windowMs) * rule.windowMs;

/**
 * PGlite: one process owns the database, so the counters are authoritative in memory and are
 * written behind to the store (every 250 ms), which keeps the decision path free of I/O.
 */
export class MemoryRateLimiter implements RateLimiter {
  private counters = new Map<string, { start: number; count: number }>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout;

  private constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush().catch((e) => console.error("[rate-limit] flush failed", e)), 250);
    this.timer.unref();
  }

  static async open(db: Db): Promise<MemoryRateLimiter> {
    const limiter = new MemoryRateLimiter(db);
    const since = new Date(Date.now() - 31 * 86_400_000);
    for (const row of await db.rateCounter.findMany({ where: { windowStart: { gte: since } } })) {
      const prev = limiter.counters.get(row.key);
      if (!prev || prev.start < row.windowStart.getTime()) limiter.counters.set(row.key, { start: row.windowStart.getTime(), count: row.count });
    }
    return limiter;
  }

  consume(rules: readonly LimitRule[], now: number): Exhausted | null {
    for (const rule of rules) {
      const start = windowStart(rule, now);
      const c = this.counters.get(rule.key);
      const count = c && c.start === start ? c.count : 0;
      if (count >= rule.limit) return { rule, count, resetAtMs: start + rule.windowMs };
    }
    for (const rule of rules) {
      const start = windowStart(rule, now);
      const c = this.counters.get(rule.key);
      if (c && c.start === start) c.count += 1;
      else this.counters.set(rule.key, { start, count: 1 });
      this.dirty.add(rule.key);
    }
    return null;
  }

  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    const rows = keys.map((k) => ({ key: k, ...this.counters.get(k)! }));
    const values = rows.map((_, i) => `($${i * 3 + 1}, to_timestamp($${i * 3 + 2}::double precision / 1000), $${i * 3 + 3})`).join(", ");
    const params = rows.flatMap((r) => [r.key, r.start, r.count]);
    await this.db.$executeRawUnsafe(
      `INSERT INTO "RateCounter" ("key", "windowStart", "count") VALUES ${values}
       ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = GREATEST("RateCounter"."count", EXCLUDED."count")`,
      ...params,
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/**
 * PostgreSQL: several instances share the counters, so each consume is one transaction of
 * conditional upserts; a row only increments while it is under its limit.
 */
export class PostgresRateLimiter implements RateLimiter {
  constructor(private readonly db: Db) {}

  async consume(rules: readonly LimitRule[], now: number): Promise<Exhausted | null> {
    if (rules.length === 0) return null;
    const zero = rules.find((r) => r.limit === 0);
    if (zero) return { rule: zero, count: 0, resetAtMs: windowStart(zero, now) + zero.windowMs };
    const exhausted = await this.db
      .$transaction(async (tx) => {
        for (const rule of rules) {
          const start = new Date(windowStart(rule, now));
          const rows = await tx.$queryRaw<{ count: number }[]>`
            INSERT INTO "RateCounter" ("key", "windowStart", "count") VALUES (${rule.key}, ${start}, 1)
            ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateCounter"."count" + 1
            WHERE "RateCounter"."count" < ${rule.limit}
            RETURNING "count"`;
          if (rows.length === 0) {
            const current = await tx.rateCounter.findUnique({ where: { key_windowStart: { key: rule.key, windowStart: start } } });
            // Throwing rolls back the increments already made for the other rules.
            throw { exhausted: { rule, count: current?.count ?? rule.limit, resetAtMs: start.getTime() + rule.windowMs } satisfies Exhausted };
          }
        }
        return null;
      })
      .catch((e: unknown) => {
        if (e && typeof e === "object" && "exhausted" in e) return (e as { exhausted: Exhausted }).exhausted;
        throw e;
      });
    return exhausted;
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

export async function openRateLimiter(store: Store): Promise<RateLimiter> {
  return store.kind === "pglite" ? MemoryRateLimiter.open(store.prisma) : new PostgresRateLimiter(store.prisma);
}
