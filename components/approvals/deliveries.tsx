"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { utc } from "@/components/approvals/format";
import { LiveStatus } from "@/components/approvals/live-status";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { api } from "@/lib/client/api";

interface Delivery {
  id: string;
  url: string;
  event: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  deliveredAt: string | null;
}

const MAX_ATTEMPTS = 6; // lib/notify/webhooks.ts

// Failed deliveries stand out by row colour, a glyph and the word; a retrying one says so too.
function look(d: Delivery) {
  if (d.status === "failed") return { glyph: "✕", label: "failed", row: "bg-red-50 dark:bg-red-950/50", badge: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100" };
  if (d.status === "delivered") return { glyph: "✓", label: "delivered", row: "", badge: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" };
  if (d.lastError) return { glyph: "↻", label: "retrying", row: "bg-amber-50 dark:bg-amber-950/40", badge: "bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-100" };
  return { glyph: "◷", label: "pending", row: "", badge: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" };
}

/** The last 100 webhook deliveries, newest first, live. */
export function Deliveries() {
  const [status, setStatus] = useState("");
  const q = useQuery({
    queryKey: ["webhook-deliveries", status],
    queryFn: () => api<{ deliveries: Delivery[] }>(`/api/v1/admin/webhooks/deliveries${status ? `?status=${status}` : ""}`),
    refetchInterval: 5000,
  });
  const rows = q.data?.deliveries ?? [];
  const failed = rows.filter((d) => d.status === "failed").length;

  return (
    <Card title="Recent deliveries">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div className="w-56">
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value)} options={[{ value: "", label: "Any status" }, { value: "failed", label: "Failed" }, { value: "pending", label: "Pending or retrying" }, { value: "delivered", label: "Delivered" }]} />
        </div>
        <LiveStatus query={q} />
      </div>
      {failed > 0 && (
        <p role="status" className="mb-3 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <span aria-hidden>✕ </span>{failed} deliver{failed === 1 ? "y" : "ies"} gave up after {MAX_ATTEMPTS} attempts. Check the URL and the receiving service; reviewers were not told through it.
        </p>
      )}
      {q.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading deliveries…</p>
      ) : q.error && !q.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load deliveries: {q.error.message}</p>
      ) : rows.length === 0 ? (
        <EmptyState title={status ? `No ${status} deliveries` : "Nothing has been sent yet"}>
          {status ? "Pick “Any status” to see every recent delivery." : "Deliveries appear here once a webhook URL is set and an approval request opens, resolves or expires."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="deliveries-table">
            <caption className="sr-only">Webhook deliveries</caption>
            <thead className="text-left text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-2 py-2 font-medium">Status</th>
                <th scope="col" className="px-2 py-2 font-medium">Event</th>
                <th scope="col" className="px-2 py-2 font-medium">URL</th>
                <th scope="col" className="px-2 py-2 font-medium">Attempts</th>
                <th scope="col" className="px-2 py-2 font-medium">Last error</th>
                <th scope="col" className="px-2 py-2 font-medium">Time (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => {
                const l = look(d);
                return (
                  <tr key={d.id} className={`border-t border-slate-100 align-top dark:border-slate-800 ${l.row}`} data-status={d.status}>
                    <td className="px-2 py-2">
                      <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${l.badge}`}><span aria-hidden>{l.glyph}</span>{l.label}</span>
                    </td>
                    <td className="px-2 py-2 font-mono text-xs">{d.event}</td>
                    <td className="max-w-64 px-2 py-2 font-mono text-xs break-all">{d.url}</td>
                    <td className="px-2 py-2 text-xs whitespace-nowrap">{d.attempts} of {MAX_ATTEMPTS}</td>
                    <td className="px-2 py-2 text-xs">{d.lastError ?? <span className="text-slate-500">none</span>}</td>
                    <td className="px-2 py-2 text-xs whitespace-nowrap">
                      queued {utc(d.createdAt, true).replace(" UTC", "")}
                      {d.deliveredAt && <div>delivered {utc(d.deliveredAt, true).replace(" UTC", "")}</div>}
                      {d.status === "pending" && <div>next try {utc(d.nextAttemptAt, true).replace(" UTC", "")}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
