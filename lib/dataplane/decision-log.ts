import type { Db } from "@/lib/db/client";
import { insertSealed } from "@/lib/audit/seal";
import { urgentWritesRecently } from "@/lib/db/write-pressure";

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
  /** Calibration: the runtime model's and the agent's predicted blast radius (primitives, issue #9). */
  serverBlastRadius?: number | null;
  agentBlastRadius?: number | null;
  /** False when the verdict did not bind (advisory agent). */
  enforced?: boolean | null;
}

const FLUSH_MS = 250;
// Rows per sealed write (one statement). On PGlite every other statement (an approval request, a
// token lookup) waits while it runs, at 30–50 µs a row: 1,000 rows hold the store 30–50 ms. A
// larger backlog drains batch after batch, with the queued statements in between.
const MAX_BATCH = 1000;
// Rows per sealed write while approval requests are being written on the same store: each of
// those waits for the write in progress, so the writer keeps it short (lib/db/write-pressure.ts).
// Not always: every write has a fixed cost (its chain entry, batch and checkpoint), and 250 a
// batch cost the mix without approvals 10–20 % of its throughput (docs/BENCHMARKS.md §2i).
const URGENT_BATCH = 250;

// Recently decided ids, so an outcome report can be checked before its decision is flushed.
const RECENT_LIMIT = 200_000;

/**
 * Collects decisions in memory and writes them in batches, at least every 250 ms, so the decision
 * path never waits on the database. Each batch is sealed into the audit chain as it is written
 * (lib/audit/seal.ts). close() flushes what is left (graceful shutdown).
 */
export class DecisionLogWriter {
  private buffer: DecisionRecord[] = [];
  private recent = new Map<string, { agentId: string; grantId: string | null }>();
  private flushing: Promise<void> | null = null;
  private uncertain = false;
  private timer: NodeJS.Timeout;
  written = 0;
  /** Takes a batch elsewhere (the local journal while the store is down), or returns null. */
  divert: ((batch: DecisionRecord[]) => Promise<void> | null) | null = null;

  constructor(private readonly db: Db) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  push(record: DecisionRecord): void {
    this.buffer.push(record);
    this.recent.set(record.id, { agentId: record.agentId, grantId: record.grantId });
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
    if (this.buffer.length >= MAX_BATCH && !this.flushing) void this.flush();
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
    const size = urgentWritesRecently(this.db) ? URGENT_BATCH : MAX_BATCH;
    const batch = this.buffer.splice(0, size);
    let wrote = false;
    this.flushing = (this.divert?.(batch) ?? this.writeSealed(batch).then((ok) => void (wrote = ok))).finally(() => {
      this.flushing = null;
      // A backlog drains without waiting for the timer; after a failure the timer paces retries.
      if (wrote && this.buffer.length >= size) void this.flush();
    });
    return this.flushing;
  }

  private async writeSealed(batch: DecisionRecord[]): Promise<boolean> {
    try {
      // After a failed write the commit may still have happened (a connection lost at COMMIT):
      // leave out what the store already has, or the retry would fail on its ids forever.
      const rows = this.uncertain ? await this.notYetStored(batch) : batch;
      await insertSealed(this.db, rows);
      this.uncertain = false;
      this.written += batch.length;
      return true;
    } catch (err) {
      // Put the batch back in front so order holds; the next tick retries.
      this.uncertain = true;
      this.buffer.unshift(...batch);
      console.error(`[decision-log] writing ${batch.length} decisions failed; will retry:`, (err as Error).message);
      return false;
    }
  }

  private async notYetStored(batch: DecisionRecord[]): Promise<DecisionRecord[]> {
    const found = await this.db.decisionLog.findMany({ where: { id: { in: batch.map((r) => r.id) } }, select: { id: true } });
    const stored = new Set(found.map((r) => r.id));
    return batch.filter((r) => !stored.has(r.id));
  }

  /** Flushes everything buffered (graceful shutdown), stopping only if writes keep failing. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    let failures = 0;
    while ((this.buffer.length || this.flushing) && failures < 5) {
      const before = this.written;
      await this.flush();
      if (this.written === before && this.buffer.length) failures++;
    }
    if (this.buffer.length) console.error(`[decision-log] ${this.buffer.length} decisions could not be written at shutdown.`);
  }
}
