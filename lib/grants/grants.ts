import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { SYSTEM } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import type { GrantState } from "@/lib/policy/overlay";

export const CreateGrantInput = z.object({
  agentId: z.string().min(1, "is required"),
  tools: z.array(z.string().min(1)).min(1, "must name at least one tool (or \"*\")"),
  resourcePattern: z.string().trim().min(1).max(200).optional(),
  expiresInMinutes: z.number().int().min(1, "must be at least 1 minute").max(7 * 24 * 60, "must be at most 7 days"),
  revokeOnFailure: z.boolean().default(true),
  reason: z.string().trim().max(500).optional(),
});
export type CreateGrantInput = z.input<typeof CreateGrantInput>;

type GrantRow = { id: string; agentId: string; tools: string[]; resourcePattern: string | null; expiresAt: Date; revokeOnFailure: boolean };

export const toGrantState = (g: GrantRow): GrantState => ({
  id: g.id, agentId: g.agentId, tools: g.tools, resourcePattern: g.resourcePattern, expiresAt: g.expiresAt.toISOString(), revokeOnFailure: g.revokeOnFailure,
});

/** Grants that can still be used: not revoked and not yet expired. */
export async function activeGrants(db: Db, now = new Date()) {
  return db.sandboxGrant.findMany({ where: { revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" } });
}

export async function createGrant(opts: { db: Db; principal: Principal; input: CreateGrantInput }) {
  const input = CreateGrantInput.parse(opts.input);
  return mutate({ db: opts.db, principal: opts.principal, permission: "grants.manage" }, async (tx) => {
    if (!(await tx.agent.findUnique({ where: { id: input.agentId } }))) {
      throw new AppError("validation_failed", `agentId: no agent named "${input.agentId}"`, { fields: [{ path: "agentId", message: `no agent named "${input.agentId}"` }] });
    }
    const grant = await tx.sandboxGrant.create({
      data: {
        agentId: input.agentId,
        tools: input.tools,
        resourcePattern: input.resourcePattern ?? null,
        expiresAt: new Date(Date.now() + input.expiresInMinutes * 60_000),
        revokeOnFailure: input.revokeOnFailure,
        reason: input.reason ?? null,
        createdById: opts.principal.actor.id,
        createdBy: opts.principal.actor.name,
      },
    });
    return { result: grant, audit: { action: "grant.create", target: `grant:${grant.id}`, after: toGrantState(grant), reason: input.reason } };
  });
}

export async function revokeGrant(opts: { db: Db; principal: Principal; grantId: string; reason?: string; automatic?: boolean }) {
  return mutate({ db: opts.db, principal: opts.principal, permission: opts.automatic ? null : "grants.manage" }, async (tx) => {
    const before = await tx.sandboxGrant.findUnique({ where: { id: opts.grantId } });
    if (!before) throw new AppError("not_found", `No sandbox grant with id "${opts.grantId}".`);
    if (before.revokedAt) throw new AppError("conflict", `Grant "${opts.grantId}" was already revoked at ${before.revokedAt.toISOString()}.`);
    const after = await tx.sandboxGrant.update({ where: { id: opts.grantId }, data: { revokedAt: new Date(), revokedReason: opts.reason ?? null } });
    return { result: after, audit: { action: opts.automatic ? "grant.auto_revoke" : "grant.revoke", target: `grant:${opts.grantId}`, before: toGrantState(before), after: { revokedAt: after.revokedAt }, reason: opts.reason } };
  });
}

/** Called when an agent reports a failed or rolled-back outcome for a decision that used a grant. */
export async function revokeGrantAfterFailure(db: Db, grantId: string, outcome: string, decisionId: string) {
  const grant = await db.sandboxGrant.findUnique({ where: { id: grantId } });
  if (!grant || grant.revokedAt || !grant.revokeOnFailure) return false;
  await revokeGrant({ db, principal: SYSTEM, grantId, automatic: true, reason: `outcome "${outcome}" reported for decision ${decisionId}` });
  return true;
}
