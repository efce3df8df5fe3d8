import type { Db } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append";
import { leafHash, merkleRoot } from "@/lib/audit/merkle";
import { SYSTEM } from "@/lib/auth/principal";

export const SEAL_BATCH_MAX = 10_000;
// Only one instance seals at a time; the others skip the tick.
const SEAL_LOCK = 7_446_004;

type DecisionRow = {
  id: string; at: Date; agentId: string; tenant: string; session: string; tool: string; request: unknown; decision: string; primitive: string | null;
  reasons: unknown; policyVersion: number; generation: number; cohort: string; latencyUs: number; tokenId: string | null; grantId: string | null; failsafe: boolean;
};

/**
 * The leaf content of a sealed decision: the whole record, with the identities it binds (agent,
 * token, policy version and generation; approvers appear in an executed approval's reasons).
 */
export function decisionLeaf(d: DecisionRow) {
  return {
    id: d.id, at: d.at.toISOString(), agentId: d.agentId, tenant: d.tenant, session: d.session, tool: d.tool, request: d.request ?? null,
    decision: d.decision, primitive: d.primitive, reasons: d.reasons ?? null, policyVersion: d.policyVersion, generation: d.generation,
    cohort: d.cohort, latencyUs: d.latencyUs, tokenId: d.tokenId, grantId: d.grantId, failsafe: d.failsafe,
  };
}

/**
 * Seals the oldest unsealed decisions (up to 10,000) as one chain entry, `decisions.seal`,
 * carrying their Merkle root; each decision records its batch and leaf index so an inclusion
 * proof can be built later. Bookkeeping, not a policy change: no generation bump.
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
      const event = await appendAudit(tx, {
        actor: SYSTEM.actor,
        action: "decisions.seal",
        target: "decisions",
        after: { count: rows.length, root, merkle: "rfc6962-sha256", firstId: first.id, lastId: last.id, firstAt: first.at.toISOString(), lastAt: last.at.toISOString() },
      });
      const batch = await tx.decisionBatch.create({ data: { auditSeq: event.seq, root, count: rows.length, firstAt: first.at, lastAt: last.at } });
      await tx.$executeRaw`
        UPDATE "DecisionLog" AS d SET "batchId" = ${batch.id}, "batchIndex" = v.idx - 1
        FROM unnest(${rows.map((r) => r.id)}::text[]) WITH ORDINALITY AS v(id, idx)
        WHERE d."id" = v.id`;
      return rows.length;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
