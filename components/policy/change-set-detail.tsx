"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { AcknowledgeStateConflicts, ApplyFeedback, isStateConflict } from "@/components/policy/apply-feedback";
import { Notice, StatusBadge } from "@/components/policy/bits";
import { ImpactPreview } from "@/components/policy/impact-preview";
import { show } from "@/components/policy/pending-ops";
import { fetchChangeSet } from "@/components/policy/review-panel";
import { OPEN_STATUSES, utc, type ApplyResult, type PolicyHead, type Preview } from "@/components/policy/types";
import { VotesList, approvalsOn } from "@/components/policy/votes-list";
import { api } from "@/lib/client/api";
import { applyOps, type ChangeOp } from "@/lib/changesets/ops";
import { sensitivityReasons } from "@/lib/changesets/sensitivity";
import { diffDocuments } from "@/lib/policy/diff";
import { PolicyDocument } from "@/lib/policy/document";
import type { Json } from "@/lib/policy/keypath";

/** Why the change set needs approval, judged against the live policy as the server judges it. */
function whySensitive(liveRaw: unknown, ops: ChangeOp[]): string[] {
  const live = PolicyDocument.safeParse(liveRaw);
  if (!live.success) return [];
  const raw = applyOps(live.data as unknown as Json, ops);
  const next = PolicyDocument.safeParse(raw);
  return sensitivityReasons(live.data, next.success ? next.data : live.data, diffDocuments(live.data as unknown as Json, raw));
}

