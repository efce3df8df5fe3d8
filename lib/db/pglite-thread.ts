import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { messages, type PGlite } from "@electric-sql/pglite";

/*
 * PGlite on its own thread. PGlite is PostgreSQL compiled to WebAssembly and runs on the thread
 * that owns it: on the main thread every statement (the decision log's inserts, the audit seal,
 * an ANALYZE) held up every request queued behind it, and the database had no use of the
 * machine's other cores. Here a worker thread owns it and this proxy offers the part of PGlite's
 * interface that the store uses (query, exec, transaction, listen, close), so Prisma's PGlite
 * adapter, raw queries and LISTEN work unchanged. Measured in docs/BENCHMARKS.md (§2f).
 */

type Row = Record<string, unknown>;
type Results<T = Row> = { rows: T[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number };
type Parser = (value: string, typeId: number) => unknown;
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Record<number, Parser> };
interface Reply { id?: number; type?: string; result?: unknown; error?: SerializedError; listenId?: number; payload?: string }
type SerializedError = { message: string; stack?: string; isDatabaseError?: boolean; length?: number; name?: string } & Record<string, unknown>;

export interface PGliteTx {
  query<T = Row>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  rollback(): Promise<void>;
}

/** The plain JavaScript worker sits beside this file in the source tree. */
function workerFile(): string {
  const candidates = [path.join(path.dirname(fileURLToPath(import.meta.url)), "pglite-worker.mjs"), path.resolve("lib/db/pglite-worker.mjs")];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`The PGlite worker script was not found (looked in ${candidates.join(", ")}).`);
  return found;
}

function toError(e: SerializedError): Error {
  if (e.isDatabaseError) {
    // Prisma's PGlite adapter maps only DatabaseError to its own error codes (unique violations…).
    const err = new messages.DatabaseError(e.message, e.length ?? 0, (e.name ?? "error") as "error");
    for (const [k, v] of Object.entries(e)) if (!["message", "stack", "isDatabaseError", "length", "name"].includes(k) && v !== undefined) (err as unknown as Record<string, unknown>)[k] = v;
    return err;
  }
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

export class PGliteThread {
  private readonly worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Map<number, (payload: string) => void>();
  private dead: Error | null = null;
  private inFlight = 0;
  readonly waitReady: Promise<void>;

  constructor(dataDir?: string, startParams?: string[]) {
    this.worker = new Worker(workerFile(), { workerData: { dataDir, startParams } });
    this.worker.unref(); // held only while calls are in flight (see call())
    this.waitReady = new Promise((resolve, reject) => {
      if (this.inFlight++ === 0) this.worker.ref();
      const settle = (err?: Error) => {
        this.worker.off("message", onReady).off("error", settle).off("exit", onExit);
        this.release();
        if (err) reject(err);
        else resolve();
      };
      const onReady = (m: Reply) => {
        if (m.type === "ready") settle();
        else if (m.type === "failed") settle(toError(m.error!));
      };
      const onExit = (code: number) => settle(new Error(`The database thread exited during start-up (code ${code}).`));
      this.worker.on("message", onReady).on("error", settle).on("exit", onExit);
    });
    this.worker.on("message", (m: Reply) => {
      if (m.type === "notify") return this.listeners.get(m.listenId!)?.(m.payload!);
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.release();
      if (m.error) p.reject(toError(m.error));
      else p.resolve(m.result);
    });
    const fail = (err: Error) => {
      this.dead = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on("error", (err) => fail(new Error(`The database thread failed: ${err.message}`)));
    this.worker.on("exit", (code) => fail(new Error(`The database thread exited (code ${code}).`)));
  }

  // While a call is in flight the worker keeps the process alive, as a socket to a database would;
  // when idle it does not, so a script that forgets close() still exits.
  private release(): void {
    if (--this.inFlight === 0) this.worker.unref();
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    if (this.inFlight++ === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private async runQuery<T>(txId: number | undefined, sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const parsers = options?.parsers;
    const rawOids = parsers ? Object.keys(parsers).map(Number) : undefined;
    const result = await this.call<Results<T>>({ op: "query", txId, sql, params, rowMode: options?.rowMode, rawOids });
    if (parsers && result.rows.length) applyParsers(result as Results<unknown>, parsers, options?.rowMode === "array");
    return result;
  }

  query<T = Row>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.runQuery<T>(undefined, sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.call({ op: "exec", sql });
  }

  /** Runs `fn` in one transaction on the database thread: committed if it resolves, else rolled back. */
  async transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T> {
    const txId = this.nextId++;
    await this.call({ op: "begin", txId });
    const tx: PGliteTx = {
      query: (sql, params, options) => this.runQuery(txId, sql, params, options),
      exec: (sql) => this.call({ op: "exec", txId, sql }),
      rollback: () => this.call({ op: "rollback", txId }),
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await this.call({ op: "end", txId, ok: false }).catch(() => {});
      throw err;
    }
    await this.call({ op: "end", txId, ok: true });
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    const listenId = this.nextId++;
    this.listeners.set(listenId, callback);
    await this.call({ op: "listen", channel, listenId });
    return async () => {
      this.listeners.delete(listenId);
      if (!this.dead) await this.call({ op: "unlisten", listenId });
    };
  }

  private closing: Promise<void> | null = null;
  /** Closes the database (flushing it to disk) and ends the thread; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.dead) await this.call({ op: "close" }).catch(() => {});
      this.dead ??= new Error("The database is closed.");
      await this.worker.terminate();
    })();
    return this.closing;
  }

  /** For Prisma's PGlite adapter, which is typed against PGlite itself. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}

function applyParsers(result: Results<unknown>, parsers: Record<number, Parser>, arrays: boolean): void {
  const cols = result.fields.map((f, i) => ({ i, name: f.name, oid: f.dataTypeID, parse: parsers[f.dataTypeID] })).filter((c) => c.parse);
  if (cols.length === 0) return;
  for (const row of result.rows) {
    for (const c of cols) {
      if (arrays) {
        const r = row as unknown[];
        if (r[c.i] !== null) r[c.i] = c.parse!(r[c.i] as string, c.oid);
      } else {
        const r = row as Record<string, unknown>;
        if (r[c.name] !== null) r[c.name] = c.parse!(r[c.name] as string, c.oid);
      }
    }
  }
}
