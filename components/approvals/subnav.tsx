import { Link } from "@/components/ui/link";

const ITEMS = [
  { id: "queue", href: "/approvals", label: "Queue" },
  { id: "history", href: "/approvals/history", label: "History" },
  { id: "grants", href: "/approvals/grants", label: "Sandbox grants" },
  { id: "notifications", href: "/approvals/notifications", label: "Notifications" },
] as const;

export type ApprovalsSection = (typeof ITEMS)[number]["id"];

/** Sections of the Approvals area as links, so each has its own address and survives a reload. */
export function ApprovalsSubnav({ current }: { current: ApprovalsSection | null }) {
  return (
    <nav aria-label="Approvals" className="-mt-3 mb-6 flex gap-4 overflow-x-auto border-b border-slate-200 text-sm dark:border-slate-800">
      {ITEMS.map((i) => (
        <Link
          key={i.id}
          href={i.href}
          aria-current={i.id === current ? "page" : undefined}
          className={`-mb-px border-b-2 pb-2 font-medium whitespace-nowrap ${i.id === current ? "border-slate-900 text-slate-900 dark:border-slate-100 dark:text-slate-100" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"}`}
        >
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
