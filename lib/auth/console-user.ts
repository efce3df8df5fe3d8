import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { isRole, type Role } from "@/lib/auth/permissions";
import { currentStore } from "@/lib/db/current";
import { isStoreUnreachable } from "@/lib/reliability/store-health";

export interface ConsoleUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/**
 * The signed-in user as the store has them now, so a role change or a disabled account takes
 * effect on the next page load rather than when the session cookie expires.
 */
export async function currentConsoleUser(): Promise<ConsoleUser | null> {
  const session = await getServerSession(authOptions());
  const uid = (session?.user as { id?: string } | undefined)?.id;
  if (!uid) return null;
  const store = await currentStore();
  const user = await store.prisma.user.findUnique({ where: { id: uid } }).catch((err: unknown) => {
    // Database unreachable: render the console shell from the signed session so the outage banner
    // shows; every read and change behind it is refused with a 503 until the database is back.
    if (!isStoreUnreachable(err)) throw err;
    const s = session!.user as { id: string; username?: string; name?: string | null; role?: string };
    return { id: s.id, username: s.username ?? s.id, displayName: s.name ?? s.username ?? s.id, role: s.role ?? "", disabled: false };
  });
  if (!user || user.disabled || !isRole(user.role)) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}
