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

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The columns worth statistics: all but json and jsonb ones. No query filters or sorts on a whole
 * JSON column (the audit browser's `after->'tool'` is an expression, which column statistics do
 * not inform), and computing theirs reads every sampled document: on 569,000 decisions and
 * 433,000 audit events, leaving them out took ANALYZE from 100 to 60 ms and from 68 to 51 ms,
 * time in which PGlite answers nothing else (rate-limit counters, approval requests).
 */
async function statColumns(db: Db, table: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ attname: string }[]>(
    `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
       AND atttypid NOT IN ('json'::regtype, 'jsonb'::regtype) ORDER BY attnum`,
    quote(table),
  );
  return rows.map((r) => r.attname);
}

/**
 * ANALYZEs the stale tables, one transaction each. The sample has a fixed size, so the cost does
 * not grow much with the table, but on PGlite it holds the store (50–100 ms for a large table,
 * over a second on a loaded machine), which is why it runs only when a table grew by a tenth.
 * ANALYZE with a column list still refreshes the table's row and page counts.
 */
export async function analyzeStaleTables(db: Db): Promise<string[]> {
  const tables = await staleTables(db);
  for (const t of tables) {
    const columns = await statColumns(db, t);
    const target = columns.length ? `${quote(t)} (${columns.map(quote).join(", ")})` : quote(t);
    await db.$transaction([db.$executeRawUnsafe(`SET LOCAL default_statistics_target = ${STATISTICS_TARGET}`), db.$executeRawUnsafe(`ANALYZE ${target}`)]);
  }
  return tables;
}
