"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { DecisionDetail } from "@/components/audit/decision-detail";
import { FilterForm, type FieldSpec } from "@/components/audit/filter-form";
import { toQuery, type DecisionKey, type Filters } from "@/components/audit/filters";
import { utc } from "@/components/audit/format";
import type { DecisionPage } from "@/components/audit/types";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

const PAGE = 50;
const FIELDS: FieldSpec<DecisionKey>[] = [
  { key: "from", label: "From (UTC)", kind: "time" },
  { key: "to", label: "To (UTC)", kind: "time", end: true },
  { key: "agent", label: "Agent", kind: "text", placeholder: "support-bot" },
  { key: "tool", label: "Tool", kind: "text", placeholder: "refund" },
  { key: "tenant", label: "Tenant", kind: "text", placeholder: "acme" },
  {
    key: "verdict",
    label: "Verdict",
    kind: "select",
    options: [
      { value: "", label: "Any verdict" },
      { value: "allow", label: "Allow" },
      { value: "deny", label: "Deny" },
      { value: "pending", label: "Pending approval" },
    ],
  },
  { key: "primitive", label: "Primitive", kind: "text", placeholder: "rate_limit", hint: "The rule that decided, exactly." },
];
const COLS = 8;

// Text and a glyph carry the verdict; the colour only reinforces it.
const VERDICT: Record<string, { glyph: string; cls: string }> = {
  allow: { glyph: "✓", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  deny: { glyph: "✕", cls: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  pending: { glyph: "◷", cls: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
};
function VerdictBadge({ verdict, failsafe }: { verdict: string; failsafe: boolean }) {
  const v = VERDICT[verdict] ?? { glyph: "?", cls: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" };
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${v.cls}`}>
      <span aria-hidden>{v.glyph}</span>
      {verdict}
      {failsafe && <span className="font-normal">(fail-safe)</span>}
    </span>
  );
}

/** Every recorded decision of the data plane, newest first, each with its inclusion proof. */
export function DecisionsTab({ filters, onFilters, formKey }: { filters: Filters<DecisionKey>; onFilters: (f: Filters<DecisionKey>) => void; formKey: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: ["audit-decisions", filters],
    queryFn: ({ pageParam }) => api<DecisionPage>(`/api/v1/admin/audit/decisions${toQuery({ ...filters, limit: String(PAGE), cursor: pageParam || undefined })}`),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.decisions) ?? [];
  const narrowed = Object.keys(filters).length > 0;

  return (
    <div className="space-y-4">
      <FilterForm key={formKey} label="Filter decisions" fields={FIELDS} value={filters} onApply={onFilters} />
      {query.isPending ? (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">Loading decisions…</p>
      ) : query.error && !query.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load decisions: {query.error.message}</p>
      ) : rows.length === 0 ? (
        narrowed ? (
          <EmptyState title="No decisions match these filters">
            <p>Agent, tool, tenant and primitive match exactly. Widen the time range or clear a filter.</p>
            <Button variant="secondary" className="mt-3" onClick={() => onFilters({})}>Clear filters</Button>
          </EmptyState>
        ) : (
          <EmptyState title="No decisions recorded yet">Each tool call an agent sends to /api/v1/decide is recorded here and sealed into the audit chain within a second.</EmptyState>
        )
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">{rows.length} decision{rows.length === 1 ? "" : "s"} loaded, newest first{narrowed ? ", matching the filters" : ""}.</p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full min-w-[52rem] text-sm" data-testid="decisions-table">
              <caption className="sr-only">Recorded decisions, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
                  <th scope="col" className="px-3 py-2 font-medium">Agent</th>
                  <th scope="col" className="px-3 py-2 font-medium">Tenant</th>
                  <th scope="col" className="px-3 py-2 font-medium">Tool</th>
                  <th scope="col" className="px-3 py-2 font-medium">Verdict</th>
                  <th scope="col" className="px-3 py-2 font-medium">Primitive</th>
                  <th scope="col" className="px-3 py-2 font-medium">Sealed</th>
                  <th scope="col" className="px-3 py-2 font-medium"><span className="sr-only">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => {
                  const expanded = open === d.id;
                  const detailId = `audit-decision-${d.id}`;
                  return (
                    <Fragment key={d.id}>
                      <tr className={`border-t border-slate-100 align-top dark:border-slate-800 ${expanded ? "bg-sky-50/60 dark:bg-sky-950/30" : ""}`}>
                        <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{utc(d.at).replace(" UTC", "")}</td>
                        <td className="px-3 py-2 font-mono text-xs">{d.agentId}</td>
                        <td className="px-3 py-2 font-mono text-xs">{d.tenant}</td>
                        <td className="px-3 py-2 font-mono text-xs">{d.tool}</td>
                        <td className="px-3 py-2"><VerdictBadge verdict={d.decision} failsafe={d.failsafe} /></td>
                        <td className="px-3 py-2 font-mono text-xs">{d.primitive ?? "—"}</td>
                        <td className="px-3 py-2 text-xs whitespace-nowrap">{d.batchId === null ? "not yet" : `batch ${d.batchId}, leaf ${d.batchIndex}`}</td>
                        <td className="px-3 py-2 text-right">
                          <button
                            type="button"
                            aria-expanded={expanded}
                            aria-controls={expanded ? detailId : undefined}
                            onClick={() => setOpen(expanded ? null : d.id)}
                            className="rounded px-1 text-xs font-medium whitespace-nowrap text-sky-700 hover:underline dark:text-sky-300"
                          >
                            {expanded ? "Hide" : "Details"}<span className="sr-only"> and proof of decision {d.id}</span>
                          </button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr id={detailId} className="bg-slate-50 dark:bg-slate-950">
                          <td colSpan={COLS} className="px-3 py-4"><DecisionDetail decision={d} /></td>
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
              {query.isFetchingNextPage ? "Loading older decisions…" : "Load older decisions"}
            </Button>
          ) : (
            <p className="text-xs text-slate-500 dark:text-slate-400">That is every decision{narrowed ? " that matches" : ""}.</p>
          )}
        </>
      )}
    </div>
  );
}
