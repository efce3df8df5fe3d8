"use client";

import { Link } from "@/components/ui/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { AcknowledgeStateConflicts, ApplyFeedback, conflictKeys, isStateConflict } from "@/components/policy/apply-feedback";
import { Notice, StatusBadge } from "@/components/policy/bits";
import { DiffTable } from "@/components/policy/diff-table";
import { ImpactPreview } from "@/components/policy/impact-preview";
import { canonical } from "@/components/policy/pending-ops";
import type { PolicyDraft } from "@/components/policy/use-policy-draft";
import { OPEN_STATUSES, type ApplyResult, type ChangeSet, type Preview, type SavedChangeSet } from "@/components/policy/types";
import { VotesList, approvalsOn } from "@/components/policy/votes-list";
import { api } from "@/lib/client/api";

type Phase = "idle" | "saving" | "previewing" | "applying";
const PHASE_TEXT: Record<Phase, string> = { idle: "", saving: "Saving the change set…", previewing: "Replaying recorded decisions against the change…", applying: "Applying…" };

export const fetchChangeSet = (id: string) => api<{ changeSet: ChangeSet }>(`/api/v1/admin/changesets/${id}`);

/**
 * The pending change set on its way to the live policy: diff, reason, server change set,
 * impact preview, approvals and apply. Preview and apply first save the local operations as a
 * server change set (create, or a new revision when they changed).
 */
export interface Applied {
  version: number;
  changeSetId: string;
  changes?: number;
  warnings?: number;
}

