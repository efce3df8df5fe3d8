const ROLE_CLASS: Record<string, string> = {
  admin: "bg-purple-100 text-purple-800 dark:bg-purple-900 dark:text-purple-100",
  operator: "bg-orange-100 text-orange-800 dark:bg-orange-900 dark:text-orange-100",
  editor: "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100",
  reviewer: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  auditor: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
  viewer: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

export function RoleBadge({ role }: { role: string }) {
  return (
    <span data-testid="role-badge" className={`rounded-full px-2 py-0.5 text-xs font-semibold ${ROLE_CLASS[role] ?? ROLE_CLASS.viewer}`}>
      {role}
    </span>
  );
}
