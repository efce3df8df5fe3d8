import { isRole, type Role } from "@/lib/auth/permissions";

/**
 * Maps an OIDC profile to a Governor role: the configured claim (a string, or an array whose
 * first known role wins), else the configured default role. Unknown values map to null, which
 * refuses the login: an identity provider typo must not grant access.
 */
export function roleFromClaims(profile: Record<string, unknown>, claim: string, defaultRole?: string): Role | null {
  const value = profile[claim];
  const candidates = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const found = candidates.find(isRole);
  if (found) return found;
  if (candidates.length === 0 && defaultRole && isRole(defaultRole)) return defaultRole;
  return null;
}

export function usernameFromClaims(profile: Record<string, unknown>): string {
  const raw = String(profile.preferred_username ?? profile.email ?? profile.sub ?? "user");
  return raw.toLowerCase().replace(/[^a-z0-9._-]/g, "-").slice(0, 40);
}