/** One change set: its operations, votes, preview, and the actions the viewer's role allows. */
export function ChangeSetDetail({ id, canWrite, canVote, userId }: { id: string; canWrite: boolean; canVote: boolean; userId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery({ queryKey: ["changeset", id], queryFn: () => fetchChangeSet(id), refetchInterval: (s) => (OPEN_STATUSES.has(s.state.data?.changeSet.status ?? "") ? 3000 : false) });
  const head = useQuery({ queryKey: ["policy-head"], queryFn: () => api<PolicyHead>("/api/v1/admin/policy"), refetchInterval: 5000 });
  const [comment, setComment] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [confirm, setConfirm] = useState<"apply" | "abandon" | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [ack, setAck] = useState(false);
  const [applyError, setApplyError] = useState<unknown>(null);

  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ["changeset", id] }), qc.invalidateQueries({ queryKey: ["changesets"] })]);
  const preview = useMutation({ mutationFn: () => api<Preview>(`/api/v1/admin/changesets/${id}/preview`, { method: "POST", body: {} }), onError: (e) => toast("error", e.message) });
  const vote = useMutation({
    mutationFn: (v: "approve" | "reject") => api<{ changeSetStatus: string }>(`/api/v1/admin/changesets/${id}/votes`, { method: "POST", body: { vote: v, ...(comment.trim() ? { comment: comment.trim() } : {}) } }),
    onSuccess: (r, v) => {
      toast("success", v === "approve" ? (r.changeSetStatus === "approved" ? "Approved: the quorum is reached, an editor can apply it." : "Approval recorded.") : "Rejected. The change set is closed.");
      setComment("");
      setRejecting(false);
      void refresh();
    },
    onError: (e) => {
      setRejecting(false);
      toast("error", e.message);
    },
  });
  const apply = useMutation({
    mutationFn: () => api<ApplyResult>(`/api/v1/admin/changesets/${id}/apply`, { method: "POST", body: { ...(reason?.trim() ? { reason: reason.trim() } : {}), acknowledgeStateConflicts: ack } }),
    onMutate: () => setApplyError(null),
    onSuccess: (r) => {
      toast("success", `Applied as version ${r.version}. Agents get it on their next decision.`);
      setConfirm(null);
      preview.reset();
      void refresh();
      void qc.invalidateQueries({ queryKey: ["policy-head"] });
      void qc.invalidateQueries({ queryKey: ["policy-versions"] });
    },
    onError: (e) => {
      setConfirm(null);
      setApplyError(e);
      toast("error", e.message);
      void refresh();
    },
  });
  const abandon = useMutation({
    mutationFn: () => api(`/api/v1/admin/changesets/${id}/abandon`, { method: "POST", body: {} }),
    onSuccess: () => {
      toast("success", "Change set abandoned.");
      setConfirm(null);
      void refresh();
    },
    onError: (e) => toast("error", e.message),
  });
  const rebase = useMutation({
    mutationFn: (to: number) => api(`/api/v1/admin/changesets/${id}`, { method: "PATCH", body: { baseVersion: to } }),
    onSuccess: (_r, to) => {
      toast("success", `Rebased onto version ${to}. Its operations now apply over that version; check the preview.`);
      setApplyError(null);
      void refresh();
    },
    onError: (e) => toast("error", e.message),
  });

  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading the change set…</p>;
  if (q.error) return <Notice tone="error" title="Could not load the change set">{q.error.message}</Notice>;
  const cs = q.data.changeSet;
  const open = OPEN_STATUSES.has(cs.status);
  const live = head.data?.head ?? null;
  const quorum = (head.data?.version?.document as PolicyDocument | undefined)?.change_control?.quorum ?? 1;
  const approvals = approvalsOn(cs.votes, cs.revision);
  const canApply = canWrite && (cs.status === "draft" || cs.status === "approved");
  const showAck = isStateConflict(applyError) || (preview.data?.stateConflicts.length ?? 0) > 0;
  const ownChange = cs.authorId === userId;

  return (
    <div className="space-y-4">
      <Card>
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={cs.status} />
          <span className="text-sm text-slate-600 dark:text-slate-400">
            by {cs.author} · {utc(cs.createdAt)} · written against version {cs.baseVersion} · revision {cs.revision}
            {cs.appliedVersion && <> · applied as <Link className="underline" href={`/policy/history?from=${cs.appliedVersion - 1}&to=${cs.appliedVersion}`}>version {cs.appliedVersion}</Link></>}
          </span>
        </div>
        <p className="mt-2"><span className="font-medium">Reason:</span> {cs.reason}</p>
        {open && live !== null && live !== cs.baseVersion && (
          <div className="mt-3">
            <Notice tone={cs.status === "conflicted" ? "error" : "info"} title={`The live policy is version ${live}; this change set was written against version ${cs.baseVersion}.`}>
              {cs.status === "conflicted" && cs.conflicts?.length ? (
                <ul className="list-inside list-disc">{cs.conflicts.map((c, i) => <li key={i}><code className="font-mono">{c.key}</code> changed in version {c.version}</li>)}</ul>
              ) : (
                "Applying rebases it when none of its keys changed since; the preview shows any overlap."
              )}
              {canWrite && <div className="mt-2"><Button variant="secondary" disabled={rebase.isPending} onClick={() => rebase.mutate(live)}>{rebase.isPending ? "Rebasing…" : `Rebase onto version ${live}`}</Button></div>}
            </Notice>
          </div>
        )}
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={`Operations (${cs.ops.length})`}>
          <ol className="space-y-1 text-xs" data-testid="changeset-ops">
            {cs.ops.map((op, i) => (
              <li key={i} className="rounded-md bg-slate-50 px-2 py-1.5 font-mono break-all dark:bg-slate-800/60">
                <span className="font-medium">{op.key}</span> <span className="text-slate-600 dark:text-slate-400">{op.op === "set" ? `= ${show(op.value as never)}` : "unset"}</span>
              </li>
            ))}
          </ol>
        </Card>

        <Card title="Approval">
          {cs.sensitive ? (
            <div className="space-y-3" data-testid="approval-panel">
              <p className="text-sm">
                This change is sensitive: it {cs.status === "approved" || cs.status === "applied" ? "needed" : "needs"} <strong>{quorum} reviewer approval{quorum === 1 ? "" : "s"}</strong> on revision {cs.revision} ({approvals} so far){open ? ", because:" : "."}
              </p>
              {open && head.data?.version && (
                <ul className="list-inside list-disc text-sm text-slate-700 dark:text-slate-300" data-testid="sensitivity">
                  {whySensitive(head.data.version.document, cs.ops).map((r) => <li key={r}>{r}</li>)}
                </ul>
              )}
              <VotesList votes={cs.votes} revision={cs.revision} />
              {canVote && cs.status === "pending_approval" && (
                ownChange ? (
                  <p className="text-sm text-slate-600 dark:text-slate-400">You wrote this change set, so another reviewer must vote on it.</p>
                ) : (
                  <div className="space-y-2 border-t border-slate-100 pt-3 dark:border-slate-800">
                    <label htmlFor="vote-comment" className="block text-sm font-medium">Comment (optional)</label>
                    <input id="vote-comment" value={comment} onChange={(e) => setComment(e.target.value)} className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
                    <div className="flex gap-2">
                      <Button disabled={vote.isPending} onClick={() => vote.mutate("approve")}>{vote.isPending && !rejecting ? "Voting…" : "Approve"}</Button>
                      <Button variant="danger" disabled={vote.isPending} onClick={() => setRejecting(true)}>Reject</Button>
                    </div>
                  </div>
                )
              )}
            </div>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Not needed: it touches no sensitive key and grants no write, send, destructive or schema tool.</p>
          )}
        </Card>
      </div>

      {open && (
        <Card title="Preview">
          <div className="space-y-4">
            <div className="flex flex-wrap items-center gap-3">
              <Button variant="secondary" disabled={preview.isPending} onClick={() => preview.mutate()}>{preview.isPending ? "Previewing…" : preview.data ? "Preview again" : "Preview impact"}</Button>
              {preview.isPending && <span role="status" className="text-sm text-slate-600 dark:text-slate-400">Replaying recorded decisions against the change…</span>}
            </div>
            {preview.data && <ImpactPreview preview={preview.data} showDiff />}
          </div>
        </Card>
      )}

      {canWrite && open && (
        <Card title="Apply">
          <div className="space-y-3">
            <ApplyFeedback error={applyError} />
            {cs.status === "pending_approval" && <Notice tone="warning" testId="needs-approval">Waiting for {quorum - approvals} more reviewer approval{quorum - approvals === 1 ? "" : "s"} before it can apply.</Notice>}
            <div className="max-w-2xl">
              <label htmlFor="apply-reason" className="block text-sm font-medium">Reason (required)</label>
              <input id="apply-reason" value={reason ?? cs.reason} onChange={(e) => setReason(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
            </div>
            {showAck && <AcknowledgeStateConflicts checked={ack} onChange={setAck} />}
            <div className="flex flex-wrap gap-2">
              <Button className="disabled:opacity-50" disabled={!canApply || apply.isPending || !(reason ?? cs.reason).trim() || (showAck && !ack)} onClick={() => setConfirm("apply")}>{apply.isPending ? "Applying…" : "Apply…"}</Button>
              {/* Releasing compiles it as a candidate version without moving the head (issue #8). */}
              {canApply && <Link href={`/rollouts?changeSet=${encodeURIComponent(id)}`} className="inline-flex items-center rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Release as rollout…</Link>}
              <Button variant="ghost" disabled={abandon.isPending} onClick={() => setConfirm("abandon")}>Abandon</Button>
            </div>
          </div>
        </Card>
      )}

      <ConfirmDialog open={confirm === "apply"} title="Apply this change set to the live policy?" confirmLabel="Apply now" pending={apply.isPending} onCancel={() => setConfirm(null)} onConfirm={() => apply.mutate()}>
        <p>It becomes a new immutable policy version, and every agent gets it on its next decision.</p>
        <p className="mt-2"><span className="font-medium">Reason:</span> {(reason ?? cs.reason).trim()}</p>
      </ConfirmDialog>
      <ConfirmDialog open={confirm === "abandon"} title="Abandon this change set?" confirmLabel="Abandon" danger pending={abandon.isPending} onCancel={() => setConfirm(null)} onConfirm={() => abandon.mutate()}>
        It stays in the list as abandoned and can no longer be applied or edited.
      </ConfirmDialog>
      <ConfirmDialog open={rejecting} title="Reject this change set?" confirmLabel="Reject" danger pending={vote.isPending} onCancel={() => setRejecting(false)} onConfirm={() => vote.mutate("reject")}>
        One rejection closes it; the author has to write a new change set.{comment.trim() ? ` Your comment: “${comment.trim()}”` : " Add a comment first so the author knows why."}
      </ConfirmDialog>
    </div>
  );
}
