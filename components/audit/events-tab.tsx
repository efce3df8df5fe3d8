"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { EventDetail } from "@/components/audit/event-detail";
import { ExportBundle } from "@/components/audit/export-bundle";
import { FilterForm, type FieldSpec } from "@/components/audit/filter-form";
import { toQuery, type EventKey, type Filters } from "@/components/audit/filters";
import { shortHash, utc } from "@/components/audit/format";
import { HowToVerify } from "@/components/audit/how-to-verify";
import type { EventPage } from "@/components/audit/types";
import { VerifyRange } from "@/components/audit/verify-range";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

const PAGE = 50;
const FIELDS: FieldSpec<EventKey>[] = [
  { key: "from", label: "From (UTC)", kind: "time" },
  { key: "to", label: "To (UTC)", kind: "time", end: true },
  { key: "actor", label: "Actor", kind: "text", placeholder: "auditor", hint: "Exact user name or actor id." },
  { key: "action", label: "Action", kind: "text", placeholder: "auth.login", hint: "Prefix: policy. matches every policy action." },
  { key: "target", label: "Target", kind: "text", placeholder: "user:editor", hint: "Prefix of the target." },
  { key: "tool", label: "Tool", kind: "text", placeholder: "refund" },
  { key: "agent", label: "Agent", kind: "text", placeholder: "support-bot" },
  { key: "q", label: "Search", kind: "text", placeholder: "any text", hint: "In action, target, actor or reason." },
];
const COLS = 7;

/** The hash-chained event log, newest first, filtered from the address and paged by seq. */
export function EventsTab({ filters, onFilters, canExport, formKey }: { filters: Filters<EventKey>; onFilters: (f: Filters<EventKey>) => void; canExport: boolean; formKey: string }) {
  const [open, setOpen] = useState<number | null>(null);
  const query = useInfiniteQuery({
    queryKey: ["audit-events", filters],
    queryFn: ({ pageParam }) => api<EventPage>(`/api/v1/admin/audit${toQuery({ ...filters, limit: String(PAGE), cursor: pageParam || undefined })}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.events) ?? [];
  const range = rows.length ? { from: rows[rows.length - 1]!.seq, to: rows[0]!.seq } : null;
  const narrowed = Object.keys(filters).length > 0;

  return (
    <div className="space-y-4">
      <FilterForm key={formKey} label="Filter audit events" fields={FIELDS} value={filters} onApply={onFilters} />

      <div className="grid gap-4 lg:grid-cols-2">
        <VerifyRange range={range} />
        {canExport && (
          <div className="space-y-2">
            <ExportBundle filters={filters} />
            <HowToVerify />
          </div>
        )}
      </div>

      {query.isPending ? (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">Loading audit events…</p>
      ) : query.error && !query.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load audit events: {query.error.message}</p>
      ) : rows.length === 0 ? (
        narrowed ? (
          <EmptyState title="No events match these filters">
            <p>Action and target match by prefix, actor matches exactly. Widen the time range or clear a filter.</p>
            <Button variant="secondary" className="mt-3" onClick={() => onFilters({})}>Clear filters</Button>
          </EmptyState>
        ) : (
          <EmptyState title="No audit events yet">Sign-ins, policy changes, approvals and token changes appear here as they happen.</EmptyState>
        )
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {rows.length} event{rows.length === 1 ? "" : "s"} loaded (#{range?.from}–#{range?.to}), newest first{narrowed ? ", matching the filters" : ""}.
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full min-w-[52rem] text-sm" data-testid="audit-table">
              <caption className="sr-only">Audit events, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">#</th>
                  <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
                  <th scope="col" className="px-3 py-2 font-medium">Actor</th>
                  <th scope="col" className="px-3 py-2 font-medium">Action</th>
                  <th scope="col" className="px-3 py-2 font-medium">Target</th>
                  <th scope="col" className="px-3 py-2 font-medium">Hash</th>
                  <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const expanded = open === r.seq;
                  const detailId = `audit-event-${r.seq}`;
                  return (
                    <Fragment key={r.seq}>
                      <tr className={`border-t border-slate-100 align-top dark:border-slate-800 ${expanded ? "bg-sky-50/60 dark:bg-sky-950/30" : ""}`}>
                        <td className="px-3 py-2 font-mono text-xs">{r.seq}</td>
                        <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{utc(r.at).replace(" UTC", "")}</td>
                        <td className="px-3 py-2">{r.actorName} <span className="text-xs text-slate-500 dark:text-slate-400">({r.actorType})</span></td>
                        <td className="px-3 py-2 font-mono text-xs">{r.action}</td>
                        <td className="max-w-xs px-3 py-2 font-mono text-xs break-all">{r.target}</td>
                        <td className="px-3 py-2 font-mono text-xs text-slate-500 dark:text-slate-400" title={r.hash}>{shortHash(r.hash, 8)}</td>
                        <td className="px-3 py-2 text-right">
                          <button
                            type="button"
                            aria-expanded={expanded}
                            aria-controls={expanded ? detailId : undefined}
                            onClick={() => setOpen(expanded ? null : r.seq)}
                            className="rounded px-1 text-xs font-medium whitespace-nowrap text-sky-700 hover:underline dark:text-sky-300"
                          >
                            {expanded ? "Hide" : "Details"}<span className="sr-only"> of event #{r.seq}</span>
                          </button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr id={detailId} className="bg-slate-50 dark:bg-slate-950">
                          <td colSpan={COLS} className="px-3 py-4">
                            <EventDetail event={r} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {query.error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load more: {query.error.message}</p>}
          {query.hasNextPage ? (
            <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? "Loading older events…" : "Load older events"}
            </Button>
          ) : (
            <p className="text-xs text-slate-500 dark:text-slate-400">That is every event{narrowed ? " that matches" : ""}, back to #{range?.from}.</p>
          )}
        </>
      )}
    </div>
  );
}
