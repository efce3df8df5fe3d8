"use client";

import { StopIcon } from "@/components/ui/icons";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useControls, useFlipControl } from "@/components/controls/use-controls";

/**
 * The big red button, in the header of every page for those who may use it. One confirm step
 * and an optional reason: at kill time, speed matters more than paperwork.
 */
export function KillSwitchButton() {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const controls = useControls();
  const flip = useFlipControl();
  const active = controls.data?.controls.some((c) => c.control === "global_kill");
  if (active) {
    return (
      <span data-testid="kill-active" className="inline-flex items-center gap-1.5 rounded-md border-2 border-red-700 bg-red-700 px-3 py-1.5 text-sm font-bold text-white">
        <StopIcon /> All agents stopped
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-1.5 rounded-md border-2 border-red-800 bg-red-600 px-3 py-1.5 text-sm font-bold tracking-wide text-white uppercase shadow hover:bg-red-700 focus-visible:outline-red-500"
      >
        <StopIcon /> Kill switch
      </button>
      <ConfirmDialog
        open={open}
        title="Stop every agent now?"
        confirmLabel="Stop all agents"
        danger
        pending={flip.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          flip.mutate({ control: "global_kill", active: true, reason: reason.trim() || undefined }, { onSuccess: () => { setOpen(false); setReason(""); } })
        }
      >
        <p>Every agent&apos;s next decision, on every instance and in every rollout cohort, is a deny with primitive <code>kill_switch</code>.</p>
        <label htmlFor="kill-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional)</label>
        <input id="kill-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. refunds misfiring, INC-1234" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
    </>
  );
}
