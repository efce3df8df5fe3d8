"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useState } from "react";
import { ago, utc } from "@/components/approvals/format";
import type { AgentDetail, RecentActivity } from "@/components/agents/types";
import { useControls, useFlipControl } from "@/components/controls/use-controls";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { StopIcon } from "@/components/ui/icons";

/**
 * Is the agent running, and when did it last ask: the first thing on-call looks for on an agent's
 * page, with its own stop and resume (the same agent_kill as the Controls page, every instance).
 */
export function AgentStatus({ agent, recent, approvals, canWrite }: { agent: string; recent: RecentActivity; approvals: AgentDetail["approvals"]; canWrite: boolean }) {
  const controls = useControls();
  const flip = useFlipControl();
  const qc = useQueryClient();
  // The access matrix on this page follows the kill at once, not at its next refresh.
  const refresh = () => void qc.invalidateQueries({ queryKey: ["agent", agent] });
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const list = controls.data?.controls ?? [];
  const own = list.find((c) => c.control === "agent_kill" && c.target === agent);
  const global = list.find((c) => c.control === "global_kill");
  const known = controls.data !== undefined;
  return (
    <Card title="Status">
      <div className="flex flex-wrap items-center gap-3" data-testid="agent-status">
        <div className="flex-1 text-sm">
          {!known ? (
            <span className="text-amber-700 dark:text-amber-400">state unknown: {controls.error?.message ?? "loading the controls…"}</span>
          ) : own ? (
            <span className="font-medium text-red-700 dark:text-red-400">
              <StopIcon /> Stopped by {own.setBy} at {utc(own.setAt, true)}{own.reason ? ` · “${own.reason}”` : ""}
            </span>
          ) : global ? (
            <span className="font-medium text-red-700 dark:text-red-400">
              <StopIcon /> Stopped with every agent by the global kill switch ({global.setBy}). <Link href="/controls" className="underline">Controls</Link>
            </span>
          ) : (
            <span className="font-medium text-emerald-700 dark:text-emerald-400">● Running</span>
          )}
          <p className="mt-1 text-slate-600 dark:text-slate-400">
            {recent.lastDecisionAt ? <>Last asked {ago(recent.lastDecisionAt)} ({utc(recent.lastDecisionAt, true)}).</> : "Has never asked Governor for a decision."}
          </p>
          {approvals.waiting > 0 && (
            <p className="mt-1 text-slate-600 dark:text-slate-400" data-testid="agent-approvals">
              <Link href={`/approvals?agent=${encodeURIComponent(agent)}`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-300">
                {approvals.waiting.toLocaleString("en-US")}{approvals.waitingCapped ? "+" : ""} approval request{approvals.waiting === 1 ? "" : "s"} waiting
              </Link>
              {own || global ? " will not run while it is stopped; a reviewer can reject them together from the queue (Reject matching…)." : " for reviewers."}
            </p>
          )}
        </div>
        {canWrite && known && (own ? (
          <Button variant="secondary" disabled={flip.isPending} onClick={() => flip.mutate({ control: "agent_kill", target: agent, active: false }, { onSuccess: refresh })}>Resume {agent}</Button>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)}>Stop {agent}</Button>
        ))}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Stop ${agent}?`}
        confirmLabel="Stop"
        danger
        pending={flip.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => flip.mutate({ control: "agent_kill", target: agent, active: true, reason: reason.trim() || undefined }, { onSuccess: () => { setConfirming(false); setReason(""); refresh(); } })}
      >
        <p>Every decision {agent} asks for is denied (kill_switch) from its next call, on every instance, until someone resumes it.</p>
        <label htmlFor="agent-stop-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional, audited)</label>
        <input id="agent-stop-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. INC-142: refund loop" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
    </Card>
  );
}
