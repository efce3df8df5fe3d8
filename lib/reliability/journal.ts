import { mkdirSync } from "node:fs";
import { open, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { AuditInput } from "@/lib/audit/event";
import type { DecisionRecord } from "@/lib/dataplane/decision-log";

export type JournalEntry =
  | { kind: "decision"; record: DecisionRecord }
  /** `id` is the idempotency key that makes a replay append the event exactly once. */
  | { kind: "audit"; id: string; input: AuditInput; webhook?: { event: string; message: Record<string, unknown> } };

// At most this long between an append and its fsync: records are batched into one write and
// one fsync per interval, so an outage at thousands of decisions per second costs ~10 fsyncs/s.
export const SYNC_MS = 100;
const ACTIVE = "journal.jsonl";
// A file being replayed: renamed away from the active one so appends during the replay go to a
// fresh file and the replayed one can be deleted whole once the store has it.
const REPLAYING = "journal.replaying.jsonl";

/**
 * The local append-only journal for decision-log and audit records that cannot reach the store
 * (JSON lines under GOVERNOR_DATA_DIR/journal). Appends are buffered and fsync'd in batches;
 * `replay` hands the entries to the store in order and removes the file only after the store has
 * committed them all, so a crash at any point loses nothing already synced, and replaying twice
 * writes nothing twice (the writer is idempotent by decision id and audit key).
 */
export class Journal {
  private queued: string[] = [];
  private waiters: (() => void)[] = [];
  private handle: FileHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Entries appended to the active file (or queued for it) since it was last rotated away. */
  private activeCount = 0;
  private replaying = false;
  /** A replay file an earlier run did not finish. */
  private leftover = false;
  synced = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get activePath(): string {
    return path.join(this.dir, ACTIVE);
  }

  /** True while anything waits for the store: decisions must queue behind it to keep order. */
  get backlog(): boolean {
    return this.activeCount > 0 || this.replaying || this.leftover;
  }

  /** Counts what an earlier run left behind (a crash or a shutdown while the store was down). */
  async recover(): Promise<number> {
    const left = await this.readFile(path.join(this.dir, REPLAYING));
    const active = await this.readFile(this.activePath);
    this.leftover = await exists(path.join(this.dir, REPLAYING));
    this.activeCount += active.length;
    return left.length + active.length;
  }

  /** Queues entries; resolves once they are on disk (fsync'd). */
  append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    for (const e of entries) this.queued.push(JSON.stringify(e) + "\n");
    this.activeCount += entries.length;
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.timer ??= setTimeout(() => void this.sync(), SYNC_MS);
    return done;
  }

  /** Writes and fsyncs everything queued now. */
  sync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const lines = this.queued.splice(0);
    const waiters = this.waiters.splice(0);
    this.writing = this.writing.then(async () => {
      if (lines.length) {
        this.handle ??= await open(this.activePath, "a");
        await this.handle.appendFile(lines.join(""));
        await this.handle.sync();
        this.synced += lines.length;
      }
      for (const w of waiters) w();
    });
    return this.writing;
  }

  /**
   * Hands every journaled entry to `write` in order, oldest file first, and deletes each file only
   * after `write` resolved for all of its entries. Appends made meanwhile go to a fresh file and
   * are replayed by the next round, until none are left.
   */
  async replay(write: (entries: JournalEntry[]) => Promise<void>): Promise<number> {
    if (this.replaying) return 0;
    this.replaying = true;
    let total = 0;
    try {
      for (;;) {
        const pending = path.join(this.dir, REPLAYING);
        if (!(await exists(pending))) {
          await this.sync();
          if (this.activeCount === 0 && !(await exists(this.activePath))) break;
          await this.handle?.close();
          this.handle = null;
          this.activeCount = 0;
          if (await exists(this.activePath)) await rename(this.activePath, pending);
          else continue;
        }
        this.leftover = true; // until the store has all of it, even if this replay fails
        const entries = await this.readFile(pending);
        await write(entries);
        await rm(pending);
        this.leftover = false;
        total += entries.length;
      }
    } finally {
      this.replaying = false;
    }
    return total;
  }

  async close(): Promise<void> {
    await this.sync();
    await this.handle?.close();
    this.handle = null;
  }

  /** Parses a journal file; a torn last line (a crash mid-write, never synced) is dropped. */
  private async readFile(file: string): Promise<JournalEntry[]> {
    if (!(await exists(file))) return [];
    const lines = (await readFile(file, "utf8")).split("\n");
    const out: JournalEntry[] = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line) as JournalEntry);
      } catch {
        const last = i >= lines.length - 2;
        console.error(`[journal] ${last ? "dropping a torn last line" : `skipping an unreadable line ${i + 1}`} in ${file}`);
      }
    });
    return out;
  }
}

const exists = (file: string) => stat(file).then(() => true, () => false);
