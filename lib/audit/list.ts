import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import type { Db } from "@/lib/db/client";

const Iso = z.iso.datetime({ message: "must be an ISO 8601 time, e.g. 2026-11-21T10:00:00Z" });

/** The audit browser's filters; the export takes the same ones. */
export const AuditQuery = z.object({
  from: Iso.optional(),
  to: Iso.optional(),
  actor: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(200).optional(),
  tool: z.string().trim().max(64).optional(),
  agent: z.string().trim().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.coerce.number().int().positive("must be the nextCursor of a previous page").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

// For the 400 that refuses a filter of the other list: say where it goes.
const TO_DECISIONS = "filters recorded decisions, not audit events: use GET /api/v1/admin/audit/decisions";
const TO_EVENTS = "filters audit events, not decisions: use GET /api/v1/admin/audit";
/** Hints for the events list and the export, which take no decision filters. */
export const EVENT_QUERY_HINTS = { verdict: TO_DECISIONS, primitive: TO_DECISIONS, tenant: TO_DECISIONS };
/** Hints for the decisions list, which takes no event filters. */
export const DECISION_QUERY_HINTS = { actor: TO_EVENTS, action: TO_EVENTS, target: TO_EVENTS, q: TO_EVENTS };

export function auditWhere(q: Omit<AuditQuery, "cursor" | "limit">): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (q.from || q.to) and.push({ at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } });
  if (q.actor) and.push({ OR: [{ actorName: q.actor }, { actorId: q.actor }] });
  if (q.action) and.push({ action: { startsWith: q.action } });
  if (q.target) and.push({ target: { startsWith: q.target } });
  // Tools and agents appear in the event's after-state (approvals, grants, decisions) or target.
  if (q.tool) and.push({ OR: [{ after: { path: ["tool"], equals: q.tool } }, { target: { contains: q.tool } }] });
  if (q.agent) and.push({ OR: [{ actorId: q.agent }, { after: { path: ["agentId"], equals: q.agent } }, { after: { path: ["requestedBy"], equals: q.agent } }, { target: { contains: q.agent } }] });
  if (q.q) {
    const contains = { contains: q.q, mode: "insensitive" as const };
    and.push({ OR: [{ action: contains }, { target: contains }, { actorName: contains }, { reason: contains }] });
  }
  return and.length ? { AND: and } : {};
}

/** Newest first, keyset-paginated on seq so deep pages cost the same as the first. */
export async function listAuditEvents(db: Db, q: AuditQuery) {
  const where = auditWhere(q);
  const rows = await db.auditEvent.findMany({
    where: q.cursor ? { AND: [where, { seq: { lt: q.cursor } }] } : where,
    orderBy: { seq: "desc" },
    take: q.limit + 1,
  });
  const events = rows.slice(0, q.limit);
  return { events, nextCursor: rows.length > q.limit ? String(events[events.length - 1]!.seq) : null };
}

export const DecisionQuery = z.object({
  from: Iso.optional(),
  to: Iso.optional(),
  agent: z.string().trim().max(64).optional(),
  tool: z.string().trim().max(64).optional(),
  tenant: z.string().trim().max(64).optional(),
  verdict: z.enum(["allow", "deny", "pending"], { error: "must be allow, deny or pending" }).optional(),
  primitive: z.string().trim().max(64).optional(),
  // "<epoch ms>_<id>": checked here, since a malformed one would reach the query as an invalid date.
  cursor: z.string().regex(/^\d{1,15}_[0-9A-Za-z-]{1,64}$/, "must be the nextCursor of a previous page").optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});

/** Recorded decisions, newest first; the cursor is "<epoch ms>_<id>" of the last row. */
export async function listDecisions(db: Db, q: z.infer<typeof DecisionQuery>) {
  const and: Prisma.DecisionLogWhereInput[] = [];
  if (q.from || q.to) and.push({ at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } });
  if (q.agent) and.push({ agentId: q.agent });
  if (q.tool) and.push({ tool: q.tool });
  if (q.tenant) and.push({ tenant: q.tenant });
  if (q.verdict) and.push({ decision: q.verdict });
  if (q.primitive) and.push({ primitive: q.primitive });
  if (q.cursor) {
    const [ms, id] = q.cursor.split("_");
    const at = new Date(Number(ms));
    and.push({ OR: [{ at: { lt: at } }, { at, id: { lt: id } }] });
  }
  const rows = await db.decisionLog.findMany({ where: { AND: and }, orderBy: [{ at: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const decisions = rows.slice(0, q.limit);
  const last = decisions[decisions.length - 1];
  return { decisions, nextCursor: rows.length > q.limit && last ? `${last.at.getTime()}_${last.id}` : null };
}
