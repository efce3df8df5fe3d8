import type { Db } from "@/lib/db/client";

/** Newest first, keyset-paginated on seq so deep pages cost the same as the first. */
export async function listAuditEvents(db: Db, q: { before?: number; limit: number; action?: string }) {
  const rows = await db.auditEvent.findMany({
    where: { ...(q.before ? { seq: { lt: q.before } } : {}), ...(q.action ? { action: { startsWith: q.action } } : {}) },
    orderBy: { seq: "desc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    events: page,
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.seq : null,
  };
}
