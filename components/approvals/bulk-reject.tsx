"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RequestFilter } from "@/components/approvals/filter-params";
import { utc } from "@/components/approvals/format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import type { BulkRejectPreview, BulkRejectResult } from "@/lib/approvals/bulk-reject";
import { api } from "@/lib/client/api";

type Phase =
  | { kind: "closed" }
  | { kind: "previewing" }
  | { kind: "ready"; preview: BulkRejectPreview }
  | { kind: "running"; preview: BulkRejectPreview; done: number }
  | { kind: "failed"; preview: BulkRejectPreview; done: number; message: string };

const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

function scope(f: RequestFilter): string {
  const parts = [f.agent && `agent ${f.agent}`, f.tool && `tool ${f.tool}`, f.tenant && `tenant ${f.tenant}`].filter(Boolean);
  return parts.length ? parts.join(", ") : "every agent, tool and tenant";
}

/**
 * "Reject matching…": clears a flood from the queue after on-call has stopped the agent. The
 * preview fixes the moment (asOf) so requests that arrive meanwhile are not rejected unseen;
 * the batches then run one after another with a progress bar, each its own transaction.
 */
export function BulkReject({ filter }: { filter: RequestFilter }) {
  const [phase, setPhase] = useState<Phase>({ kind: "closed" });
  const [reason, setReason] = useState("");
  const toast = useToast();
  const qc = useQueryClient();
  const query = new URLSearchParams(Object.entries({ tool: filter.tool, agent: filter.agent, tenant: filter.tenant }).filter((e): e is [string, string] => Boolean(e[1])));
  const body = { tool: filter.tool, agent: filter.agent, tenant: filter.tenant };

  const open = async () => {
    setPhase({ kind: "previewing" });
    try {
      const preview = await api<BulkRejectPreview>(`/api/v1/admin/approvals/bulk-reject${query.size ? `?${query}` : ""}`);
      setPhase({ kind: "ready", preview });
    } catch (e) {
      setPhase({ kind: "closed" });
      toast("error", `Could not count the matching requests: ${(e as Error).message}`);
    }
  };

  const run = async (preview: BulkRejectPreview, from: number) => {
    let done = from;
    let rejected = 0;
    let stillPending = 0;
    setPhase({ kind: "running", preview, done });
    try {
      for (;;) {
        const r = await api<BulkRejectResult>("/api/v1/admin/approvals/bulk-reject", { method: "POST", body: { ...body, asOf: preview.asOf, comment: reason.trim() } });
        done += r.requestIds.length;
        rejected += r.rejected;
        stillPending += r.votedStillPending;
        setPhase({ kind: "running", preview, done });
        if (r.remaining === 0 || r.requestIds.length === 0) break;
      }
    } catch (e) {
      setPhase({ kind: "failed", preview, done, message: (e as Error).message });
      return;
    } finally {
      void qc.invalidateQueries({ queryKey: ["approvals"] });
      void qc.invalidateQueries({ queryKey: ["overview-glance"] });
    }
    setPhase({ kind: "closed" });
    setReason("");
    toast("success", `Rejected ${plural(rejected, "request")}${stillPending ? `; ${plural(stillPending, "more request")} took your reject vote and need${stillPending === 1 ? "s" : ""} more rejections` : ""}.`);
  };

  const preview = phase.kind === "ready" || phase.kind === "running" || phase.kind === "failed" ? phase.preview : null;
  const running = phase.kind === "running";
  const eligible = preview?.eligible ?? 0;
  const left = preview ? preview.matching - eligible : 0;

  return (
    <>
      <Button variant="secondary" onClick={open} disabled={phase.kind === "previewing"} data-testid="bulk-reject-open">
        {phase.kind === "previewing" ? "Counting…" : "Reject matching…"}
      </Button>
      <ConfirmDialog
        open={preview !== null}
        title={eligible ? `Reject ${plural(eligible, "request")}?` : "Nothing here for you to reject"}
        confirmLabel={phase.kind === "failed" ? "Try the rest again" : eligible ? `Reject ${plural(eligible, "request")}` : "Reject"}
        danger
        pending={running}
        confirmDisabled={eligible === 0 || reason.trim().length < 3}
        onCancel={() => setPhase({ kind: "closed" })}
        onConfirm={() => preview && void run(preview, phase.kind === "failed" ? phase.done : 0)}
      >
        {preview && (
          <div className="space-y-3" data-testid="bulk-reject-dialog">
            <p>
              Pending requests for {scope(filter)} that arrived by {utc(preview.asOf, true)}: <strong>{n(preview.matching)}</strong>.
              {eligible > 0 && <> Each gets your reject vote, which rejects it unless its rule needs more rejections; the agent is told it was rejected. Requests that arrive from now on are not included.</>}
            </p>
            {left > 0 && (
              <ul className="list-disc pl-5 text-xs" aria-label="Left for others">
                {preview.alreadyVoted > 0 && <li>{plural(preview.alreadyVoted, "request")} you already voted on</li>}
                {preview.ownRequests > 0 && <li>{plural(preview.ownRequests, "request")} you started: someone else has to decide {preview.ownRequests === 1 ? "it" : "them"}</li>}
                {preview.otherGroups.map((g) => <li key={g.group}>{plural(g.count, "request")} for reviewer group <span className="font-mono">{g.group}</span>, which you are not in</li>)}
              </ul>
            )}
            {eligible > 0 && (
              <div>
                <label htmlFor="bulk-reject-reason" className="block font-medium text-slate-800 dark:text-slate-200">Reason (required, audited, sent with each rejection)</label>
                <input id="bulk-reject-reason" value={reason} maxLength={1000} disabled={running} onChange={(e) => setReason(e.target.value)} placeholder="e.g. INC-142: ops-bot looping on drop_table" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
              </div>
            )}
            {(running || phase.kind === "failed") && (
              <div>
                <div className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800" role="progressbar" aria-label="Requests rejected" aria-valuemin={0} aria-valuemax={eligible} aria-valuenow={phase.done}>
                  <div className="h-full bg-red-600 transition-all" style={{ width: `${eligible ? Math.min(100, (100 * phase.done) / eligible) : 0}%` }} />
                </div>
                <p className="mt-1 text-xs" role="status">{n(phase.done)} of {n(eligible)} done</p>
              </div>
            )}
            {phase.kind === "failed" && <p role="alert" className="text-red-700 dark:text-red-400">Stopped after {plural(phase.done, "request")}: {phase.message}</p>}
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}
