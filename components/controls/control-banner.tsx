"use client";

import { ClockIcon, StopIcon, WarningIcon } from "@/components/ui/icons";
import { useState } from "react";
import { RecoverDialog } from "@/components/controls/recover-dialog";
import { CONTROL_LABEL, useControls, useResolveRecovery, type ActiveControl } from "@/components/controls/use-controls";

function since(iso: string): string {
  const mins = Math.floor((Date.now() - Date.parse(iso)) / 60_000);
  const ago = mins < 1 ? "just now" : mins < 60 ? `${mins} min ago` : `${Math.floor(mins / 60)} h ${mins % 60} min ago`;
  return `since ${iso.slice(11, 19)} UTC (${ago})`;
}

/**
 * Shown on every console page while any runtime control is active. Text and icon carry the
 * meaning, colour only reinforces it.
 */
export function ControlBanner({ canWrite, userId }: { canWrite: boolean; userId: string }) {
  const { data } = useControls();
  const resolve = useResolveRecovery();
  const [recovering, setRecovering] = useState<ActiveControl | null>(null);
  if (!data || (data.controls.length === 0 && data.recoveries.length === 0)) return null;
  const kill = data.controls.some((c) => c.control === "global_kill");
  return (
    <div role="region" aria-label="Active runtime controls" data-testid="control-banner" className={`${kill ? "bg-red-700" : "bg-amber-500"} px-4 py-2 text-sm ${kill ? "text-white" : "text-slate-950"}`}>
      <ul className="mx-auto max-w-7xl space-y-1">
        {data.controls.map((c) => (
          <li key={`${c.control}:${c.target}`} className="flex flex-wrap items-center gap-x-2">
            {c.control.endsWith("kill") ? <StopIcon /> : <WarningIcon />}
            <strong className="uppercase">{CONTROL_LABEL[c.control] ?? c.control}{c.target ? `: ${c.target}` : ""}</strong>
            <span>{since(c.setAt)} · by {c.setBy}{c.reason ? ` · “${c.reason}”` : ""}</span>
            {canWrite && (
              <button type="button" onClick={() => setRecovering(c)} className="ml-auto rounded border border-current px-2 py-0.5 font-semibold hover:bg-white/20">
                Recover{c.target ? ` ${c.target}` : ""}
              </button>
            )}
          </li>
        ))}
        {data.recoveries.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-x-2" data-testid="pending-recovery">
            <ClockIcon />
            <strong>Recovery awaiting a second operator</strong>
            <span>requested by {r.requestedBy} · “{r.reason}”</span>
            {canWrite && (
              <span className="ml-auto flex gap-2">
                {r.requestedById !== userId && (
                  <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: r.id, action: "confirm" })} className="rounded border border-current px-2 py-0.5 font-semibold hover:bg-white/20">Confirm recovery</button>
                )}
                <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: r.id, action: "cancel" })} className="rounded border border-current px-2 py-0.5 hover:bg-white/20">Cancel</button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <RecoverDialog control={recovering} onClose={() => setRecovering(null)} />
    </div>
  );
}
