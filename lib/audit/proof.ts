import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { inclusionProof, leafHash } from "@/lib/audit/merkle";
import { decisionLeaf } from "@/lib/audit/seal";

/** The inclusion proof of one sealed decision: its leaf content, index, batch size, path and root. */
export async function decisionProof(db: Db, decisionId: string) {
  const d = await db.decisionLog.findUnique({ where: { id: decisionId } });
  if (!d) throw new AppError("not_found", `No decision with id "${decisionId}".`);
  if (d.batchId === null || d.batchIndex === null) throw new AppError("conflict", `Decision ${decisionId} is not sealed yet; batches are sealed every second.`);
  const batch = await db.decisionBatch.findUniqueOrThrow({ where: { id: d.batchId } });
  const members = await db.decisionLog.findMany({ where: { batchId: d.batchId }, orderBy: { batchIndex: "asc" } });
  const leaves = members.map((m) => leafHash(decisionLeaf(m)));
  return {
    decision: decisionLeaf(d),
    batch: { auditSeq: batch.auditSeq, root: batch.root, size: batch.count },
    index: d.batchIndex,
    path: inclusionProof(leaves, d.batchIndex).map((b) => b.toString("hex")),
  };
}
