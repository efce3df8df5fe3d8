"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useEffect, useId, useState } from "react";
import { FilterBar } from "@/components/approvals/filter-bar";
import { approvalsPath, type RequestFilter } from "@/components/approvals/filter-params";
import { utc } from "@/components/approvals/format";
import { StatusBadge } from "@/components/approvals/status-badge";
import type { ActionRequest } from "@/components/approvals/types";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

const PAGE = 200; // the API's page size
const STATUSES = [
  { value: "resolved", label: "Any outcome" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "expired", label: "Expired" },
];

/** Decided requests, newest first, searchable and paged by creation time. Nothing is ever deleted. */
export function ApprovalHistory({ initial }: { initial: RequestFilter }) {
  const [filter, setFilter] = useState<RequestFilter>({ ...initial, status: initial.status ?? "resolved" });
  const [search, setSearch] = useState(initial.q ?? "");
  const searchId = useId();
  // Search as the reviewer types, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.q === (search.trim() || undefined) ? f : { ...f, q: search.trim() || undefined })), 300);
    return () => clearTimeout(t);
  }, [search]);

  const apiFilter = { ...filter, status: filter.status === "resolved" ? undefined : filter.status };
  const query = useInfiniteQuery({
    queryKey: ["approvals-history", apiFilter],
    queryFn: ({ pageParam }) => api<{ requests: ActionRequest[] }>(approvalsPath({ ...apiFilter, before: pageParam || undefined })),
    initialPageParam: "",
    getNextPageParam: (last) => (last.requests.length === PAGE ? last.requests.at(-1)?.createdAt : undefined),
    refetchInterval: 10_000,
  });
  // "Any outcome" asks for every status; requests still waiting belong to the queue.
  const rows = (query.data?.pages.flatMap((p) => p.requests) ?? []).filter((r) => r.status !== "pending");
  const narrowed = Boolean(filter.q || filter.tool || filter.agent || filter.tenant || filter.status !== "resolved");

  return (
    <div className="space-y-4">
      <div>
        <label htmlFor={searchId} className="block text-sm font-medium">Search</label>
        <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="tool, agent, tenant, session or resolution" className="mt-1 block w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
      </div>
      <FilterBar value={filter} onChange={setFilter} statuses={STATUSES} />
      {query.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading decided requests…</p>
      ) : query.error && !query.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the history: {query.error.message}</p>
      ) : rows.length === 0 ? (
        narrowed ? (
          <EmptyState title="No decided requests match">
            <p>Try fewer words or wider filters. Search matches the tool, agent, tenant, session and resolution.</p>
            <Button variant="secondary" className="mt-3" onClick={() => { setSearch(""); setFilter({ status: "resolved" }); }}>Clear search and filters</Button>
          </EmptyState>
        ) : (
          <EmptyState title="No request has been decided yet">
            Requests land here once reviewers approve or reject them, or when they expire. Open the Queue to vote on the ones waiting now.
          </EmptyState>
        )
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">{rows.length} decided request{rows.length === 1 ? "" : "s"} shown, newest first. Decided requests are kept for good.</p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-sm" data-testid="approval-history">
              <caption className="sr-only">Decided approval requests</caption>
              <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Requested</th>
                  <th scope="col" className="px-3 py-2 font-medium">Action</th>
                  <th scope="col" className="px-3 py-2 font-medium">Agent · session</th>
                  <th scope="col" className="px-3 py-2 font-medium">Outcome</th>
                  <th scope="col" className="px-3 py-2 font-medium">Votes</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{utc(r.createdAt)}</td>
                    <td className="px-3 py-2">
                      <Link href={`/approvals/${r.id}`} className="font-mono font-semibold text-sky-700 underline-offset-2 hover:underline dark:text-sky-300">
                        {r.tool}<span className="sr-only"> for {r.tenant}, session {r.session}: details</span>
                      </Link>
                      <span className="text-slate-600 dark:text-slate-400"> for {r.tenant}</span>
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{r.agentId}<div className="text-slate-500 dark:text-slate-400">{r.session}</div></td>
                    <td className="px-3 py-2 text-xs">
                      <StatusBadge status={r.status} />
                      <div className="mt-1 text-slate-600 dark:text-slate-400">
                        {r.status === "expired" ? `at ${utc(r.expiresAt)}` : `by ${r.resolvedBy ?? "unknown"} at ${utc(r.resolvedAt)}`}
                        {r.executedAt && <div>ran {utc(r.executedAt)}</div>}
                      </div>
                    </td>
                    <td className="px-3 py-2 text-xs">
                      {r.votes.length === 0 ? "none" : r.votes.map((v) => (
                        <div key={v.id}><span aria-hidden>{v.vote === "approve" ? "✓ " : "✕ "}</span>{v.voter} {v.vote === "approve" ? "approved" : "rejected"}</div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {query.hasNextPage ? (
            <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? "Loading older requests…" : "Load older requests"}
            </Button>
          ) : (
            <p className="text-xs text-slate-500">That is every decided request{narrowed ? " that matches" : ""}.</p>
          )}
        </>
      )}
    </div>
  );
}
