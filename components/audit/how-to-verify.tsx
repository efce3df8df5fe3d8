"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { utc } from "@/components/audit/format";
import type { AuditKey } from "@/components/audit/types";
import { api } from "@/lib/client/api";

/** A short guide to checking a bundle offline, with the signing keys to compare against. */
export function HowToVerify() {
  const [open, setOpen] = useState(false);
  const keys = useQuery({ queryKey: ["audit-keys"], queryFn: () => api<{ keys: AuditKey[] }>("/api/v1/admin/audit/keys"), enabled: open });
  return (
    <details className="rounded-md border border-slate-200 bg-white px-4 py-2 text-sm dark:border-slate-800 dark:bg-slate-900" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer font-medium">How to verify an exported bundle</summary>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-700 dark:text-slate-300">
        <li>
          In a checkout of Governor, run <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">npm run audit:verify -- bundle.tar.gz</code>. It needs no database or
          network: it re-hashes every event, checks each Ed25519 checkpoint signature and every decision's inclusion proof. Exit code 0 means verified.
        </li>
        <li>
          The bundle carries its own public keys, so compare the key ids it prints with the ones published at{" "}
          <a href="/api/v1/audit/keys" className="font-mono text-xs text-sky-700 underline underline-offset-2 dark:text-sky-300">/api/v1/audit/keys</a> (or pass a key you trust with{" "}
          <code className="rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">--key key.pem</code>).
        </li>
      </ol>
      {open && (
        <div className="mt-3">
          <h3 className="text-xs font-semibold text-slate-600 dark:text-slate-400">Signing keys</h3>
          {keys.isPending ? (
            <p role="status" className="text-xs text-slate-500">Loading keys…</p>
          ) : keys.error ? (
            <p role="alert" className="text-xs text-red-700 dark:text-red-400">{keys.error.message}</p>
          ) : (
            <ul className="mt-1 space-y-1 text-xs">
              {keys.data.keys.map((k) => (
                <li key={k.keyId}>
                  <span className="font-mono">{k.keyId}</span> ({k.algorithm}), created {utc(k.createdAt, false)}
                  {k.retiredAt ? `, retired ${utc(k.retiredAt, false)}` : <span className="font-semibold">, active</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
