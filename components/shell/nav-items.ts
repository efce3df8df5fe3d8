import type { Permission } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

/** The console's sections; a section shows only to roles holding its permission. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", permission: "console.read" },
  { href: "/policy", label: "Policy", permission: "console.read" },
  { href: "/rollouts", label: "Rollouts", permission: "console.read" },
  { href: "/approvals", label: "Approvals", permission: "console.read" },
  { href: "/controls", label: "Controls", permission: "console.read" },
  { href: "/runtime-model", label: "Runtime model", permission: "console.read" },
  { href: "/agents", label: "Agents", permission: "console.read" },
  { href: "/calibration", label: "Calibration", permission: "console.read" },
  { href: "/audit", label: "Audit", permission: "audit.read" },
  { href: "/admin", label: "Admin", permission: "users.read" },
  { href: "/api-docs", label: "API", permission: "console.read" },
];
