import { createHash, randomBytes } from "node:crypto";

export type TokenKind = "agent" | "personal";

const PREFIX: Record<TokenKind, string> = { agent: "gov_agent_", personal: "gov_pat_" };

export function generateTokenSecret(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(24).toString("base64url");
}

/** Tokens are high-entropy, so one SHA-256 pass is enough; only this hash is stored. */
export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** What the console shows to tell tokens apart, never enough to use one. */
export function tokenDisplayPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf("_", 4) + 5);
}

export function tokenKindOf(secret: string): TokenKind | null {
  if (secret.startsWith(PREFIX.agent)) return "agent";
  if (secret.startsWith(PREFIX.personal)) return "personal";
  return null;
}
