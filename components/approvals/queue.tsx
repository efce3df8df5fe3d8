"use client";

import { Link } from "@/components/ui/link";
import { useState } from "react";
import { BulkReject } from "@/components/approvals/bulk-reject";
import { Countdown } from "@/components/approvals/countdown";
import { FilterBar } from "@/components/approvals/filter-bar";
import type { RequestFilter } from "@/components/approvals/filter-params";
import { ago, utc } from "@/components/approvals/format";
import { LiveStatus } from "@/components/approvals/live-status";
import { byRiskThenAge, riskOf } from "@/components/approvals/risk";
import { RiskBadge, StatusBadge } from "@/components/approvals/status-badge";
import { coveringStop, stopLabel } from "@/components/approvals/stops";
import { useControls, type ActiveControl } from "@/components/controls/use-controls";
import type { ActionRequest } from "@/components/approvals/types";
import { useApprovalList, usePolicyHead } from "@/components/approvals/use-approvals";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { StopIcon } from "@/components/ui/icons";
import { QUEUE_END } from "@/lib/approvals/queue-size";

const STATUSES = [
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "expired", label: "Expired" },
  { value: "all", label: "Any status" },
];

/** The reviewers' queue: pending requests, riskiest and longest-waiting first, live. */
export function ApprovalQueue({ initial, canVote }: { initial: RequestFilter; canVote: boolean }) {
  const [filter, setFilter] = useState<RequestFilter>({ ...initial, status: initial.status ?? "pending" });
  const pendingView = filter.status === "pending";
  const apiFilter: RequestFilter = pendingView ? { ...filter, status: undefined, view: "queue" } : { ...filter, status: filter.status === "all" ? undefined : filter.status };
  const list = useApprovalList(apiFilter);
  const policy = usePolicyHead();
  const controls = useControls();
  const tools = policy.data?.version?.document.tools ?? {};
  // The API already reports a pending request past its expiry as expired; it belongs in History.
  const rows = (list.data?.requests ?? []).filter((r) => !pendingView || r.status === "pending");
  const ordered = pendingView ? byRiskThenAge(rows, tools) : rows.map((r) => ({ request: r, risk: riskOf(r, tools[r.tool]) }));
  const filtered = Boolean(filter.tool || filter.agent || filter.tenant || !pendingView);

  return (
    <div className="space-y-4">
      <FilterBar value={filter} onChange={setFilter} statuses={STATUSES} />
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <p className="text-slate-600 dark:text-slate-400" data-testid="queue-count">
          {list.data ? `${(pendingView ? (list.data.waiting ?? rows.length) : rows.length).toLocaleString("en-US")}${pendingView && list.data.waitingCapped ? "+" : ""} ${pendingView ? "waiting" : "shown"}` : ""}
          {pendingView ? " · riskiest first, then longest waiting" : " · newest first"}
        </p>
        <div className="flex items-center gap-3">
          <LiveStatus query={list} />
          {pendingView && canVote && ordered.length > 0 && <BulkReject filter={filter} />}
        </div>
      </div>
      {/* Only when the server split the queue: a request that expired on the way is not "the others". */}
      {pendingView && list.data?.waiting !== undefined && list.data.waiting > 2 * QUEUE_END ? (
        <p role="note" data-testid="queue-partial" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-200">
          Showing {rows.length.toLocaleString("en-US")} of {list.data.waiting.toLocaleString("en-US")}{list.data.waitingCapped ? "+" : ""}: the {QUEUE_END} that expire soonest and the {QUEUE_END} newest, riskiest first. Narrow by tool, agent or tenant to reach the others.
        </p>
      ) : null}
      <RiskExplainer />
      {list.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading the queue…</p>
      ) : list.error && !list.data ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the queue: {list.error.message}</p>
      ) : ordered.length === 0 ? (
        filtered ? (
          <EmptyState title="No requests match these filters">
            <p>Widen the filters, or look under History for requests that were already decided.</p>
            <Button variant="secondary" className="mt-3" onClick={() => setFilter({ status: "pending" })}>Show all pending requests</Button>
          </EmptyState>
        ) : (
          <EmptyState title="Nothing is waiting for approval">
            Agent actions that need N-of-M reviewer approval appear here within seconds of an agent asking; this page updates by itself. Decided requests are under History.
          </EmptyState>
        )
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="approval-queue">
            <caption className="sr-only">Approval requests</caption>
            <thead className="bg-slate-50 text-left text-slate-500 dark:bg-slate-800/50 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Risk</th>
                <th scope="col" className="px-3 py-2 font-medium">Action</th>
                <th scope="col" className="px-3 py-2 font-medium">Agent · session</th>
                <th scope="col" className="px-3 py-2 font-medium">Votes</th>
                <th scope="col" className="px-3 py-2 font-medium">Waiting</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody>
              {ordered.map(({ request: r, risk }) => (
                <tr key={r.id} className="border-t border-slate-100 align-top dark:border-slate-800" data-testid="approval-row">
                  <td className="px-3 py-2"><RiskBadge {...risk} /></td>
                  <td className="px-3 py-2">
                    <Link href={`/approvals/${r.id}`} className="font-mono font-semibold text-sky-700 underline-offset-2 hover:underline dark:text-sky-300">
                      {r.tool}<span className="sr-only"> for {r.tenant}, session {r.session}: review</span>
                    </Link>
                    <span className="text-slate-600 dark:text-slate-400"> for {r.tenant}</span>
                    {risk.reasons.length > 0 && <div className="text-xs text-slate-500 dark:text-slate-400">{risk.reasons.join(" · ")}</div>}
                  </td>
                  <td className="px-3 py-2">
                    <span className="font-mono text-xs">{r.agentId}</span>
                    <div className="font-mono text-xs text-slate-500 dark:text-slate-400">{r.session}</div>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {r.approvals} of {r.required} approval{r.required === 1 ? "" : "s"}
                    {r.rejections > 0 && <div className="text-xs text-red-800 dark:text-red-300">{r.rejections} reject</div>}
                  </td>
                  <td className="px-3 py-2 text-xs whitespace-nowrap" title={utc(r.createdAt, true)}>{ago(r.createdAt)}</td>
                  <td className="px-3 py-2 text-xs">
                    <StatusBadge status={r.status} />
                    <div className="mt-1">{r.status === "pending" ? <Countdown expiresAt={r.expiresAt} /> : r.resolvedBy ? `by ${r.resolvedBy}` : null}</div>
                    {policy.data && <StopTag r={r} controls={controls.data?.controls} kind={tools[r.tool]?.kind} />}
                    <PolicyRefusedTag r={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Marks a row whose action would not run now because a stop covers it. */
function StopTag({ r, controls, kind }: { r: ActionRequest; controls: ActiveControl[] | undefined; kind: string | undefined }) {
  if (!controls || (r.status !== "pending" && !(r.status === "approved" && !r.executedAt))) return null;
  const stop = coveringStop(controls, r, kind);
  if (!stop) return null;
  return (
    <div className="mt-1 text-xs font-medium text-red-700 dark:text-red-300" data-testid="row-stopped" title={`Set by ${stop.setBy}${stop.reason ? `: ${stop.reason}` : ""}. An approval does not run while it holds.`}>
      <StopIcon className="mr-1" />{stopLabel(stop)}
    </div>
  );
}

/** Marks a row the live policy would refuse even once approved (the agent lost the tool, the tier changed…). */
function PolicyRefusedTag({ r }: { r: ActionRequest }) {
  const live = r.livePolicy;
  if (!live || live.allows) return null;
  return (
    <div className="mt-1 text-xs font-medium text-amber-800 dark:text-amber-300" data-testid="row-policy-refused" title={`${live.reason.message}. An approval does not run it unless the policy allows it again.`}>
      <StopIcon className="mr-1" />Policy v{live.policyVersion} refuses: <span className="font-mono">{live.reason.primitive}</span>
      <span className="sr-only">: {live.reason.message}</span>
    </div>
  );
}

function RiskExplainer() {
  return (
    <details className="rounded-md border border-slate-200 px-3 py-2 text-sm dark:border-slate-800">
      <summary className="cursor-pointer font-medium">How the queue orders requests</summary>
      <p className="mt-2 text-slate-600 dark:text-slate-400">Riskiest first, then the one that has waited longest. The risk score adds up:</p>
      <ul className="mt-1 list-disc pl-5 text-slate-600 dark:text-slate-400">
        <li>tool kind: destructive or schema 4, write or send 2, read 0, not in the policy 3;</li>
        <li>blast radius: up to 3 as it nears the tool&apos;s bound (1 when the agent declared none);</li>
        <li>source: zone crossing 2, approval rule 1, approval-all mode 0;</li>
        <li>no reversal plan 1; expiring within 5 min 2, within 15 min 1.</li>
      </ul>
      <p className="mt-1 text-slate-600 dark:text-slate-400">6 or more is high risk, 4 or more medium, otherwise low. Requests the live policy now refuses (marked &ldquo;Policy v… refuses&rdquo;) come last whatever their risk: approving them runs nothing.</p>
    </details>
  );
}
