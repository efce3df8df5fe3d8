import type { Db } from "@/lib/db/client";
import type { Cohort, Verdict } from "@/lib/policy/evaluate";
import { bucketIndex, emptyCounts } from "@/lib/rollouts/histogram";

export type OutcomeKind = "success" | "failure" | "partial" | "rolled_back";

interface Acc {
  rolloutId: string;
  minute: number;
  cohort: Cohort;
  decisions: number;
  allows: number;
  denies: number;
  pendings: number;
  errors: number;
  latencyCounts: number[];
  success: number;
  failure: number;
  partial: number;
  rolledBack: number;
}

const FLUSH_MS = 1000;
const RECENT_LIMIT = 200_000;
export const RETENTION_DAYS = 30;
const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

// Each instance adds its own counts to the shared row, so N instances sum correctly. The batch
// travels as one JSON parameter (as the decision log does); latency arrays add element-wise.
const UPSERT_SQL = `
INSERT INTO "MetricBucket" AS m
SELECT * FROM json_populate_recordset(NULL::"MetricBucket", $1::json)
ON CONFLICT ("rolloutId", "minute", "cohort") DO UPDATE SET
  "decisions" = m."decisions" + EXCLUDED."decisions",
  "allows" = m."allows" + EXCLUDED."allows",
  "denies" = m."denies" + EXCLUDED."denies",
  "pendings" = m."pendings" + EXCLUDED."pendings",
  "errors" = m."errors" + EXCLUDED."errors",
  "success" = m."success" + EXCLUDED."success",
  "failure" = m."failure" + EXCLUDED."failure",
  "partial" = m."partial" + EXCLUDED."partial",
  "rolledBack" = m."rolledBack" + EXCLUDED."rolledBack",
  "latencyCounts" = ARRAY(
    SELECT COALESCE(a, 0) + COALESCE(b, 0)
    FROM unnest(m."latencyCounts", EXCLUDED."latencyCounts") WITH ORDINALITY AS u(a, b, i) ORDER BY i)`;

/**
 * Per-instance aggregation of rollout metrics per (rollout, minute, cohort), written every second
 * with additive upserts. Recording is a few map operations, so the decision path stays free of I/O.
 * It also remembers which rollout cohort recent decisions went to, for their outcome reports.
 */
export class RolloutMetrics {
  private pending = new Map<string, Acc>();
  private routed = new Map<string, { rolloutId: string; cohort: Cohort }>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush().catch((e) => console.error("[rollout-metrics] flush failed", (e as Error).message)), FLUSH_MS);
    this.timer.unref();
  }

  private acc(rolloutId: string, cohort: Cohort, now: number): Acc {
    const minute = minuteOf(now);
    const key = `${rolloutId}|${minute}|${cohort}`;
    let a = this.pending.get(key);
    if (!a) {
      a = { rolloutId, minute, cohort, decisions: 0, allows: 0, denies: 0, pendings: 0, errors: 0, latencyCounts: emptyCounts(), success: 0, failure: 0, partial: 0, rolledBack: 0 };
      this.pending.set(key, a);
    }
    return a;
  }

  recordDecision(r: { rolloutId: string; cohort: Cohort; decisionId: string; verdict: Verdict; latencyUs: number; error: boolean; now: number }): void {
    const a = this.acc(r.rolloutId, r.cohort, r.now);
    a.decisions += 1;
    if (r.verdict === "allow") a.allows += 1;
    else if (r.verdict === "deny") a.denies += 1;
    else a.pendings += 1;
    if (r.error) a.errors += 1;
    a.latencyCounts[bucketIndex(r.latencyUs / 1000)]! += 1;
    this.routed.set(r.decisionId, { rolloutId: r.rolloutId, cohort: r.cohort });
    if (this.routed.size > RECENT_LIMIT) this.routed.delete(this.routed.keys().next().value!);
  }

  recordOutcome(rolloutId: string, cohort: Cohort, outcome: OutcomeKind, now = Date.now()): void {
    const a = this.acc(rolloutId, cohort, now);
    if (outcome === "rolled_back") a.rolledBack += 1;
    else a[outcome] += 1;
  }

  /** The rollout cohort a recent decision was routed to (this instance's memory only). */
  routedDecision(decisionId: string): { rolloutId: string; cohort: Cohort } | undefined {
    return this.routed.get(decisionId);
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const rows = batch.map((a) => ({ ...a, minute: new Date(a.minute).toISOString() }));
    this.flushing = this.db
      .$executeRawUnsafe(UPSERT_SQL, JSON.stringify(rows))
      .then(() => undefined)
      .catch((err: unknown) => {
        // Fold the batch back in so the next tick writes it; nothing is counted twice because
        // the failed statement wrote nothing.
        for (const a of batch) this.merge(a);
        throw err;
      })
      .finally(() => (this.flushing = null));
    return this.flushing;
  }

  private merge(a: Acc): void {
    const into = this.acc(a.rolloutId, a.cohort, a.minute);
    for (const k of ["decisions", "allows", "denies", "pendings", "errors", "success", "failure", "partial", "rolledBack"] as const) into[k] += a[k];
    a.latencyCounts.forEach((c, i) => (into.latencyCounts[i]! += c));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && (this.flushing || this.pending.size); attempt++) {
      await this.flush().catch((e) => console.error("[rollout-metrics] final flush failed", (e as Error).message));
    }
  }
}

/** Deletes buckets older than the retention period; returns how many went. */
export async function sweepMetricBuckets(db: Db, now = Date.now()): Promise<number> {
  const { count } = await db.metricBucket.deleteMany({ where: { minute: { lt: new Date(now - RETENTION_DAYS * 86_400_000) } } });
  return count;
}
