import type { Db } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append";
import { leafHash, merkleRoot } from "@/lib/audit/merkle";
import { SYSTEM } from "@/lib/auth/principal";
import { decisionLeaf, decisionLeafHash, type DecisionRow } from "@/lib/audit/decision-leaf";

export const SEAL_BATCH_MAX = 10_000;
// Only one instance seals stray rows at a time; the others skip the tick.
const SEAL_LOCK = 7_446_004;

export { decisionLeaf };

// Every column but the seal's two, which the insert sets itself.
const LOG_COLUMNS = `"id","at","agentId","tenant","session","tool","request","decision","primitive","reasons","policyVersion","generation","cohort","latencyUs","tokenId","grantId","failsafe","serverBlastRadius","agentBlastRadius","enforced"`;
// An absent "failsafe" is false, as the column's default would make it (the list names it).
const SEALED_INSERT = `INSERT INTO "DecisionLog" (${LOG_COLUMNS}, "batchId", "batchIndex")
  SELECT ${LOG_COLUMNS.replace('"failsafe"', 'coalesce("failsafe", false)')}, $2::int, (r."ordinality" - 1 + $3::int)::int
  FROM json_populate_recordset(NULL::"DecisionLog", $1::json) WITH ORDINALITY AS r`;
// Rows per INSERT statement: one message to the database thread stays small.
const INSERT_CHUNK = 500;

/** A decision in the form insertSealed writes: its row as JSON and its Merkle leaf. */
export interface PreparedDecision {
  id: string;
  at: string;
  json: string;
  leaf: Buffer;
}

/**
 * Serialises and hashes one decision. The writer calls this as each decision is logged, so the
 * work is spread over the requests instead of arriving as one burst per flush on the event loop
 * that answers them. JCS gives plain data the same text as its JSON round trip through the store,
 * which lib/dataplane/decision-log.test.ts checks against the stored rows.
 */
export function prepareDecision(row: DecisionRow): PreparedDecision {
  return { id: row.id, at: typeof row.at === "string" ? row.at : row.at.toISOString(), json: JSON.stringify(row), leaf: decisionLeafHash(row) };
}

/**
 * Writes a batch of decisions already sealed: one transaction appends the `decisions.seal` chain
 * entry with their Merkle root, creates the batch and inserts the rows with their batch id and
 * leaf index. The seal then needs no read-back of the rows and no second write to them, which on
 * PGlite were the longest statements on the decision path (docs/BENCHMARKS.md). The statements
 * follow each other without a pause: PGlite has one connection, so everything else waits while
 * this transaction is open; the writer keeps batches small instead. All or nothing: a failure
 * leaves no rows, batch or chain entry, and the caller retries.
 */
export async function insertSealed(db: Db, rows: readonly PreparedDecision[]): Promise<number> {
  if (rows.length === 0) return 0;
  const chunks: string[] = [];
  let firstAt = "";
  let lastAt = "";
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    let text = "[";
    for (let j = i; j < Math.min(i + INSERT_CHUNK, rows.length); j++) {
      const { at, json } = rows[j]!;
      if (!firstAt || at < firstAt) firstAt = at;
      if (at > lastAt) lastAt = at;
      text += j === i ? json : "," + json;
    }
    chunks.push(text + "]");
  }
  const root = merkleRoot(rows.map((r) => r.leaf)).toString("hex");
  const firstId = rows[0]!.id;
  const lastId = rows[rows.length - 1]!.id;
  await db.$transaction(
    async (tx) => {
      // A background write must not sit on a pooled connection for long while it waits for the
      // chain lock: on PostgreSQL, writers queued that way can leave the requests that hold the
      // lock no connection to finish with. Past 5 s it gives up and the next flush retries.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '5s'`);
      const event = await appendAudit(tx, {
        actor: SYSTEM.actor,
        action: "decisions.seal",
        target: "decisions",
        after: { count: rows.length, root, merkle: "rfc6962-sha256", firstId, lastId, firstAt, lastAt },
      });
      const batch = await tx.decisionBatch.create({ data: { auditSeq: event.seq, root, count: rows.length, firstAt: new Date(firstAt), lastAt: new Date(lastAt) } });
      for (let c = 0; c < chunks.length; c++) await tx.$executeRawUnsafe(SEALED_INSERT, chunks[c], batch.id, c * INSERT_CHUNK);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
  return rows.length;
}

/**
 * Seals decisions that reached the store unsealed (replayed from the local journal after an
 * outage, say): the oldest, up to 10,000, as one chain entry, `decisions.seal`, carrying their
 * Merkle root; each records its batch and leaf index so an inclusion proof can be built later.
 * Bookkeeping, not a policy change: no generation bump.
 */
export async function sealTick(db: Db): Promise<number> {
  return db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SEAL_LOCK}) AS ok`;
      if (!locked[0]?.ok) return 0;
      const rows = (await tx.decisionLog.findMany({ where: { batchId: null }, orderBy: [{ at: "asc" }, { id: "asc" }], take: SEAL_BATCH_MAX })) as DecisionRow[];
      if (rows.length === 0) return 0;
      const root = merkleRoot(rows.map((r) => leafHash(decisionLeaf(r)))).toString("hex");
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      const firstAt = decisionLeaf(first).at;
      const lastAt = decisionLeaf(last).at;
      const event = await appendAudit(tx, {
        actor: SYSTEM.actor,
        action: "decisions.seal",
        target: "decisions",
        after: { count: rows.length, root, merkle: "rfc6962-sha256", firstId: first.id, lastId: last.id, firstAt, lastAt },
      });
      const batch = await tx.decisionBatch.create({ data: { auditSeq: event.seq, root, count: rows.length, firstAt: new Date(firstAt), lastAt: new Date(lastAt) } });
      await tx.$executeRaw`
        UPDATE "DecisionLog" AS d SET "batchId" = ${batch.id}, "batchIndex" = v.idx - 1
        FROM unnest(${rows.map((r) => r.id)}::text[]) WITH ORDINALITY AS v(id, idx)
        WHERE d."id" = v.id`;
      return rows.length;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
