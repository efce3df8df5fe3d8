import type { RequestMeta } from "@/lib/audit/event";
import { isRole } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { hashToken, tokenKindOf } from "@/lib/auth/token-secret";
import type { Store } from "@/lib/db/store";
import { AppError } from "@/lib/errors";

interface CachedToken {
  id: string;
  kind: string;
  name: string;
  agentId: string | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  user: { id: string; username: string; role: string; disabled: boolean } | null;
}

// lastUsedAt is bookkeeping, not security: write it at most once a minute per token, off the
// request path, so a busy agent does not turn every decision into a database write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves bearer tokens to principals. Lookups are cached in memory; every committed change
 * (a revocation, a role change) bumps the generation, which empties the cache, so a revoked
 * token stops working on the next request.
 */
export class TokenAuthenticator {
  private cache = new Map<string, CachedToken | null>();
  private lastUsedWritten = new Map<string, number>();

  constructor(private readonly store: Store) {
    store.bus.onGeneration(() => this.cache.clear());
  }

  async authenticate(secret: string, request?: RequestMeta): Promise<Principal> {
    if (!tokenKindOf(secret)) throw new AppError("unauthenticated", "The bearer token is not a Governor token (expected gov_agent_… or gov_pat_…).");
    const hash = hashToken(secret);
    let token = this.cache.get(hash);
    if (token === undefined) {
      token = await this.store.prisma.apiToken.findUnique({
        where: { tokenHash: hash },
        select: {
          id: true, kind: true, name: true, agentId: true, revokedAt: true, expiresAt: true,
          user: { select: { id: true, username: true, role: true, disabled: true } },
        },
      });
      this.cache.set(hash, token);
    }
    if (!token) throw new AppError("unauthenticated", "The bearer token is unknown. Check that it was copied whole.");
    if (token.revokedAt) throw new AppError("unauthenticated", `The bearer token "${token.name}" was revoked at ${token.revokedAt.toISOString()}.`);
    if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) {
      throw new AppError("unauthenticated", `The bearer token "${token.name}" expired at ${token.expiresAt.toISOString()}.`);
    }
    this.touch(token.id);
    if (token.kind === "agent" && token.agentId) {
      return {
        actor: { type: "agent", id: token.agentId, name: token.agentId },
        role: null,
        agentId: token.agentId,
        tokenId: token.id,
        via: "agent_token",
        request,
      };
    }
    const user = token.user;
    if (!user || user.disabled) throw new AppError("unauthenticated", `The user who owns token "${token.name}" is disabled.`);
    return {
      actor: { type: "user", id: user.id, name: user.username },
      // An unknown role in the row becomes null, which holds no permission.
      role: isRole(user.role) ? user.role : null,
      tokenId: token.id,
      via: "personal_token",
      request,
    };
  }

  private touch(tokenId: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(tokenId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(tokenId, now);
    this.store.prisma.apiToken
      .update({ where: { id: tokenId }, data: { lastUsedAt: new Date(now) } })
      .catch(() => this.lastUsedWritten.delete(tokenId));
  }
}

const authenticators = new WeakMap<Store, TokenAuthenticator>();

export function tokenAuthenticator(store: Store): TokenAuthenticator {
  let auth = authenticators.get(store);
  if (!auth) authenticators.set(store, (auth = new TokenAuthenticator(store)));
  return auth;
}
