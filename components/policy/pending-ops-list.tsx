"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { show } from "@/components/policy/pending-ops";
import type { ChangeOp } from "@/lib/changesets/ops";

/** The local change set's operations, each removable; the panel beside the editor. */
export function PendingOpsList({ ops, baseVersion, onRemove, onDiscard }: { ops: ChangeOp[]; baseVersion: number | null; onRemove: (index: number) => void; onDiscard: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <Card title={<>Pending changes <span className="font-normal text-slate-500">({ops.length})</span></>}>
      {ops.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing pending. Tick a box, change a limit or a tier, or edit JSON: each edit adds an operation here, and nothing reaches agents until you apply.</p>
      ) : (
        <>
          <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">Written against version {baseVersion}.</p>
          <ol className="space-y-1" data-testid="pending-ops">
            {ops.map((op, i) => (
              <li key={`${op.key}-${i}`} className="flex items-start gap-2 rounded-md bg-slate-50 px-2 py-1.5 text-xs dark:bg-slate-800/60">
                <div className="min-w-0 flex-1">
                  <div className="font-mono font-medium break-all">{op.key}</div>
                  <div className="font-mono break-all text-slate-600 dark:text-slate-400">{op.op === "set" ? `= ${show(op.value as never)}` : "unset (remove)"}</div>
                </div>
                <button
                  type="button"
                  onClick={() => onRemove(i)}
                  aria-label={`Remove operation on ${op.key}`}
                  className="rounded px-1.5 py-0.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900 dark:hover:bg-slate-700 dark:hover:text-slate-100"
                >
                  ✕
                </button>
              </li>
            ))}
          </ol>
          <div className="mt-3 flex flex-wrap gap-2">
            <a href="#review" className="inline-flex items-center rounded-md bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700">Review and apply</a>
            <Button variant="ghost" onClick={() => setConfirming(true)}>Discard all</Button>
          </div>
        </>
      )}
      <ConfirmDialog open={confirming} title={`Discard ${ops.length} pending operation${ops.length === 1 ? "" : "s"}?`} confirmLabel="Discard" danger onCancel={() => setConfirming(false)} onConfirm={() => { setConfirming(false); onDiscard(); }}>
        The live policy does not change. A change set already saved for them is abandoned.
      </ConfirmDialog>
    </Card>
  );
}
