import { EventEmitter } from "node:events";
import { AppError, isAppError } from "@/lib/errors";

export const DB_UNREACHABLE_MESSAGE = "The database is unreachable; no change was made. Decisions continue from the last policy snapshot; try again once it is back.";
const DB_UNREACHABLE_READ = "The database is unreachable, so this cannot be read now. Decisions continue from the last policy snapshot; try again once it is back.";

// Prisma codes that mean "could not talk to the database", not "the database said no".
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_UNREACHABLE = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
const NODE_UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P03"]);
const MESSAGE_UNREACHABLE = /Connection terminated|timeout exceeded when trying to connect|Server has closed the connection|Can't reach database|Unable to start a transaction in the given time|Client has encountered a connection error|database is unreachable/i;

/** True when an error means the store could not be reached (as opposed to a query it refused). */
export function isStoreUnreachable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  if (isAppError(err)) return err.code === "unavailable" && err.details?.reason === "database_unreachable";
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string } } }; message?: unknown; cause?: unknown };
  if (typeof e.code === "string" && (PRISMA_UNREACHABLE.has(e.code) || NODE_UNREACHABLE.has(e.code))) return true;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (kind && ADAPTER_UNREACHABLE.has(kind)) return true;
  if (typeof e.message === "string" && MESSAGE_UNREACHABLE.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isStoreUnreachable(e.cause);
}

/** The 503 every store-backed request gets while the database is unreachable; reads say so differently. */
export const storeUnavailableError = (read = false) =>
  new AppError("unavailable", read ? DB_UNREACHABLE_READ : DB_UNREACHABLE_MESSAGE, { retryAfterSeconds: 5, details: { reason: "database_unreachable" } });

export interface StoreHealthState {
  up: boolean;
  since: string;
  detail: string | null;
}

/**
 * Whether this instance can reach its database, from a `SELECT 1` probe every second with a
 * deadline, plus failures the callers report (which trigger a probe at once rather than waiting
 * for the next tick). Two failed probes in a row mark it down; one answered probe marks it up.
 * While down, the decision path and the console's mutations consult this instead of waiting on
 * a connection that will not come.
 */
export class StoreHealth {
  private up = true;
  private since = Date.now();
  private detail: string | null = null;
  private probing: Promise<void> | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly events = new EventEmitter();

  constructor(private readonly probe: () => Promise<unknown>, private readonly opts: { intervalMs: number; timeoutMs: number }) {}

  start(): this {
    this.timer = setInterval(() => void this.check(), this.opts.intervalMs);
    this.timer.unref();
    return this;
  }

  get isUp(): boolean {
    return this.up;
  }

  state(): StoreHealthState {
    return { up: this.up, since: new Date(this.since).toISOString(), detail: this.detail };
  }

  /** Called with any error from the store; unreachable ones trigger an immediate probe. */
  report(err: unknown): void {
    if (isStoreUnreachable(err)) void this.check();
  }

  /** Runs one probe (coalesced with one already running). */
  check(): Promise<void> {
    this.probing ??= this.runProbe().finally(() => (this.probing = null));
    return this.probing;
  }

  onChange(fn: (s: StoreHealthState) => void): () => void {
    this.events.on("change", fn);
    return () => this.events.off("change", fn);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async runProbe(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    });
    try {
      await Promise.race([this.probe(), deadline]);
      this.failures = 0;
      this.set(true, null);
    } catch (err) {
      // Two failures in a row, so one probe starved on a loaded machine is not an outage.
      if (++this.failures >= 2) this.set(false, (err as Error).message?.split("\n").filter(Boolean).pop()?.slice(0, 300) ?? "probe failed");
      else setTimeout(() => void this.check(), 100).unref();
    } finally {
      clearTimeout(timer);
    }
  }

  private set(up: boolean, detail: string | null): void {
    if (up === this.up) return;
    this.up = up;
    this.since = Date.now();
    this.detail = detail;
    this.events.emit("change", this.state());
  }
}
