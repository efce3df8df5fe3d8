import type { Db } from "@/lib/db/client";

// Embedded PGlite has no autovacuum, so without this the planner never gets statistics: on a
// million audit events it guessed a prefix filter matched 0.5 % of rows instead of 25 %, chose a
// bitmap scan plus sort over 60,000 rows, and the audit browser's filtered page took 200–440 ms
// instead of 1–3 ms (docs/BENCHMARKS-AUDIT.md). PostgreSQL's own autovacuum does this there.

/** Autovacuum's default rule: re-analyze once a table has grown by 10 % (here in pages) plus a little. */
const GROWTH = 0.1;
const SLACK_PAGES = 8;

type Row = { relname: string; relpages: number; reltuples: number; pages: number };

/** Tables whose statistics are missing or stale: never analyzed, or grown past the threshold since. */
export async function staleTables(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(`
    SELECT c.relname, c.relpages::int AS relpages, c.reltuples::float8 AS reltuples,
           (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname = current_schema()`);
  return rows
    .filter((r) => (r.reltuples < 0 && r.pages > 0) || r.pages > r.relpages * (1 + GROWTH) + SLACK_PAGES)
    .map((r) => r.relname);
}

// ANALYZE samples 300 × this many rows. PostgreSQL's default (100) sampled 30,000 rows of a
// million-row audit log in 2.3 s on PGlite on a loaded machine; 20 took half that and still put
// the planner within 25 % on the audit browser's prefix filters, which is all the plans need.
const STATISTICS_TARGET = 20;

/**
 * ANALYZEs the stale tables, one transaction each. The sample has a fixed size, so the cost does
 * not grow with the table, but on PGlite it runs on this process's event loop (0.5–1 s for a large
 * table), which is why it runs only when a table grew by a tenth.
 */
export async function analyzeStaleTables(db: Db): Promise<string[]> {
  const tables = await staleTables(db);
  for (const t of tables) {
    await db.$transaction([db.$executeRawUnsafe(`SET LOCAL default_statistics_target = ${STATISTICS_TARGET}`), db.$executeRawUnsafe(`ANALYZE "${t.replace(/"/g, '""')}"`)]);
  }
  return tables;
}
