// Creates Prisma's WebAssembly schema engine (the offline stand-in for the native engine that
// `prisma migrate` would download) on top of a driver adapter, and works around the gaps the
// adapters show when the schema engine, rather than the query client, drives them.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";

export type { SchemaEngine };

// One wasm instance per process: compiling 5 MB of wasm is the slow part, engines share it.
let ready: Promise<typeof bg> | undefined;

function loadWasm(): Promise<typeof bg> {
  ready ??= (async () => {
    // Node 20 cannot `import` a .wasm without a flag (the package's schema_engine.js does), so
    // load the wasm-bindgen glue and instantiate the bytes that sit next to it ourselves.
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    // The engine arms a 10 s timer (its migration-lock timeout) on every applyMigrations and
    // never clears it, which kept scripts alive 10 s after finishing. An unref'd timer still
    // fires while work is pending but does not hold the process open.
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports)) {
      if (key.startsWith("__wbg_setTimeout_")) {
        imports[key] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
      }
    }
    // The module name must be the one the wasm was linked against.
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return ready;
}

/**
 * Runs `fn` with a fresh engine for `schema`, then frees it and closes every connection it
 * opened: freeing the wasm engine does not, and a pg pool left open blocks DROP DATABASE and
 * keeps the process alive. Engine errors are rethrown as Errors carrying the engine's message.
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  log: (line: string) => void,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const opened: SqlDriverAdapter[] = [];
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = patchPgAdapter(await connecting);
    // The engine may dispose some connections itself; closing a pg pool twice throws.
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => (disposed ??= dispose());
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(connectToShadowDb(factory)),
  };
  const { SchemaEngine } = await loadWasm();
  let engine: SchemaEngine | undefined;
  try {
    // The engine wants adapters whose methods return Result objects instead of throwing.
    const adapter = bindMigrationAwareSqlAdapterFactory(tracked);
    engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, log, adapter);
    return await fn(engine);
  } catch (e) {
    throw e instanceof Error ? e : new Error(typeof e === "string" ? e : JSON.stringify(e));
  } finally {
    engine?.free();
    for (const a of opened.reverse()) await a.dispose().catch(() => {});
  }
}

/** Shadow databases (scratch space the engine replays migrations into) that get cleaned up. */
function connectToShadowDb(factory: SqlMigrationAwareDriverAdapterFactory): Promise<SqlDriverAdapter> {
  // By name rather than instanceof, in case a bundler ends up with two copies of a package.
  if (factory.adapterName === "pglite-prisma-adapter") return pgliteShadow();
  if (factory.adapterName === "@prisma/adapter-pg") return pgShadow(factory);
  return factory.connectToShadowDb();
}

// PrismaPGlite's own shadow PGlite is never closed; its timers then hold the process open.
async function pgliteShadow(): Promise<SqlDriverAdapter> {
  const shadow = new PGlite();
  const adapter = await new PrismaPGlite(shadow).connect();
  adapter.dispose = () => (shadow.closed ? Promise.resolve() : shadow.close());
  return adapter;
}

// PrismaPg's own shadow is unsafe: it passes `{ ...config, database }` to pg, where a
// connectionString wins over `database`, so the engine replayed the migrations into the *main*
// database. It also never closes the pool it used for CREATE DATABASE.
async function pgShadow(factory: SqlMigrationAwareDriverAdapterFactory): Promise<SqlDriverAdapter> {
  const config = (factory as unknown as { config: pg.PoolConfig }).config;
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  const admin = new pg.Client(config);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    let connectionString = config.connectionString;
    if (connectionString) {
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      connectionString = url.toString();
    }
    const adapter = await new PrismaPg({ ...config, connectionString, database: name }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await admin.end();
      }
    };
    return adapter;
  } catch (e) {
    await admin.end();
    throw e;
  }
}

/**
 * Two gaps in @prisma/adapter-pg that only the schema engine hits (PGlite's adapter has neither):
 * - executeScript splits the script on every ";", even inside $$ function bodies, so a migration
 *   with PL/pgSQL fails ("unterminated dollar-quoted string"). Send the script whole instead, as
 *   the native engine does: pg runs multi-statement text through the simple-query protocol.
 * - it rejects columns of type "char" (OID 18), which the engine's catalog queries return
 *   (relkind, contype, ...), so describing the database fails. Report them as text.
 */
function patchPgAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.adapterName !== "@prisma/adapter-pg") return adapter;
  const pgAdapter = adapter as SqlDriverAdapter & {
    underlyingDriver(): { query(sql: string): Promise<unknown> };
    onError(e: unknown): never; // turns a pg error into the DriverAdapterError the engine reads
    performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }>;
  };
  const driver = pgAdapter.underlyingDriver();
  adapter.executeScript = async (script) => {
    await driver.query(script).catch((e: unknown) => pgAdapter.onError(e));
  };
  const performIO = pgAdapter.performIO.bind(pgAdapter);
  pgAdapter.performIO = async (query) => {
    const result = await performIO(query);
    for (const f of result.fields) if (f.dataTypeID === 18) f.dataTypeID = 25; // "char" -> text
    return result;
  };
  return adapter;
}
