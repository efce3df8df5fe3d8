import type { IncomingMessage } from "node:http";
import { decode } from "next-auth/jwt";
import type { RequestMeta } from "@/lib/audit/event";
import { isRole } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { authSecret } from "@/lib/auth/secret";
import { tokenAuthenticator } from "@/lib/auth/token-auth";
import type { Store } from "@/lib/db/store";
import { AppError } from "@/lib/errors";

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** Resolves a console session cookie to the user as the store has them now (role, disabled). */
export async function sessionPrincipal(store: Store, cookieHeader: string | undefined, request?: RequestMeta): Promise<Principal | null> {
  const cookies = parseCookies(cookieHeader);
  const raw = SESSION_COOKIES.map((n) => cookies[n]).find(Boolean);
  if (!raw) return null;
  const token = await decode({ token: raw, secret: authSecret() }).catch(() => null);
  const uid = typeof token?.uid === "string" ? token.uid : null;
  if (!uid) return null;
  const user = await store.prisma.user.findUnique({ where: { id: uid } });
  if (!user || user.disabled) return null;
  return {
    actor: { type: "user", id: user.id, name: user.username },
    role: isRole(user.role) ? user.role : null,
    via: "session",
    request,
  };
}

/**
 * Same-origin check for cookie-authenticated mutations: browsers always send Origin on
 * cross-site POST/PATCH/DELETE, so a mismatch (or no Origin and no Referer) is refused.
 */
export function assertSameOrigin(req: IncomingMessage): void {
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  const origin = req.headers.origin ?? req.headers.referer;
  if (!origin) throw new AppError("forbidden", "Cookie-authenticated changes must come from the console (no Origin header).");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", `The Origin header "${origin}" is not a URL.`);
  }
  if (originHost !== host) {
    throw new AppError("forbidden", `Cross-origin change refused: Origin ${originHost} does not match host ${String(host)}.`);
  }
}

/** Bearer token first, then the console cookie. Throws 401 when neither identifies anyone. */
export async function authenticate(store: Store, req: IncomingMessage, request: RequestMeta): Promise<Principal> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError("unauthenticated", "The Authorization header must be \"Bearer <token>\".");
    return tokenAuthenticator(store).authenticate(m[1]!, request);
  }
  const principal = await sessionPrincipal(store, req.headers.cookie, request);
  if (!principal) throw new AppError("unauthenticated", "Sign in, or send a personal API token as \"Authorization: Bearer <token>\".");
  if (req.method !== "GET" && req.method !== "HEAD") assertSameOrigin(req);
  return principal;
}
