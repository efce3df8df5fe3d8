"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CONTROL_LABEL, useFlipControl, type ActiveControl } from "@/components/controls/use-controls";

/** Lifting a control; the global kill needs a reason (and maybe a second person, server-side). */
export function RecoverDialog({ control, onClose }: { control: ActiveControl | null; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const flip = useFlipControl();
  const needsReason = control?.control === "global_kill";
  const label = control ? `${CONTROL_LABEL[control.control] ?? control.control}${control.target ? ` (${control.target})` : ""}` : "";
  return (
    <ConfirmDialog
      open={control !== null}
      title={`Lift ${label}?`}
      confirmLabel="Recover"
      pending={flip.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!control || (needsReason && !reason.trim())) return;
        flip.mutate(
          { control: control.control, target: control.target || undefined, active: false, reason: reason.trim() || undefined },
          { onSuccess: () => { setReason(""); onClose(); } },
        );
      }}
    >
      <p>Agents resume on their next decision.</p>
      <label htmlFor="recover-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">
        Reason {needsReason ? "(required)" : "(optional)"}
      </label>
      <input id="recover-reason" required={needsReason} aria-invalid={needsReason && !reason.trim()} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why is it safe to resume?" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      {needsReason && !reason.trim() && <p className="mt-1 text-xs text-red-700 dark:text-red-400">Say why it is safe to resume before lifting the global kill.</p>}
    </ConfirmDialog>
  );
}
