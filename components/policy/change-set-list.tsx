"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge, Notice } from "@/components/policy/bits";
import { OPEN_STATUSES, utc, type ChangeSet } from "@/components/policy/types";
import { approvalsOn } from "@/components/policy/votes-list";
import { api } from "@/lib/client/api";

const FILTERS = [
  { value: "open", label: "Open" },
  { value: "pending_approval", label: "Needs approval" },
  { value: "applied", label: "Applied" },
  { value: "all", label: "All" },
];

/** The latest change sets, newest first, filtered by status. */
export function ChangeSetList() {
  const [filter, setFilter] = useState("open");
  const q = useQuery({ queryKey: ["changesets"], queryFn: () => api<{ changeSets: ChangeSet[] }>("/api/v1/admin/changesets"), refetchInterval: 5000 });
  const matches = (f: string, c: ChangeSet) => (f === "all" ? true : f === "open" ? OPEN_STATUSES.has(c.status) : c.status === f);
  const all = q.data?.changeSets ?? [];
  const rows = all.filter((c) => matches(filter, c));
  return (
    <Card>
      <div role="group" aria-label="Show" className="mb-4 flex flex-wrap gap-1">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            aria-pressed={filter === f.value}
            onClick={() => setFilter(f.value)}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${filter === f.value ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
          >
            {f.label}
            {q.data && <span className="ml-1 tabular-nums opacity-70">{all.filter((c) => matches(f.value, c)).length}</span>}
          </button>
        ))}
      </div>
      {q.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading change sets…</p>
      ) : q.error ? (
        <Notice tone="error">{q.error.message}</Notice>
      ) : rows.length === 0 ? (
        <EmptyState title={filter === "all" ? "No change sets yet" : "No change sets match"}>
          Change sets are created when an editor previews or applies changes on the <Link className="underline" href="/policy">Policy</Link> page, or reverts a version in the <Link className="underline" href="/policy/history">history</Link>.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="changesets-table">
            <thead>
              <tr className="text-left text-slate-500 dark:text-slate-400">
                <th className="px-2 py-2 font-medium">Change set</th>
                <th className="px-2 py-2 font-medium">Status</th>
                <th className="px-2 py-2 font-medium">Reason</th>
                <th className="px-2 py-2 font-medium">Author</th>
                <th className="px-2 py-2 font-medium">Base</th>
                <th className="px-2 py-2 font-medium">Operations</th>
                <th className="px-2 py-2 font-medium">Approvals</th>
                <th className="px-2 py-2 font-medium">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="px-2 py-2"><Link href={`/policy/changesets/${c.id}`} className="font-mono text-sky-700 underline dark:text-sky-400">{c.id.slice(0, 8)}</Link></td>
                  <td className="px-2 py-2"><StatusBadge status={c.status} />{c.appliedVersion && <span className="ml-1 text-xs text-slate-500">as v{c.appliedVersion}</span>}</td>
                  <td className="max-w-xs px-2 py-2">{c.reason}</td>
                  <td className="px-2 py-2">{c.author}</td>
                  <td className="px-2 py-2">v{c.baseVersion}</td>
                  <td className="px-2 py-2 tabular-nums">{c.ops.length}</td>
                  <td className="px-2 py-2 tabular-nums">{c.sensitive ? approvalsOn(c.votes, c.revision) : <span className="text-slate-500">not needed</span>}</td>
                  <td className="px-2 py-2 whitespace-nowrap">{utc(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
