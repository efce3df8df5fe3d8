import { AppError } from "@/lib/errors";

export const ROLES = ["viewer", "operator", "editor", "reviewer", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Every role reads the console; the rest adds to that. */
const EVERYONE = ROLES;

/**
 * The one permission table: each permission lists the roles that hold it. Every server-side
 * check goes through `can`/`assertCan`, so this file is the whole access policy of the console.
 */
export const PERMISSIONS = {
  "console.read": EVERYONE,
  "controls.write": ["operator", "admin"],
  "policy.write": ["editor", "admin"],
  "rollouts.write": ["editor", "admin"],
  // A grant widens what an agent may do for a while: the people who change policy or run
  // incidents may issue one.
  "grants.manage": ["operator", "editor", "admin"],
  "approvals.vote": ["reviewer", "admin"],
  "audit.read": ["auditor", "admin"],
  "audit.export": ["auditor", "admin"],
  "audit.keys.rotate": ["admin"],
  "settings.manage": ["admin"],
  "users.read": ["admin"],
  "users.manage": ["admin"],
  "tokens.read": ["admin"],
  "tokens.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * Fails closed: a role or permission that is not in the table holds nothing. A typo in a
 * database row or a permission name must never widen access.
 */
export function can(role: unknown, permission: string): boolean {
  if (!isRole(role)) return false;
  if (!Object.hasOwn(PERMISSIONS, permission)) return false;
  return (PERMISSIONS[permission as Permission] as readonly string[]).includes(role);
}

export function assertCan(role: unknown, permission: Permission): void {
  if (can(role, permission)) return;
  const holders = Object.hasOwn(PERMISSIONS, permission) ? PERMISSIONS[permission].join(", ") : "none (unknown permission)";
  throw new AppError("forbidden", `Your role (${String(role ?? "none")}) does not have the permission "${permission}". Roles that do: ${holders}.`);
}
