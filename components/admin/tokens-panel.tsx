"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import type { UserRow } from "@/components/admin/users-panel";
import { api } from "@/lib/client/api";

interface TokenRow {
  id: string;
  kind: "agent" | "personal";
  name: string;
  prefix: string;
  agentId: string | null;
  user: { username: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
}

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) + " UTC" : "never");

export function TokensPanel() {
  const qc = useQueryClient();
  const toast = useToast();
  const [kind, setKind] = useState<"agent" | "personal">("agent");
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const tokens = useQuery({ queryKey: ["tokens"], queryFn: () => api<{ tokens: TokenRow[] }>("/api/v1/admin/tokens") });
  const directory = useQuery({ queryKey: ["directory"], queryFn: () => api<{ agents: { id: string }[] }>("/api/v1/admin/directory") });
  const users = useQuery({ queryKey: ["users"], queryFn: () => api<{ users: UserRow[] }>("/api/v1/admin/users") });

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ secret: string; token: TokenRow }>("/api/v1/admin/tokens", { method: "POST", body }),
    onSuccess: (r) => {
      setSecret(r.secret);
      toast("success", `Created token "${r.token.name}". Copy it now: it is not shown again.`);
      void qc.invalidateQueries({ queryKey: ["tokens"] });
    },
    onError: (e) => toast("error", e.message),
  });
  const revoke = useMutation({
    mutationFn: (t: TokenRow) => api(`/api/v1/admin/tokens/${t.id}/revoke`, { method: "POST", body: {} }),
    onSuccess: () => {
      toast("success", `Revoked "${revoking?.name}". It stops working on its next request.`);
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: ["tokens"] });
    },
    onError: (e) => toast("error", e.message),
  });

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    create.mutate(kind === "agent" ? { kind, name: f.name, agentId: f.agentId } : { kind, name: f.name, userId: f.userId });
  }

  return (
    <Card title="API tokens">
      {secret && (
        <div role="status" className="mb-4 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950">
          <p className="font-semibold">Copy this token now. Governor stores only its hash and cannot show it again.</p>
          <div className="mt-2 flex items-center gap-2">
            <code data-testid="new-token" className="flex-1 overflow-x-auto rounded bg-white px-2 py-1 font-mono dark:bg-slate-900">{secret}</code>
            <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(secret).then(() => toast("info", "Copied to the clipboard."))}>Copy</Button>
            <Button variant="ghost" onClick={() => setSecret(null)}>Done</Button>
          </div>
        </div>
      )}
      {tokens.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading tokens…</p>
      ) : tokens.error ? (
        <p role="alert" className="text-sm text-red-700">{tokens.error.message}</p>
      ) : tokens.data.tokens.length === 0 ? (
        <EmptyState title="No tokens yet">Create an agent token below so an agent can call the data plane.</EmptyState>
      ) : (
        <table className="mb-6 w-full text-sm" data-testid="tokens-table">
          <thead className="text-left text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-2 font-medium">Name</th>
              <th className="py-2 font-medium">Kind</th>
              <th className="py-2 font-medium">Acts as</th>
              <th className="py-2 font-medium">Last used</th>
              <th className="py-2 font-medium">Status</th>
              <th className="py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.tokens.map((t) => (
              <tr key={t.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2">{t.name} <span className="font-mono text-xs text-slate-500">{t.prefix}…</span></td>
                <td className="py-2">{t.kind}</td>
                <td className="py-2 font-mono text-xs">{t.kind === "agent" ? t.agentId : t.user?.username}</td>
                <td className="py-2 text-xs">{when(t.lastUsedAt)}</td>
                <td className="py-2 text-xs">{t.revokedAt ? <span className="text-red-700 dark:text-red-400">✕ revoked {when(t.revokedAt)}</span> : <span className="text-emerald-700 dark:text-emerald-400">● active</span>}</td>
                <td className="py-2 text-right">{!t.revokedAt && <Button variant="ghost" onClick={() => setRevoking(t)}>Revoke</Button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={onCreate} className="grid gap-3 border-t border-slate-100 pt-4 md:grid-cols-4 dark:border-slate-800" aria-label="Create token">
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as "agent" | "personal")} options={[{ value: "agent", label: "Agent token (data plane)" }, { value: "personal", label: "Personal token (automation)" }]} />
        <TextField label="Name" name="name" required placeholder="e.g. support-bot production" />
        {kind === "agent" ? (
          <SelectField label="Agent" name="agentId" options={(directory.data?.agents ?? []).map((a) => ({ value: a.id, label: a.id }))} />
        ) : (
          <SelectField label="User" name="userId" options={(users.data?.users ?? []).map((u) => ({ value: u.id, label: `${u.username} (${u.role})` }))} />
        )}
        <div className="flex items-end">
          <Button type="submit" disabled={create.isPending} className="w-full">{create.isPending ? "Creating…" : "Create token"}</Button>
        </div>
      </form>
      <ConfirmDialog open={revoking !== null} title={`Revoke "${revoking?.name ?? ""}"?`} confirmLabel="Revoke token" danger pending={revoke.isPending} onCancel={() => setRevoking(null)} onConfirm={() => revoking && revoke.mutate(revoking)}>
        Anything using this token is refused from its next request. This cannot be undone; create a new token instead.
      </ConfirmDialog>
    </Card>
  );
}
