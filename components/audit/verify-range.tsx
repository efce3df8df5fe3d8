"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import { shortHash, utc } from "@/components/audit/format";
import type { VerifyResult } from "@/components/audit/types";
import { Button } from "@/components/ui/button";
import { api } from "@/lib/client/api";

const Check = ({ ok, yes, no }: { ok: boolean; yes: string; no: string }) => (
  <span className={ok ? "text-emerald-800 dark:text-emerald-300" : "font-semibold text-red-800 dark:text-red-300"}>
    <span aria-hidden>{ok ? "✓ " : "✕ "}</span>{ok ? yes : no}
  </span>
);

/**
 * "Verify chain" for the loaded rows: the server re-hashes every event from the lowest to the
 * highest loaded seq (including ones the filters hide: each links to the one before it) and
 * checks the signed checkpoint that covers the end of the range.
 */
export function VerifyRange({ range }: { range: { from: number; to: number } | null }) {
  const scopeId = useId();
  const verify = useMutation({
    mutationFn: (r: { from: number; to: number }) => api<VerifyResult>(`/api/v1/admin/audit/verify?from=${r.from}&to=${r.to}`),
  });
  const { reset } = verify;
  // A result belongs to the range it checked; loading older rows widens the range.
  useEffect(() => reset(), [range?.from, range?.to, reset]);
  const v = verify.data;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="secondary" onClick={() => range && verify.mutate(range)} className="disabled:opacity-50" disabled={!range || verify.isPending} aria-describedby={scopeId}>
          {verify.isPending ? "Verifying the chain…" : "Verify chain"}
        </Button>
        <span id={scopeId} className="text-xs text-slate-600 dark:text-slate-400">
          {range ? `Checks events #${range.from}–#${range.to}, the loaded range, with the filters' gaps included.` : "Load some events to verify them."}
        </span>
      </div>
      {verify.error && <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not verify: {verify.error.message}</p>}
      {v && (
        <div
          role="status"
          data-testid="verify-result"
          className={`rounded-md border-l-4 px-4 py-3 text-sm ${v.ok ? "border-emerald-500 bg-emerald-50 text-emerald-950 dark:bg-emerald-950/60 dark:text-emerald-100" : "border-red-500 bg-red-50 text-red-950 dark:bg-red-950/60 dark:text-red-100"}`}
        >
          <p className="font-semibold">
            {v.ok
              ? `✓ Chain intact: ${v.checked} event${v.checked === 1 ? "" : "s"} (#${v.range.from}–#${v.range.to}) re-hashed and linked.`
              : `✕ Chain broken at #${v.firstFailure?.seq ?? "?"} (${v.firstFailure?.kind ?? "unknown"}): ${v.firstFailure?.detail ?? "no detail"}.`}
          </p>
          {v.checkpoint ? (
            <dl className="mt-2 grid gap-x-6 gap-y-1 text-xs sm:grid-cols-2" data-testid="verify-checkpoint">
              <div><dt className="inline font-semibold">Covering checkpoint: </dt><dd className="inline">#{v.checkpoint.seq}, signed {utc(v.checkpoint.at)}</dd></div>
              <div><dt className="inline font-semibold">Key id: </dt><dd className="inline font-mono">{v.checkpoint.keyId}</dd>{!v.checkpoint.keyKnown && <dd className="inline"> <Check ok={false} yes="" no="unknown key" /></dd>}</div>
              <div><dt className="inline font-semibold">Signature: </dt><dd className="inline"><Check ok={v.checkpoint.signatureValid} yes="valid (Ed25519)" no="does not verify" /></dd></div>
              <div><dt className="inline font-semibold">Matches chain: </dt><dd className="inline"><Check ok={v.checkpoint.matchesChain} yes="yes" no="no, the chain changed after signing" /></dd></div>
              <div className="sm:col-span-2"><dt className="inline font-semibold">Signed hash: </dt><dd className="inline font-mono" title={v.checkpoint.hash}>{shortHash(v.checkpoint.hash, 16)}</dd></div>
            </dl>
          ) : (
            <p className="mt-1 text-xs">No signed checkpoint covers #{v.range.to} yet; the head is signed within a second of each change. Verify again shortly.</p>
          )}
        </div>
      )}
    </div>
  );
}
