import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { GENERATION_CHANNEL } from "@/lib/db/generation";
import { EventBus } from "@/lib/events";
import { registerBus } from "@/lib/db/bus-of";
import { PGliteThread } from "@/lib/db/pglite-thread";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  kind: StoreKind;
  prisma: Db;
  bus: EventBus;
  /** Runs raw SQL with no Prisma involved (tests, maintenance scripts). */
  rawQuery(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** postgresql://… selects PostgreSQL; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; undefined keeps the database in memory (tests). */
  dataDir?: string;
  migrate?: boolean;
  log?: (msg: string) => void;
  /** PostgreSQL: how long to wait for a new connection before failing (GOVERNOR_DB_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** PGlite: run the database on its own thread (default) or on the caller's (GOVERNOR_PGLITE_THREAD=main). */
  pgliteThread?: "worker" | "main";
  /** PGlite: its buffer pool in MiB (GOVERNOR_PGLITE_SHARED_BUFFERS_MB); undefined keeps PGlite's 128. */
  pgliteSharedBuffersMb?: number;
}

/** GOVERNOR_PGLITE_THREAD: "worker" (default) or "main"; anything else is refused at start-up. */
export function pgliteThreadFromEnv(value = process.env.GOVERNOR_PGLITE_THREAD): "worker" | "main" {
  if (value === undefined || value === "" || value === "worker") return "worker";
  if (value === "main") return "main";
  throw new Error(`GOVERNOR_PGLITE_THREAD must be "worker" or "main", not "${value}".`);
}

function parseGeneration(payload: string, bus: EventBus): void {
  const generation = Number(payload);
  if (Number.isFinite(generation)) bus.emitGeneration({ generation });
}

async function openPglite(opts: OpenStoreOptions): Promise<Store> {
  if (opts.dataDir) mkdirSync(path.resolve(opts.dataDir), { recursive: true });
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  // PGlite touches its whole buffer pool when it starts, so shared_buffers is resident memory
  // from the first second (128 MiB by default: about 100 MiB of RSS over 16 MiB). A smaller pool
  // sends more page reads to the file system.
  const startParams = opts.pgliteSharedBuffersMb === undefined ? undefined : [...PGlite.defaultStartParams, "-c", `shared_buffers=${opts.pgliteSharedBuffersMb}MB`];
  const thread = (opts.pgliteThread ?? pgliteThreadFromEnv()) === "worker" ? new PGliteThread(dataDir, startParams) : null;
  const db = thread ? thread.asPGlite() : new PGlite({ dataDir, startParams });
  await db.waitReady;
  const factory = new PrismaPGlite(db);
  if (opts.migrate !== false) await applyMigrations({ adapterFactory: factory, log: opts.log });
  const bus = new EventBus();
  // NOTIFY is transactional, so listeners hear a generation only once its change committed.
  const unlisten = await db.listen(GENERATION_CHANNEL, (payload) => parseGeneration(payload, bus));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  registerBus(prisma, bus);
  return {
    kind: "pglite",
    prisma,
    bus,
    rawQuery: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
    close: async () => {
      await unlisten();
      await prisma.$disconnect();
      await db.close(); // on a worker, also ends the thread
    },
  };
}

/** One dedicated connection per instance LISTENs; it reconnects with backoff if cut. */
function listenPostgres(url: string, bus: EventBus, log: (m: string) => void) {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 100;
  let retry: NodeJS.Timeout | undefined;
  let attempt: Promise<void>;
  const reconnect = () => {
    if (!closed) retry = setTimeout(() => void (attempt = connect()), (delay = Math.min(delay * 2, 5000)));
  };
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true });
    c.on("notification", (n) => n.payload && parseGeneration(n.payload, bus));
    c.on("error", (err) => {
      log(`generation listener lost its connection: ${err.message}`);
      c.end().catch(() => {});
      reconnect();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${GENERATION_CHANNEL}`);
      // The store may have closed while this connection was being made. Kept, it would hold
      // the process open after everything else has stopped (a test file that never exits).
      if (closed) return void (await c.end().catch(() => {}));
      client = c;
      delay = 100;
    } catch (err) {
      log(`generation listener could not connect: ${(err as Error).message}`);
      c.end().catch(() => {});
      reconnect();
    }
  };
  attempt = connect();
  return {
    ready: attempt,
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await attempt; // one in flight ends its own connection (above); bounded by its timeout
      await client?.end().catch(() => {});
    },
  };
}

// Instances starting together must not apply the same migration twice: one session-level
// advisory lock (distinct from the one the schema engine may take itself) makes them take turns.
const MIGRATION_LOCK = 7_446_002;

async function migrateUnderLock(url: string, log: (m: string) => void): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  lock.on("error", (e) => log(`migration lock connection: ${e.message}`));
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await applyMigrations({ adapterFactory: new PrismaPg({ connectionString: url }), log });
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await lock.end();
  }
}

async function openPostgres(url: string, opts: OpenStoreOptions): Promise<Store> {
  const log = opts.log ?? (() => {});
  if (opts.migrate !== false) await migrateUnderLock(url, log);
  const bus = new EventBus();
  const listener = listenPostgres(url, bus, log);
  await listener.ready;
  // Bounded connects (GOVERNOR_DB_TIMEOUT_MS) so a database that stops answering fails a request
  // instead of hanging it; keep-alive so a connection cut silently is noticed.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
  // An idle connection that the server drops (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on("error", (err) => log(`idle database connection lost: ${err.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  registerBus(prisma, bus);
  return {
    kind: "postgres",
    prisma,
    bus,
    rawQuery: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
    close: async () => {
      await listener.close();
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

export function openStore(opts: OpenStoreOptions): Promise<Store> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}