export function ReviewPanel({ d, quorum, onRebase, onApplied }: { d: PolicyDraft; quorum: number; onRebase: () => void; onApplied: (a: Applied) => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const { draft } = d;
  const [phase, setPhase] = useState<Phase>("idle");
  const [preview, setPreview] = useState<{ sig: string; data: Preview } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<SavedChangeSet | null>(null);
  const [ack, setAck] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);

  const cs = useQuery({
    queryKey: ["changeset", draft.changeSetId],
    queryFn: () => fetchChangeSet(draft.changeSetId!),
    enabled: !!draft.changeSetId,
    // While reviewers are voting, their votes show up here within seconds.
    refetchInterval: (q) => (q.state.data?.changeSet.status === "pending_approval" ? 3000 : false),
  });
  const server = cs.data?.changeSet;
  const sig = canonical([draft.baseVersion, draft.reason.trim(), draft.ops]);
  const matches = (c: ChangeSet | undefined) => !!c && OPEN_STATUSES.has(c.status) && canonical([c.baseVersion, c.reason, c.ops]) === sig;
  const inSync = matches(server);
  const busy = phase !== "idle";

  // Applied from its own page (after the reviewers' approval, say): the draft is done.
  const appliedElsewhere = phase === "idle" && server?.status === "applied" && server.id === draft.changeSetId ? server : null;
  useEffect(() => {
    if (!appliedElsewhere?.appliedVersion) return;
    toast("info", `Your change set was applied as version ${appliedElsewhere.appliedVersion}; the editor starts again from the live policy.`);
    onApplied({ version: appliedElsewhere.appliedVersion, changeSetId: appliedElsewhere.id });
  }, [appliedElsewhere, onApplied, toast]);

  async function sync(): Promise<SavedChangeSet> {
    const reason = draft.reason.trim();
    const fresh = draft.changeSetId ? (await qc.fetchQuery({ queryKey: ["changeset", draft.changeSetId], queryFn: () => fetchChangeSet(draft.changeSetId!), staleTime: 0 }).catch(() => null))?.changeSet : undefined;
    if (fresh && matches(fresh)) return { id: fresh.id, status: fresh.status, sensitivity: saved?.id === fresh.id ? saved.sensitivity : [] };
    let out: SavedChangeSet;
    if (fresh && OPEN_STATUSES.has(fresh.status)) {
      out = await api<SavedChangeSet>(`/api/v1/admin/changesets/${fresh.id}`, { method: "PATCH", body: { ops: draft.ops, reason, baseVersion: draft.baseVersion } });
    } else {
      out = await api<SavedChangeSet>("/api/v1/admin/changesets", { method: "POST", body: { baseVersion: draft.baseVersion, reason, ops: draft.ops } });
      d.setChangeSetId(out.id);
    }
    setSaved(out);
    await qc.invalidateQueries({ queryKey: ["changeset", out.id] });
    void qc.invalidateQueries({ queryKey: ["changesets"] });
    return out;
  }

  function needReason(): boolean {
    const missing = draft.reason.trim() === "";
    setReasonMissing(missing);
    return missing;
  }

  async function runPreview() {
    if (needReason()) return;
    setError(null);
    try {
      setPhase("saving");
      const saved = await sync();
      setPhase("previewing");
      const data = await api<Preview>(`/api/v1/admin/changesets/${saved.id}/preview`, { method: "POST", body: {} });
      setPreview({ sig, data });
    } catch (e) {
      setError(e);
      toast("error", (e as Error).message);
    } finally {
      setPhase("idle");
    }
  }

  async function runApply() {
    setError(null);
    let savedId = draft.changeSetId;
    try {
      setPhase("saving");
      const saved = await sync();
      savedId = saved.id;
      if (saved.status === "pending_approval") {
        setConfirming(false);
        toast("info", `Saved. This change set needs ${quorum} reviewer approval${quorum === 1 ? "" : "s"} before it can apply.`);
        return;
      }
      setPhase("applying");
      const r = await api<ApplyResult>(`/api/v1/admin/changesets/${saved.id}/apply`, { method: "POST", body: { reason: draft.reason.trim(), acknowledgeStateConflicts: ack } });
      setConfirming(false);
      setPreview(null);
      setAck(false);
      toast("success", `Applied as version ${r.version}${r.rebasedFrom ? ` (rebased from version ${r.rebasedFrom})` : ""}. Agents get it on their next decision.`);
      onApplied({ version: r.version, changeSetId: saved.id, changes: r.changes.length, warnings: r.warnings.length });
      await Promise.all(["policy-head", "policy-versions", "changesets"].map((k) => qc.invalidateQueries({ queryKey: [k] })));
    } catch (e) {
      setConfirming(false);
      setError(e);
      // A conflict means the live policy moved: the old preview no longer says what applying does.
      if (conflictKeys(e).length) setPreview(null);
      toast("error", (e as Error).message);
      if (savedId) void qc.invalidateQueries({ queryKey: ["changeset", savedId] });
    } finally {
      setPhase("idle");
    }
  }

  const conflicts = conflictKeys(error);
  const showAck = isStateConflict(error) || (preview?.sig === sig && preview.data.stateConflicts.length > 0);
  const pending = inSync && server?.status === "pending_approval";
  const rejected = server?.status === "rejected";
  const approvals = server ? approvalsOn(server.votes, server.revision) : 0;

  return (
    <Card title={<span id="review">Review and apply</span>} className="scroll-mt-24">
      <div className="space-y-5">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Diff against version {draft.baseVersion}</h3>
          <DiffTable changes={d.diff} testId="pending-diff" empty="The pending operations change nothing against the base version." />
        </div>

        <div className="max-w-2xl">
          <label htmlFor="change-reason" className="block text-sm font-medium">Reason (required)</label>
          <input
            id="change-reason"
            value={draft.reason}
            onChange={(e) => {
              d.setReason(e.target.value);
              if (e.target.value.trim()) setReasonMissing(false);
            }}
            aria-invalid={reasonMissing}
            aria-describedby="change-reason-help"
            placeholder="e.g. Globex upgraded to pro (TICKET-123)"
            maxLength={1000}
            className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-sm dark:bg-slate-950 ${reasonMissing ? "border-red-500 ring-1 ring-red-500" : "border-slate-300 dark:border-slate-700"}`}
          />
          <p id="change-reason-help" className={`mt-1 text-xs ${reasonMissing ? "text-red-700 dark:text-red-400" : "text-slate-500"}`}>
            {reasonMissing ? "Say why the policy changes: it goes into the version history and the audit log." : "Recorded with the change set, the new version and the audit event."}
          </p>
        </div>

        {server && (
          <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="server-changeset">
            <span>Change set</span>
            <Link href={`/policy/changesets/${server.id}`} className="font-mono text-sky-700 underline dark:text-sky-400">{server.id.slice(0, 8)}</Link>
            <StatusBadge status={server.status} />
            <span className="text-slate-500">revision {server.revision}</span>
            {!inSync && OPEN_STATUSES.has(server.status) && <span className="text-slate-600 dark:text-slate-400">· your latest edits are not saved to it yet; preview or apply saves them{server.votes.length ? " and voids its votes" : ""}.</span>}
          </div>
        )}

        {pending && (
          <Notice tone="warning" title={`Needs ${quorum} reviewer approval${quorum === 1 ? "" : "s"} before it can apply (${approvals} so far)`} testId="needs-approval">
            {saved?.id === server.id && saved.sensitivity.length > 0 && (
              <ul className="mb-2 list-inside list-disc">{saved.sensitivity.map((s) => <li key={s}>{s}</li>)}</ul>
            )}
            <VotesList votes={server.votes} revision={server.revision} />
            <p className="mt-2">Reviewers vote on <Link className="underline" href={`/policy/changesets/${server.id}`}>the change set page</Link>; this panel updates when they do.</p>
          </Notice>
        )}
        {inSync && server?.status === "approved" && (
          <Notice tone="success" title="Approved: you can apply it now">
            <VotesList votes={server.votes} revision={server.revision} />
            <p className="mt-1">Changing the operations again starts a new revision and voids these approvals.</p>
          </Notice>
        )}
        {rejected && server && <Notice tone="error" title="A reviewer rejected this change set"><VotesList votes={server.votes} revision={server.revision} /><p className="mt-1">Applying again saves your operations as a new change set.</p></Notice>}

        <ApplyFeedback
          error={error}
          conflictActions={
            conflicts.length > 0 && (
              <>
                <Button variant="secondary" onClick={() => { setError(null); onRebase(); }}>Rebase onto the live version</Button>
                <Button variant="ghost" onClick={() => { setError(null); d.removeOpsTouching(conflicts.map((c) => c.key)); }}>Drop my operations on these keys</Button>
              </>
            )
          }
        />
        {showAck && <AcknowledgeStateConflicts checked={ack} onChange={setAck} />}

        <div className="flex flex-wrap items-center gap-3">
          <Button variant="secondary" onClick={runPreview} disabled={busy || draft.ops.length === 0}>{phase === "previewing" || (phase === "saving" && !confirming) ? "Previewing…" : "Preview impact"}</Button>
          <Button
            onClick={() => !needReason() && setConfirming(true)}
            disabled={busy || draft.ops.length === 0 || pending || (showAck && !ack)}
            className="disabled:opacity-50"
            title={pending ? "Waiting for reviewer approval" : undefined}
          >
            Apply…
          </Button>
          {busy && <span role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400"><span className="h-3 w-3 animate-spin rounded-full border-2 border-sky-600 border-t-transparent" aria-hidden />{PHASE_TEXT[phase]}</span>}
        </div>

        {preview && (
          <div className="border-t border-slate-100 pt-4 dark:border-slate-800">
            {preview.sig !== sig && <Notice tone="info">The pending changes changed after this preview. Preview again to see their impact.</Notice>}
            <div className={preview.sig !== sig ? "mt-3 opacity-60" : ""}>
              <ImpactPreview preview={preview.data} />
            </div>
          </div>
        )}
      </div>

      <ConfirmDialog
        open={confirming}
        title={`Apply ${d.diff.length} change${d.diff.length === 1 ? "" : "s"} to the live policy?`}
        confirmLabel="Apply now"
        pending={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={runApply}
      >
        <p>They become a new immutable policy version, and every agent gets it on its next decision, on every instance.</p>
        <p className="mt-2"><span className="font-medium">Reason:</span> {draft.reason.trim()}</p>
        <ul className="mt-2 max-h-40 list-inside list-disc overflow-auto font-mono text-xs">{d.diff.map((c) => <li key={c.key}>{c.key}</li>)}</ul>
        {busy && <p role="status" className="mt-2">{PHASE_TEXT[phase]}</p>}
      </ConfirmDialog>
    </Card>
  );
}
