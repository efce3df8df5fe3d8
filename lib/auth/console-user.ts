import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { isRole, type Role } from "@/lib/auth/permissions";
import { currentStore } from "@/lib/db/current";

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
  const user = await store.prisma.user.findUnique({ where: { id: uid } });
  if (!user || user.disabled || !isRole(user.role)) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}
