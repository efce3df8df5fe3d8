import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { generateTokenSecret, hashToken, tokenDisplayPrefix } from "@/lib/auth/token-secret";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";

export const CreateTokenInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("agent"),
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    agentId: z.string().min(1, "is required"),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
  z.object({
    kind: z.literal("personal"),
    name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
    userId: z.string().min(1, "is required"),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
]);
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

const PUBLIC_FIELDS = {
  id: true, kind: true, name: true, prefix: true, agentId: true, userId: true,
  createdAt: true, lastUsedAt: true, revokedAt: true, expiresAt: true,
} as const;

export async function listTokens(db: Db) {
  return db.apiToken.findMany({
    select: { ...PUBLIC_FIELDS, user: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
}

/** Creates a token and returns its secret: the only time the secret exists outside the caller. */
export async function createToken(opts: { db: Db; principal: Principal; input: CreateTokenInput; secret?: string }) {
  const { db, principal, input } = opts;
  const secret = opts.secret ?? generateTokenSecret(input.kind);
  const { result, generation } = await mutate({ db, principal, permission: "tokens.manage" }, async (tx) => {
    if (input.kind === "agent" && !(await tx.agent.findUnique({ where: { id: input.agentId } }))) {
      throw new AppError("validation_failed", `agentId: no agent named "${input.agentId}"`, {
        fields: [{ path: "agentId", message: `no agent named "${input.agentId}"` }],
      });
    }
    if (input.kind === "personal" && !(await tx.user.findUnique({ where: { id: input.userId } }))) {
      throw new AppError("validation_failed", `userId: no user with id "${input.userId}"`, {
        fields: [{ path: "userId", message: `no user with id "${input.userId}"` }],
      });
    }
    const token = await tx.apiToken.create({
      data: {
        kind: input.kind,
        name: input.name,
        tokenHash: hashToken(secret),
        prefix: tokenDisplayPrefix(secret),
        agentId: input.kind === "agent" ? input.agentId : null,
        userId: input.kind === "personal" ? input.userId : null,
        createdById: principal.actor.type === "user" ? principal.actor.id : null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select: PUBLIC_FIELDS,
    });
    return {
      result: token,
      audit: { action: "token.create", target: `token:${token.id}`, after: token },
    };
  });
  return { token: result, secret, generation };
}

export async function revokeToken(opts: { db: Db; principal: Principal; tokenId: string; reason?: string }) {
  const { db, principal, tokenId } = opts;
  return mutate({ db, principal, permission: "tokens.manage" }, async (tx) => {
    const before = await tx.apiToken.findUnique({ where: { id: tokenId }, select: PUBLIC_FIELDS });
    if (!before) throw new AppError("not_found", `No token with id "${tokenId}".`);
    if (before.revokedAt) {
      throw new AppError("conflict", `Token "${before.name}" was already revoked at ${before.revokedAt.toISOString()}.`);
    }
    const after = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() }, select: PUBLIC_FIELDS });
    return { result: after, audit: { action: "token.revoke", target: `token:${tokenId}`, before, after, reason: opts.reason } };
  });
}
