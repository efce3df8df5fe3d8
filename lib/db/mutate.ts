import type { AuditInput } from "@/lib/audit/event";
import { appendAudit, appendAuditBatch } from "@/lib/audit/append";
import { assertCan, type Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { bumpGeneration } from "@/lib/db/generation";
import { busFor } from "@/lib/db/bus-of";

export interface MutationContext {
  db: Db;
  principal: Principal;
  /** Checked inside the transaction; `null` only for system work such as the seed. */
  permission: Permission | null;
}

export type AuditDraft = Omit<AuditInput, "actor" | "request" | "generation">;

/**
 * The shape of every change: one transaction that checks the permission, writes the new state,
 * bumps the generation and appends the audit event. Either all of it commits or none does.
 * A change to many things at once (a bulk reject) gives one event per thing, appended in one
 * statement, so each target's trail reads the same as if it had been changed alone.
 */
export async function mutate<T>(
  ctx: MutationContext,
  change: (tx: Tx) => Promise<{ result: T; audit: AuditDraft | readonly [AuditDraft, ...AuditDraft[]] }>,
): Promise<{ result: T; generation: number }> {
  const committed = await ctx.db.$transaction(async (tx) => {
    if (ctx.permission !== null) assertCan(ctx.principal.role, ctx.permission);
    const { result, audit } = await change(tx);
    const generation = await bumpGeneration(tx);
    const stamp = (draft: AuditDraft) => ({ ...draft, actor: ctx.principal.actor, request: ctx.principal.request, generation });
    if (isMany(audit)) await appendAuditBatch(tx, audit.map(stamp));
    else await appendAudit(tx, stamp(audit));
    return { result, generation };
  }, TX_OPTIONS);
  // Other instances hear of the commit through NOTIFY; this one needs no round trip, so a
  // revoked token or a kill applies to the very next request it serves. Listeners are
  // idempotent, so hearing the same generation again from NOTIFY is harmless.
  busFor(ctx.db)?.emitGeneration({ generation: committed.generation });
  return committed;
}

function isMany(audit: AuditDraft | readonly AuditDraft[]): audit is readonly AuditDraft[] {
  return Array.isArray(audit);
}

// Changes queue on the generation row lock; under a burst of operators a transaction may wait
// for a pooled connection longer than Prisma's 2 s default before it even starts.
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 };
