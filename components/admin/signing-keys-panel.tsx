"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

interface KeyRow {
  keyId: string;
  createdAt: string;
  retiredAt: string | null;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

/**
 * The Ed25519 keys that sign audit checkpoints, and rotation. Auditors pin key ids, so a rotation
 * is announced in the audit log with its reason; retired public keys stay published, so bundles
 * exported before the rotation keep verifying.
 */
export function SigningKeysPanel() {
  const qc = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const keys = useQuery({ queryKey: ["audit-keys-admin"], queryFn: () => api<{ keys: KeyRow[]; source: "store" | "file" }>("/api/v1/admin/audit/keys") });
  const rotate = useMutation({
    mutationFn: () => api<{ active: string; retired: string[] }>("/api/v1/admin/audit/keys/rotate", { method: "POST", body: reason.trim() ? { reason: reason.trim() } : {} }),
    onSuccess: (r) => {
      toast("success", `New checkpoints are signed with key ${r.active}; ${r.retired.length ? `${r.retired.join(", ")} is retired and stays published.` : "no key was active before."}`);
      setConfirming(false);
      setReason("");
      void qc.invalidateQueries({ queryKey: ["audit-keys-admin"] });
      void qc.invalidateQueries({ queryKey: ["audit-keys"] });
    },
    onError: (e) => toast("error", e.message),
  });
  const rows = [...(keys.data?.keys ?? [])].reverse();

  return (
    <Card title="Audit signing keys">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Checkpoints of the audit chain are signed with the active key. Every key ever used stays published at{" "}
        <a href="/api/v1/audit/keys" className="font-mono text-xs text-sky-700 underline underline-offset-2 dark:text-sky-300">/api/v1/audit/keys</a>, so older evidence keeps verifying.
      </p>
      {keys.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading keys…</p>
      ) : keys.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">{keys.error.message}</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No key yet: the first one is created when the first checkpoint is signed, within a second of the first audit event.</p>
      ) : (
        <table className="w-full text-sm" data-testid="signing-keys">
          <caption className="sr-only">Audit signing keys, newest first</caption>
          <thead className="text-left text-slate-500 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-2 font-medium">Key id</th>
              <th scope="col" className="py-2 font-medium">Created</th>
              <th scope="col" className="py-2 font-medium">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.keyId} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2 font-mono text-xs">{k.keyId}</td>
                <td className="py-2 text-xs">{when(k.createdAt)}</td>
                <td className="py-2 text-xs">{k.retiredAt ? <span className="text-slate-500">retired {when(k.retiredAt)}</span> : <span className="text-emerald-700 dark:text-emerald-400">● signing</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {keys.data?.source === "file" ? (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">The signing key is loaded from a key file in the server&apos;s configuration (see the README): rotate it by replacing that file and restarting.</p>
      ) : keys.data ? (
        <div className="mt-3 border-t border-slate-100 pt-3 dark:border-slate-800">
          <Button variant="secondary" onClick={() => setConfirming(true)} data-testid="rotate-key">Rotate signing key…</Button>
        </div>
      ) : null}
      <ConfirmDialog open={confirming} title="Rotate the audit signing key?" confirmLabel="Rotate key" pending={rotate.isPending} confirmDisabled={reason.trim().length > 0 && reason.trim().length < 3} onCancel={() => setConfirming(false)} onConfirm={() => rotate.mutate()}>
        <p>Governor creates a new key and signs every checkpoint from now on with it. The current key is retired and stays published. Tell auditors who pin key ids (<code className="font-mono text-xs">--key</code>) about the new one.</p>
        <label htmlFor="rotate-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional, audited)</label>
        <input id="rotate-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. yearly rotation" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
    </Card>
  );
}
