"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * A modal confirm step for dangerous actions; native <dialog> gives focus trapping and Escape.
 * Enter in one of its fields (a kill's reason, say) confirms, as people expect. Not a <form>:
 * some dialogs are declared inside the form they confirm, and forms must not nest.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  /** Keeps the confirm button off while the dialog's own fields are not ready (a reason, say). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      onKeyDown={(e) => {
        // preventDefault also keeps Enter from submitting a form the dialog is declared in.
        if (e.key !== "Enter" || e.nativeEvent.isComposing || !(e.target instanceof HTMLInputElement)) return;
        e.preventDefault();
        if (!props.pending && !props.confirmDisabled) props.onConfirm();
      }}
      aria-labelledby={titleId}
      // A dialog inherits text styles from where it is declared: the kill switch's sits in the
      // header, whose whitespace-nowrap kept the explanation on one clipped line. Reset them.
      className="m-auto w-full max-w-md whitespace-normal text-left rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">{props.title}</h2>
      {props.children && <div className="mt-2 text-sm text-slate-600 dark:text-slate-300">{props.children}</div>}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={props.onCancel} disabled={props.pending}>Cancel</Button>
        <Button variant={props.danger ? "danger" : "primary"} onClick={props.onConfirm} disabled={props.pending || props.confirmDisabled} autoFocus>
          {props.pending ? "Working…" : props.confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
