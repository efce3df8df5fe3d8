import type { Db } from "@/lib/db/client";

export interface DecisionRecord {
  id: string;
  at: Date;
  agentId: string;
  tenant: string;
  session: string;
  tool: string;
  request: object;
  decision: string;
  primitive: string | null;
  reasons: object;
  policyVersion: number;
  generation: number;
  cohort: string;
  latencyUs: number;
  tokenId: string | null;
  grantId: string | null;
  failsafe: boolean;
}

const FLUSH_MS = 250;
const MAX_BATCH = 5000;
// Recently decided ids, so an outcome report can be checked before its decision is flushed.
const RECENT_LIMIT = 200_000;

/**
 * Collects decisions in memory and writes them in batches, at least every 250 ms, so the decision
 * path never waits on the database. close() flushes what is left (graceful shutdown).
 */
export class DecisionLogWriter {
  private buffer: DecisionRecord[] = [];
  private recent = new Map<string, { agentId: string; grantId: string | null }>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout;
  written = 0;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  push(record: DecisionRecord): void {
    this.buffer.push(record);
    this.recent.set(record.id, { agentId: record.agentId, grantId: record.grantId });
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
    if (this.buffer.length >= MAX_BATCH) void this.flush();
  }

  /** Who made a decision, from memory when recent, else from the store. */
  async lookup(id: string): Promise<{ agentId: string; grantId: string | null } | null> {
    const hit = this.recent.get(id);
    if (hit) return hit;
    const row = await this.db.decisionLog.findUnique({ where: { id }, select: { agentId: true, grantId: true } });
    return row ?? null;
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.buffer.length ? this.flush() : undefined));
    if (this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer.splice(0, MAX_BATCH);
    this.flushing = this.db.decisionLog
      .createMany({ data: batch, skipDuplicates: true })
      .then(() => void (this.written += batch.length))
      .catch((err) => {
        // Put the batch back in front so order holds; the next tick retries.
        this.buffer.unshift(...batch);
        console.error(`[decision-log] writing ${batch.length} decisions failed; will retry:`, (err as Error).message);
      })
      .finally(() => (this.flushing = null));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (let i = 0; i < 20 && (this.buffer.length || this.flushing); i++) await this.flush();
  }
}
