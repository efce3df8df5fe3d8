import type { RequestMeta } from "@/lib/audit/event";
import { recordAudit } from "@/lib/audit/record";
import { isRole, type Role } from "@/lib/auth/permissions";
import { verifyPassword } from "@/lib/auth/password";
import { THROTTLE_WINDOW_MS, accountKey, assertNotThrottled, ipKey } from "@/lib/auth/throttle";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export const WRONG_CREDENTIALS = "Wrong username or password.";

/**
 * Checks a username and password. Throttled per account and per IP before the password is
 * even looked at; every outcome is audited. Throws AppError with a message fit for the login page.
 */
export async function loginWithPassword(
  db: Db,
  input: { username: string; password: string; request: RequestMeta },
): Promise<SessionUser> {
  const username = input.username.trim().toLowerCase();
  const keys = [accountKey(username), ipKey(input.request.ip ?? "unknown")];
  await assertNotThrottled(db, keys);

  const user = await db.user.findUnique({ where: { username } });
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok) {
    await recordAudit(
      db,
      {
        actor: { type: "user", id: user?.id ?? `unknown:${username}`, name: username || "(empty)" },
        action: "auth.login_failed",
        target: `user:${username}`,
        reason: user ? "wrong password" : "unknown user",
        request: input.request,
      },
      async (tx) => {
        await tx.loginFailure.createMany({ data: keys.map((key) => ({ key })) });
        await tx.loginFailure.deleteMany({ where: { at: { lt: new Date(Date.now() - 2 * THROTTLE_WINDOW_MS) } } });
      },
    );
    throw new AppError("unauthenticated", WRONG_CREDENTIALS);
  }
  if (user.disabled) throw new AppError("forbidden", "This account is disabled. Ask an admin to enable it.");
  if (!isRole(user.role)) {
    // Fail closed: a row with a role the permission table does not know cannot sign in.
    throw new AppError("forbidden", `This account has an unknown role (${user.role}). Ask an admin to fix it.`);
  }
  await recordAudit(db, {
    actor: { type: "user", id: user.id, name: user.username },
    action: "auth.login",
    target: `user:${user.username}`,
    request: input.request,
  });
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}
