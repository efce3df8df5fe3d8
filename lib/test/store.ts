// Test stores: in-memory PGlite by default; a fresh PostgreSQL database per call when the suite
// runs with GOVERNOR_TEST_STORE=postgres (scripts/test.sh sets it from TEST_DATABASE_URL).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "@/lib/db/store";

process.env.GOVERNOR_SECRET ??= "test-secret-for-session-cookies-0123456789";

export const onPostgres = () => process.env.GOVERNOR_TEST_STORE === "postgres";

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("GOVERNOR_TEST_STORE=postgres needs TEST_DATABASE_URL");
  return url;
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `governor_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestStore extends Store {
  /** URL of the PostgreSQL database, when on PostgreSQL. */
  databaseUrl?: string;
}

/** A migrated, empty store of the kind this run tests. `close()` also drops a PostgreSQL database. */
export async function openTestStore(opts: { dataDir?: string } = {}): Promise<TestStore> {
  if (!onPostgres()) return openStore({ dataDir: opts.dataDir });
  const db = await createPostgresDatabase();
  const store = await openStore({ databaseUrl: db.url });
  return {
    ...store,
    databaseUrl: db.url,
    close: async () => {
      await store.close();
      await db.drop();
    },
  };
}
