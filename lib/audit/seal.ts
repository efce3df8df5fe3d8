import type { Db } from "@/lib/db/client";
import { appendAudit, chainInsert, chainParam } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/event";
import { leafHash, merkleRoot } from "@/lib/audit/merkle";
import { SYSTEM } from "@/lib/auth/principal";
import { decisionLeaf, decisionLeafHash, type DecisionRow } from "@/lib/audit/decision-leaf";

export const SEAL_BATCH_MAX = 10_000;
// Only one instance seals stray rows at a time; the others skip the tick.
const SEAL_LOCK = 7_446_004;

export { decisionLeaf };

// Every column but the seal's two, which the insert sets itself.
const LOG_COLUMNS = ["id", "at", "agentId", "tenant", "session", "tool", "request", "decision", "primitive", "reasons", "policyVersion", "generation", "cohort", "latencyUs", "tokenId", "grantId", "failsafe", "serverBlastRadius", "agentBlastRadius", "enforced"];
// The chain entry, the batch and the rows in one statement, with no transaction around it: on
// PGlite every statement of a transaction is a round trip to the database thread through a busy
// event loop, and nothing else can use the database meanwhile. The batch takes the entry's seq,
// the rows the batch's id. An absent "failsafe" is false, as the column's default would make it.
// A background write must not sit on a pooled connection for long while it waits for the chain
// lock: on PostgreSQL, writers queued that way can leave the requests that hold the lock no
// connection to finish with. Past 5 s it gives up and the next flush retries.
const SEAL_INSERT = `WITH ev AS (${chainInsert("$1", 5)} RETURNING "seq"),
  b AS (INSERT INTO "DecisionBatch" ("auditSeq", "root", "count", "firstAt", "lastAt") SELECT "seq", $2, $3::int, $4::timestamptz, $5::timestamptz FROM ev RETURNING "id")
INSERT INTO "DecisionLog" (${LOG_COLUMNS.map((c) => `"${c}"`).join(",")}, "batchId", "batchIndex")
  SELECT ${LOG_COLUMNS.map((c) => (c === "failsafe" ? `coalesce(r."failsafe", false)` : `r."${c}"`)).join(",")}, b."id", (r."ordinality" - 1)::int
  FROM b, json_populate_recordset(NULL::"DecisionLog", $6::json) WITH ORDINALITY AS r`;

// Serialising and hashing yield to waiting requests every this many rows.
const PREPARE_CHUNK = 250;
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes a batch of decisions already sealed: one statement appends the `decisions.seal` chain
 * entry with their Merkle root, creates the batch and inserts the rows with their batch id and
 * leaf index. The seal needs no read-back of the rows and no second write to them, which on
 * PGlite were the longest statements on the decision path (docs/BENCHMARKS.md). PGlite has one
 * connection, so everything else waits while this statement runs, and the writer keeps batches
 * small. All or nothing: a failure leaves no rows, batch or chain entry, and the caller retries.
 */
export async function insertSealed(db: Db, rows: readonly DecisionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const parts: string[] = [];
  const leaves: Buffer[] = [];
  let firstAt = "";
  let lastAt = "";
  for (let i = 0; i < rows.length; i += PREPARE_CHUNK) {
    if (i > 0) await yieldToRequests();
    const chunk = rows.slice(i, i + PREPARE_CHUNK);
    parts.push(JSON.stringify(chunk).slice(1, -1));
    for (const row of chunk) {
      const at = typeof row.at === "string" ? row.at : row.at.toISOString();
      if (!firstAt || at < firstAt) firstAt = at;
      if (at > lastAt) lastAt = at;
      leaves.push(decisionLeafHash(row));
    }
  }
  const text = `[${parts.join(",")}]`;
  const root = merkleRoot(leaves).toString("hex");
  const seal: AuditInput = {
    actor: SYSTEM.actor,
    action: "decisions.seal",
    target: "decisions",
    after: { count: rows.length, root, merkle: "rfc6962-sha256", firstId: rows[0]!.id, lastId: rows[rows.length - 1]!.id, firstAt, lastAt },
  };
  await db.$executeRawUnsafe(SEAL_INSERT, chainParam([seal]), root, rows.length, firstAt, lastAt, text);
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
