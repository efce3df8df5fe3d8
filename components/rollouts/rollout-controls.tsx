"use client";

import { useId, useState } from "react";
import { useRolloutAction } from "@/components/rollouts/use-rollouts";
import type { Rollout, RolloutAction } from "@/components/rollouts/types";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

const ACTIONS: Record<RolloutAction, { label: string; title: string; body: string; danger?: boolean; variant: "primary" | "secondary" | "danger" }> = {
  pause: { label: "Pause", variant: "secondary", title: "Pause this rollout?", body: "The canary keeps its current share; nothing advances automatically until someone resumes. Automatic rollback still fires." },
  resume: { label: "Resume", variant: "secondary", title: "Resume this rollout?", body: "The evaluator advances stages again once their criteria hold." },
  advance: { label: "Advance stage", variant: "secondary", title: "Advance to the next stage now?", body: "More sessions move to the candidate at once, without waiting for the stage's minimum duration or criteria." },
  promote: { label: "Promote…", variant: "danger", danger: true, title: "Promote the candidate to every session?", body: "The candidate becomes the policy head: every agent's next decision uses it. The rollout ends." },
  abort: { label: "Abort…", variant: "danger", danger: true, title: "Abort this rollout?", body: "Every session goes back to the baseline on its next decision and the rollout ends. The head stays where it is." },
};

function available(r: Rollout): RolloutAction[] {
  if (r.status === "running") return ["pause", ...(r.currentStage < r.stages.length - 1 ? (["advance"] as const) : []), "promote", "abort"];
  if (r.status === "paused") return ["resume", ...(r.currentStage < r.stages.length - 1 ? (["advance"] as const) : []), "promote", "abort"];
  return [];
}

/** Manual pause / resume / advance / promote / abort, each behind a confirm step with a reason. */
export function RolloutControls({ rollout }: { rollout: Rollout }) {
  const act = useRolloutAction(rollout.id);
  const [open, setOpen] = useState<RolloutAction | null>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const reasonId = useId();
  const actions = available(rollout);
  if (actions.length === 0) return null;
  const a = open ? ACTIONS[open] : null;
  const close = () => {
    setOpen(null);
    setReason("");
    setMissing(false);
  };
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Rollout controls">
      {actions.map((k) => (
        <Button key={k} variant={ACTIONS[k].variant} onClick={() => setOpen(k)} disabled={act.isPending}>{ACTIONS[k].label}</Button>
      ))}
      <ConfirmDialog
        open={a !== null}
        title={a?.title ?? ""}
        confirmLabel={a ? a.label.replace("…", "") : ""}
        danger={a?.danger}
        pending={act.isPending}
        onCancel={close}
        onConfirm={() => {
          if (!open) return;
          if (!reason.trim()) return setMissing(true);
          act.mutate({ action: open, reason: reason.trim() }, { onSuccess: close });
        }}
      >
        <p>{a?.body}</p>
        <label htmlFor={reasonId} className="mt-3 block font-medium text-slate-900 dark:text-slate-100">Reason (required, goes to the audit log)</label>
        <textarea
          id={reasonId}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setMissing(false);
          }}
          rows={2}
          aria-invalid={missing}
          aria-describedby={missing ? `${reasonId}-err` : undefined}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
        />
        {missing && <p id={`${reasonId}-err`} role="alert" className="mt-1 text-red-700 dark:text-red-400">Say why: the reason is required.</p>}
      </ConfirmDialog>
    </div>
  );
}
