"use client";

import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import { BlastRadius } from "@/components/approvals/blast-radius";
import { Countdown } from "@/components/approvals/countdown";
import { SOURCE_LABEL, ago, duration, utc } from "@/components/approvals/format";
import { LiveStatus } from "@/components/approvals/live-status";
import { riskOf } from "@/components/approvals/risk";
import { RiskBadge, StatusBadge } from "@/components/approvals/status-badge";
import type { ActionRequest, PolicyDoc, Viewer } from "@/components/approvals/types";
import { useApproval, usePolicyHead } from "@/components/approvals/use-approvals";
import { VotePanel } from "@/components/approvals/vote-panel";
import { VotesList } from "@/components/approvals/votes-list";
import { coveringStop, stopLabel } from "@/components/approvals/stops";
import { useControls } from "@/components/controls/use-controls";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ApiError } from "@/lib/client/api";

/** One request: what the agent wants to do, under which rule, and who has voted. Live. */
export function RequestDetail({ id, viewer }: { id: string; viewer: Viewer }) {
  const q = useApproval(id);
  const policy = usePolicyHead();
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading the request…</p>;
  if (q.error && !q.data) {
    return q.error instanceof ApiError && q.error.status === 404 ? (
      <EmptyState title="No such approval request">
        <p>{q.error.message} Requests are never deleted, so the address may be mistyped.</p>
        <Link href="/approvals" className="mt-2 inline-block text-sky-700 underline dark:text-sky-300">Back to the queue</Link>
      </EmptyState>
    ) : (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the request: {q.error.message}</p>
    );
  }
  const r = q.data.request;
  const doc = policy.data?.version?.document;
  const tool = doc?.tools[r.tool];
  const members = r.reviewerGroup ? (doc?.reviewer_groups[r.reviewerGroup] ?? []) : null;
  const risk = riskOf(r, tool);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold"><span className="font-mono">{r.tool}</span> for {r.tenant}</h2>
        <StatusBadge status={r.status} />
        {r.status === "pending" && <RiskBadge {...risk} />}
        {r.status === "pending" && <Countdown expiresAt={r.expiresAt} className="text-sm" />}
        <span className="ml-auto"><LiveStatus query={q} /></span>
      </div>
      <Outcome r={r} />
      <StoppedNote r={r} kind={tool?.kind} />
      <PolicyRefusedNote r={r} />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-4">
          <Card title="Arguments">
            {r.args === null || r.args === undefined ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">The agent sent no arguments.</p>
            ) : (
              <pre data-testid="request-args" tabIndex={0} aria-label="Arguments as JSON" className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-900 dark:bg-slate-950 dark:text-slate-100">{JSON.stringify(r.args, null, 2)}</pre>
            )}
          </Card>
          <Card title="Blast radius and reversal">
            <BlastRadius tool={r.tool} value={r.blastRadius} bound={tool?.blast_radius?.max} />
            <h3 className="mt-4 text-sm font-medium">Reversal plan</h3>
            {r.reversal ? (
              <p className="mt-1 text-sm whitespace-pre-wrap">{r.reversal}</p>
            ) : (
              <p className="mt-1 text-sm text-amber-900 dark:text-amber-200"><span aria-hidden>⚠ </span>None given: assume the action cannot be undone.</p>
            )}
          </Card>
          <Card title={`Votes (${r.approvals} approve, ${r.rejections} reject)`}>
            <VotesList votes={r.votes} />
          </Card>
        </div>
        <div className="space-y-4">
          <VotePanel request={r} viewer={viewer} groupMembers={members} />
          <Card title="Why it needs approval">
            <Rule r={r} doc={doc} members={members} />
          </Card>
          <Card title="Who is asking">
            <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
              <Row term="Agent" value={<><span className="font-mono">{r.agentId}</span>{doc?.agents[r.agentId]?.description ? <span className="block text-xs text-slate-500 dark:text-slate-400">{doc.agents[r.agentId]!.description}</span> : null}</>} />
              <Row term="Tenant" value={<span className="font-mono">{r.tenant}</span>} />
              <Row term="Session" value={<span className="font-mono break-all">{r.session}</span>} />
              <Row term="Token" value={r.tokenId ? <span className="font-mono text-xs break-all">{r.tokenId}</span> : "not recorded"} />
              <Row term="On behalf of" value={r.initiator ? <>{r.initiator} <span className="text-xs text-slate-500">(cannot vote on it)</span></> : "no initiator named"} />
              <Row term="Decision" value={<span className="font-mono text-xs break-all">{r.decisionId}</span>} />
              {r.idempotencyKey && <Row term="Idempotency key" value={<span className="font-mono text-xs break-all">{r.idempotencyKey}</span>} />}
            </dl>
          </Card>
        </div>
      </div>
    </div>
  );
}

