// Seeds the demo world into a test store and hands out a principal and a token per role.
import { encode } from "next-auth/jwt";
import type { Role } from "@/lib/auth/permissions";
import { ROLES } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { createToken } from "@/lib/auth/tokens";
import { authSecret } from "@/lib/auth/secret";
import { SYSTEM } from "@/lib/auth/principal";
import { demoSecrets, seedDemo, DEMO_USERS } from "@/lib/seed/demo";
import type { Store } from "@/lib/db/store";

export const TEST_PASSWORD = "correct-horse-battery";
export const SUPPORT_TOKEN = "gov_agent_support_bot_test_token_0000000000";

export interface World {
  principals: Record<Role, Principal>;
  userIds: Record<Role, string>;
  tokens: Record<Role, string>;
  cookies: Record<Role, string>;
}

/** The first demo user holding each role. */
export function demoUsernameFor(role: Role): string {
  return DEMO_USERS.find((u) => u.role === role)!.username;
}

export async function seedWorld(store: Store): Promise<World> {
  await seedDemo(store.prisma, demoSecrets({ password: TEST_PASSWORD, supportToken: SUPPORT_TOKEN }));
  const principals = {} as Record<Role, Principal>;
  const userIds = {} as Record<Role, string>;
  const tokens = {} as Record<Role, string>;
  const cookies = {} as Record<Role, string>;
  for (const role of ROLES) {
    const user = await store.prisma.user.findUniqueOrThrow({ where: { username: demoUsernameFor(role) } });
    userIds[role] = user.id;
    principals[role] = { actor: { type: "user", id: user.id, name: user.username }, role, via: "session" };
    const created = await createToken({
      db: store.prisma,
      principal: { ...SYSTEM, role: "admin" },
      input: { kind: "personal", name: `${role} test token`, userId: user.id },
    });
    tokens[role] = created.secret;
    const jwt = await encode({ token: { uid: user.id, username: user.username, role }, secret: authSecret() });
    cookies[role] = `next-auth.session-token=${jwt}`;
  }
  return { principals, userIds, tokens, cookies };
}
