import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import type { ChangeSetStatus } from "@/components/policy/types";

/** Marks a value that differs from the base version; the word carries the meaning, not the colour. */
export function Changed({ label = "changed" }: { label?: string }) {
  return <span className="ml-1 rounded bg-amber-100 px-1 py-px text-[10px] font-semibold tracking-wide text-amber-900 uppercase dark:bg-amber-900/60 dark:text-amber-100">{label}</span>;
}

const STATUS: Record<ChangeSetStatus, { label: string; cls: string }> = {
  draft: { label: "draft", cls: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100" },
  pending_approval: { label: "needs approval", cls: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100" },
  approved: { label: "approved", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100" },
  applied: { label: "applied", cls: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100" },
  released: { label: "in rollout", cls: "bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100" },
  rejected: { label: "rejected", cls: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100" },
  conflicted: { label: "conflicted", cls: "bg-orange-100 text-orange-900 dark:bg-orange-900 dark:text-orange-100" },
  abandoned: { label: "abandoned", cls: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-400" },
};

export function StatusBadge({ status }: { status: ChangeSetStatus }) {
  const s = STATUS[status] ?? { label: status, cls: STATUS.draft.cls };
  return <span data-testid="changeset-status" className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${s.cls}`}>{s.label}</span>;
}

/** The policy section's own navigation, under the page header. */
export function PolicySubnav({ current }: { current: "policy" | "history" | "changesets" }) {
  const items = [
    { id: "policy", href: "/policy", label: "Live policy" },
    { id: "history", href: "/policy/history", label: "Version history" },
    { id: "changesets", href: "/policy/changesets", label: "Change sets" },
  ] as const;
  return (
    <nav aria-label="Policy" className="-mt-3 mb-6 flex gap-4 border-b border-slate-200 text-sm dark:border-slate-800">
      {items.map((i) => (
        <Link
          key={i.id}
          href={i.href}
          aria-current={i.id === current ? "page" : undefined}
          className={`-mb-px border-b-2 pb-2 font-medium ${i.id === current ? "border-slate-900 text-slate-900 dark:border-slate-100 dark:text-slate-100" : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"}`}
        >
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

export function Notice({ tone, title, children, testId }: { tone: "warning" | "error" | "info" | "success"; title?: ReactNode; children?: ReactNode; testId?: string }) {
  const cls = {
    warning: "border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
    error: "border-red-400 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
    info: "border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
    success: "border-emerald-400 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} data-testid={testId} className={`rounded-md border px-3 py-2 text-sm ${cls}`}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? "mt-1" : ""}>{children}</div>}
    </div>
  );
}
