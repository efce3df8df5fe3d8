// Proves the committed migrations apply cleanly, leave no drift against schema.prisma, are
// idempotent, and install the append-only audit trigger: on PGlite in the PGlite pass, and on
// PostgreSQL in the PostgreSQL pass (GOVERNOR_TEST_STORE=postgres; a throwaway database each run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, createMigration, diffAgainstSchema } from "./migrate";

type Sql = (text: string) => Promise<{ rows: unknown[] }>;

/** Runs every check; returns how long the first applyMigrations took, in ms. */
async function checkMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory, sql: Sql) {
  const started = performance.now();
  const first = await applyMigrations({ adapterFactory });
  const ms = Math.round(performance.now() - started);
  assert.ok(first.applied.length > 0, "an empty database gets every migration");
  assert.match(first.applied[0]!, /^\d{14}_init$/);

  assert.equal((await diffAgainstSchema({ adapterFactory })).trim(), "", "no drift");
  assert.deepEqual(await applyMigrations({ adapterFactory }), { applied: [] }, "idempotent");
  // The migrations directory already matches schema.prisma, so there is nothing to create.
  assert.equal(await createMigration({ adapterFactory, name: "noop" }), null);

  const gen = await sql(`SELECT "id","value" FROM "Generation"`);
  assert.deepEqual(gen.rows, [{ id: 1, value: 0 }], "Generation singleton seeded");

  await sql(
    `INSERT INTO "AuditEvent" ("seq","at","actorType","actorId","actorName","action","target","prevHash","hash")
     VALUES (1, now(), 'system', 'test', 'test', 'test.event', 'x', 'genesis', 'h1')`,
  );
  const refused = /AuditEvent is append-only/;
  await assert.rejects(sql(`UPDATE "AuditEvent" SET "target" = 'y' WHERE "seq" = 1`), refused);
  await assert.rejects(sql(`DELETE FROM "AuditEvent" WHERE "seq" = 1`), refused);
  await assert.rejects(sql(`TRUNCATE "AuditEvent"`), refused);
  return ms;
}

const onPostgres = process.env.GOVERNOR_TEST_STORE === "postgres";

if (!onPostgres) test("migrations on PGlite", async (t) => {
  const db = new PGlite();
  await db.waitReady; // PGlite's own start-up (~1.5 s) is not migration time
  try {
    const ms = await checkMigrations(new PrismaPGlite(db), (text) => db.query(text));
    t.diagnostic(`applyMigrations on an empty PGlite: ${ms} ms (includes compiling the engine)`);
  } finally {
    await db.close();
  }
});

const adminUrl = process.env.TEST_DATABASE_URL;

if (onPostgres) test("migrations on PostgreSQL", async (t) => {
  assert.ok(adminUrl, "GOVERNOR_TEST_STORE=postgres needs TEST_DATABASE_URL");
  // A fresh database per run: migrations must start from empty, and runs must not collide.
  const name = `governor_mig_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const ms = await checkMigrations(new PrismaPg({ connectionString: url.toString() }), (text) =>
      client.query(text),
    );
    t.diagnostic(`applyMigrations on an empty PostgreSQL database: ${ms} ms`);
  } finally {
    await client.end().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
});