function Row({ term, value }: { term: string; value: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Rule({ r, doc, members }: { r: ActionRequest; doc: PolicyDoc | undefined; members: string[] | null }) {
  const live = doc?.tools[r.tool]?.approval;
  const changed = r.source === "rule" && live && (live.quorum !== r.quorum || live.group !== r.reviewerGroup);
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm" data-testid="approval-rule">
      <Row term="Quorum" value={<>{r.quorum} approval{r.quorum === 1 ? "" : "s"} {r.reviewerGroup ? <>of group <span className="font-mono">{r.reviewerGroup}</span></> : "from any reviewer"}</>} />
      {members && <Row term="Members" value={members.length ? members.join(", ") : "none: nobody can approve; ask an editor"} />}
      <Row term="Rejected by" value={`${r.rejectThreshold} rejection${r.rejectThreshold === 1 ? "" : "s"}`} />
      <Row term="Source" value={SOURCE_LABEL[r.source] ?? r.source} />
      <Row term="Policy" value={`version ${r.policyVersion}, generation ${r.generation}`} />
      <Row term="Requested" value={`${utc(r.createdAt, true)} (${ago(r.createdAt)})`} />
      <Row term="Expires" value={<>{utc(r.expiresAt, true)} {r.status === "pending" ? <Countdown expiresAt={r.expiresAt} /> : `(window of ${duration(Date.parse(r.expiresAt) - Date.parse(r.createdAt))})`}</>} />
      {changed && <Row term="Live rule" value={`The live policy now asks ${live.quorum} of ${live.group}; this request keeps the rule it was opened under.`} />}
    </dl>
  );
}

/** Reviewers deciding during an incident should know an approval will not run while a stop holds. */
function StoppedNote({ r, kind }: { r: ActionRequest; kind: string | undefined }) {
  const controls = useControls();
  if (r.executedAt || (r.status !== "pending" && r.status !== "approved")) return null;
  const stop = coveringStop(controls.data?.controls ?? [], r, kind);
  if (!stop) return null;
  const what = stopLabel(stop);
  return (
    <p role="note" data-testid="request-stopped" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200">
      <strong>{what}</strong> (by {stop.setBy} {ago(stop.setAt)}{stop.reason ? `: ${stop.reason}` : ""}). {r.status === "approved" ? "This approved action" : "If approved, this action"} does not run while the stop holds; the agent can run it once the stop is lifted.
    </p>
  );
}

/** The live policy refuses the call now (the agent lost the tool, the tier changed…): approving it would not run it. */
function PolicyRefusedNote({ r }: { r: ActionRequest }) {
  const live = r.livePolicy;
  if (!live || live.allows) return null;
  return (
    <p role="note" data-testid="request-policy-refused" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
      <strong>The live policy (version {live.policyVersion}) no longer allows this call</strong>: {live.reason.message} (<span className="font-mono">{live.reason.primitive}</span>). {r.status === "approved" ? "This approved action" : "If approved, this action"} does not run unless the policy allows it again.
    </p>
  );
}

function Outcome({ r }: { r: ActionRequest }) {
  if (r.status === "pending") return null;
  const text =
    r.status === "approved"
      ? r.executedAt
        ? `Approved by ${r.resolvedBy ?? "unknown"} at ${utc(r.resolvedAt, true)}; the agent ran it at ${utc(r.executedAt, true)} (an approval allows one execution).`
        : `Approved by ${r.resolvedBy ?? "unknown"} at ${utc(r.resolvedAt, true)}; the agent has not run it yet.`
      : r.status === "rejected"
        ? `Rejected by ${r.resolvedBy ?? "unknown"} at ${utc(r.resolvedAt, true)}; the agent may not run it.`
        : `Expired at ${utc(r.expiresAt, true)} without reaching quorum; the agent may not run it.`;
  return (
    <p role="status" data-testid="request-outcome" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-800/60">
      {text}{r.resolution && r.status !== "expired" ? ` (${r.resolution})` : ""}
    </p>
  );
}
