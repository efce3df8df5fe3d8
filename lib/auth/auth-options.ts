import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { recordAudit } from "@/lib/audit/record";
import { loginWithPassword } from "@/lib/auth/login";
import { roleFromClaims, usernameFromClaims } from "@/lib/auth/oidc";
import { authSecret } from "@/lib/auth/secret";
import { currentStore } from "@/lib/db/current";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip-header";

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return typeof v === "string" ? v : undefined;
}

function oidcProvider(): NextAuthOptions["providers"] {
  const e = env();
  if (!e.GOVERNOR_OIDC_ISSUER || !e.GOVERNOR_OIDC_CLIENT_ID || !e.GOVERNOR_OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${e.GOVERNOR_OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      clientId: e.GOVERNOR_OIDC_CLIENT_ID,
      clientSecret: e.GOVERNOR_OIDC_CLIENT_SECRET,
      profile: (profile: Record<string, unknown>) => ({
        id: String(profile.sub),
        name: String(profile.name ?? usernameFromClaims(profile)),
        email: typeof profile.email === "string" ? profile.email : null,
        role: roleFromClaims(profile, e.GOVERNOR_OIDC_ROLE_CLAIM, e.GOVERNOR_OIDC_DEFAULT_ROLE),
        username: usernameFromClaims(profile),
      }),
    },
  ];
}

export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: env().GOVERNOR_SESSION_MAX_AGE },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Password",
        credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const store = await currentStore();
          const headers = req?.headers as Record<string, unknown> | undefined;
          try {
            const user = await loginWithPassword(store.prisma, {
              username: credentials?.username ?? "",
              password: credentials?.password ?? "",
              request: { ip: header(headers, CLIENT_IP_HEADER) ?? "unknown", userAgent: header(headers, "user-agent") },
            });
            return { id: user.id, name: user.displayName, role: user.role, username: user.username };
          } catch (err) {
            // next-auth hands a thrown message to the login page; only our own messages go there.
            if (isAppError(err)) throw new Error(err.message);
            console.error("[auth] login failed unexpectedly:", err);
            throw new Error("Sign-in is unavailable right now. Try again in a moment.");
          }
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const u = user as typeof user & { role: string | null; username: string };
        if (!u.role) return "/login?error=OidcRole";
        const store = await currentStore();
        const row = await store.prisma.user.upsert({
          where: { oidcSubject: u.id },
          create: { oidcSubject: u.id, username: `${u.username}`, displayName: u.name ?? u.username, role: u.role },
          update: { role: u.role, displayName: u.name ?? u.username },
        });
        if (row.disabled) return "/login?error=Disabled";
        await recordAudit(store.prisma, {
          actor: { type: "user", id: row.id, name: row.username },
          action: "auth.login",
          target: `user:${row.username}`,
          reason: "oidc",
        });
        (user as { uid?: string }).uid = row.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const u = user as typeof user & { uid?: string; role?: string; username?: string };
          token.uid = u.uid ?? u.id;
          token.role = u.role;
          token.username = u.username;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.uid, role: token.role, username: token.username } };
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.uid) return;
        const store = await currentStore();
        await recordAudit(store.prisma, {
          actor: { type: "user", id: String(token.uid), name: String(token.username ?? token.uid) },
          action: "auth.logout",
          target: `user:${String(token.username ?? token.uid)}`,
        });
      },
    },
  };
}
