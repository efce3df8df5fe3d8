import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/password";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";

const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, "must be 2–40 characters: letters, digits, '.', '_' or '-'");
const Password = z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters");
const Role = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
const DisplayName = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");

export const CreateUserInput = z.object({ username: Username, displayName: DisplayName, role: Role, password: Password });
export const UpdateUserInput = z
  .object({ displayName: DisplayName, role: Role, disabled: z.boolean(), password: Password })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "must change at least one of displayName, role, disabled, password");

export type CreateUserInput = z.infer<typeof CreateUserInput>;
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

const PUBLIC_FIELDS = { id: true, username: true, displayName: true, role: true, disabled: true, createdAt: true, updatedAt: true } as const;

export function listUsers(db: Db) {
  return db.user.findMany({ select: PUBLIC_FIELDS, orderBy: { username: "asc" } });
}

export async function createUser(opts: { db: Db; principal: Principal; input: CreateUserInput }) {
  const { db, principal, input } = opts;
  const passwordHash = await hashPassword(input.password);
  return mutate({ db, principal, permission: "users.manage" }, async (tx) => {
    if (await tx.user.findUnique({ where: { username: input.username } })) {
      throw new AppError("conflict", `username: "${input.username}" is already taken`, {
        fields: [{ path: "username", message: `"${input.username}" is already taken` }],
      });
    }
    const user = await tx.user.create({
      data: { username: input.username, displayName: input.displayName, role: input.role, passwordHash },
      select: PUBLIC_FIELDS,
    });
    return { result: user, audit: { action: "user.create", target: `user:${user.username}`, after: user } };
  });
}

async function activeAdminCount(tx: Tx): Promise<number> {
  return tx.user.count({ where: { role: "admin", disabled: false } });
}

export async function updateUser(opts: { db: Db; principal: Principal; userId: string; input: UpdateUserInput }) {
  const { db, principal, userId, input } = opts;
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return mutate({ db, principal, permission: "users.manage" }, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: PUBLIC_FIELDS });
    if (!before) throw new AppError("not_found", `No user with id "${userId}".`);
    const losesAdmin = before.role === "admin" && !before.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
    // Someone must always be able to manage users; refusing here beats a database fix later.
    if (losesAdmin && (await activeAdminCount(tx)) <= 1) {
      throw new AppError("conflict", `"${before.username}" is the last active admin; make another admin first.`);
    }
    const after = await tx.user.update({
      where: { id: userId },
      data: { displayName: input.displayName, role: input.role, disabled: input.disabled, passwordHash },
      select: PUBLIC_FIELDS,
    });
    return {
      result: after,
      // The password hash never enters the audit log; only the fact that it changed.
      audit: { action: "user.update", target: `user:${after.username}`, before, after: { ...after, passwordChanged: Boolean(passwordHash) } },
    };
  });
}
