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

// A session is written once per stage: instances that both see it, or a retry after a failed
// flush, leave the first row as it is.
const SESSIONS_SQL = `
INSERT INTO "RolloutSession" ("rolloutId", "shareBp", "session", "cohort")
SELECT "rolloutId", "shareBp", "session", "cohort" FROM json_populate_recordset(NULL::"RolloutSession", $1::json)
ON CONFLICT DO NOTHING`;

interface SessionRow {
  rolloutId: string;
  shareBp: number;
  session: string;
  cohort: Cohort;
}
const sessionKey = (s: { rolloutId: string; shareBp: number; session: string }) => `${s.rolloutId}|${s.shareBp}|${s.session}`;

/**
 * Per-instance aggregation of rollout metrics per (rollout, minute, cohort), written every second
 * with additive upserts. Recording is a few map operations, so the decision path stays free of I/O.
 * It also remembers which rollout cohort recent decisions went to, for their outcome reports, and
 * writes each session the first time a stage routes it (RolloutSession), for the sample-ratio check.
 */
export class RolloutMetrics {
  private pending = new Map<string, Acc>();
  private routed = new Map<string, { rolloutId: string; cohort: Cohort }>();
  // Sessions to write at the next flush, and those this instance has already sent (bounded: a
  // session it forgot is sent again and the insert ignores it).
  private newSessions = new Map<string, SessionRow>();
  private sentSessions = new Set<string>();
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

  recordDecision(r: { rolloutId: string; cohort: Cohort; decisionId: string; verdict: Verdict; latencyUs: number; error: boolean; now: number; session: string; shareBp: number }): void {
    const key = sessionKey(r);
    if (!this.sentSessions.has(key)) {
      this.sentSessions.add(key);
      if (this.sentSessions.size > RECENT_LIMIT) this.sentSessions.delete(this.sentSessions.values().next().value!);
      this.newSessions.set(key, { rolloutId: r.rolloutId, shareBp: r.shareBp, session: r.session, cohort: r.cohort });
    }
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

  /** Writes everything recorded before the call: a flush already in flight took its batch earlier, so this one follows it. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.size === 0 && this.newSessions.size === 0) return Promise.resolve();
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const sessions = [...this.newSessions.values()];
    this.newSessions = new Map();
    // Fold what was not written back in so the next tick writes it; nothing is counted twice
    // because a failed statement wrote nothing (and a session already written is ignored).
    const requeueSessions = () => sessions.forEach((row) => this.newSessions.set(sessionKey(row), row));
    this.flushing = (async () => {
      if (batch.length) {
        const rows = batch.map((a) => ({ ...a, minute: new Date(a.minute).toISOString() }));
        await this.db.$executeRawUnsafe(UPSERT_SQL, JSON.stringify(rows)).catch((err: unknown) => {
          for (const a of batch) this.merge(a);
          requeueSessions();
          throw err;
        });
      }
      if (sessions.length) {
        await this.db.$executeRawUnsafe(SESSIONS_SQL, JSON.stringify(sessions)).catch((err: unknown) => {
          requeueSessions();
          throw err;
        });
      }
    })().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private merge(a: Acc): void {
    const into = this.acc(a.rolloutId, a.cohort, a.minute);
    for (const k of ["decisions", "allows", "denies", "pendings", "errors", "success", "failure", "partial", "rolledBack"] as const) into[k] += a[k];
    a.latencyCounts.forEach((c, i) => (into.latencyCounts[i]! += c));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 0; attempt < 3 && (this.flushing || this.pending.size || this.newSessions.size); attempt++) {
      await this.flush().catch((e) => console.error("[rollout-metrics] final flush failed", (e as Error).message));
    }
  }
}

/** Deletes buckets (and routed sessions) older than the retention period; returns how many buckets went. */
export async function sweepMetricBuckets(db: Db, now = Date.now()): Promise<number> {
  const cutoff = new Date(now - RETENTION_DAYS * 86_400_000);
  const { count } = await db.metricBucket.deleteMany({ where: { minute: { lt: cutoff } } });
  await db.rolloutSession.deleteMany({ where: { firstSeen: { lt: cutoff } } });
  return count;
}
