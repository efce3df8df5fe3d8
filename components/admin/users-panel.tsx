"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { RoleBadge } from "@/components/ui/role-badge";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";
import { ROLES } from "@/lib/auth/permissions";

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
}

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r }));

export function UsersPanel({ currentUserId }: { currentUserId: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [confirm, setConfirm] = useState<UserRow | null>(null);
  const users = useQuery({ queryKey: ["users"], queryFn: () => api<{ users: UserRow[] }>("/api/v1/admin/users") });
  const done = (message: string) => {
    toast("success", message);
    void qc.invalidateQueries({ queryKey: ["users"] });
  };
  const create = useMutation({
    mutationFn: (body: Record<string, string>) => api<{ user: UserRow }>("/api/v1/admin/users", { method: "POST", body }),
    onSuccess: (r) => done(`Created ${r.user.username} (${r.user.role}).`),
    onError: (e) => toast("error", e.message),
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Record<string, unknown> }) => api<{ user: UserRow }>(`/api/v1/admin/users/${id}`, { method: "PATCH", body }),
    onSuccess: (r) => {
      setConfirm(null);
      done(`Updated ${r.user.username}.`);
    },
    onError: (e) => toast("error", e.message),
  });

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    create.mutate(data, { onSuccess: () => form.reset() });
  }

  return (
    <Card title="Users">
      {users.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading users…</p>
      ) : users.error ? (
        <p role="alert" className="text-sm text-red-700">{users.error.message}</p>
      ) : (
        <table className="mb-6 w-full text-sm" data-testid="users-table">
          <thead className="text-left text-slate-500 dark:text-slate-400">
            <tr>
              <th className="py-2 font-medium">User</th>
              <th className="py-2 font-medium">Role</th>
              <th className="py-2 font-medium">Status</th>
              <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2"><span className="font-mono">{u.username}</span> <span className="text-slate-500">· {u.displayName}</span></td>
                <td className="py-2">
                  <label className="sr-only" htmlFor={`role-${u.id}`}>Role of {u.username}</label>
                  <select id={`role-${u.id}`} value={u.role} disabled={update.isPending} onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })} className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950">
                    {ROLE_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                  </select>
                </td>
                <td className="py-2">{u.disabled ? <span className="text-red-700 dark:text-red-400">⏸ disabled</span> : <span className="text-emerald-700 dark:text-emerald-400">● active</span>}</td>
                <td className="py-2 text-right">
                  {u.id !== currentUserId && (
                    <Button variant={u.disabled ? "secondary" : "ghost"} onClick={() => (u.disabled ? update.mutate({ id: u.id, body: { disabled: false } }) : setConfirm(u))}>
                      {u.disabled ? "Enable" : "Disable"}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={onCreate} className="grid gap-3 border-t border-slate-100 pt-4 md:grid-cols-5 dark:border-slate-800" aria-label="Create user">
        <TextField label="Username" name="username" required />
        <TextField label="Display name" name="displayName" required />
        <SelectField label="Role" name="role" defaultValue="viewer" options={ROLE_OPTIONS} />
        <TextField label="Password (10+ chars)" name="password" type="password" required minLength={10} autoComplete="new-password" />
        <div className="flex items-end">
          <Button type="submit" disabled={create.isPending} className="w-full">{create.isPending ? "Creating…" : "Create user"}</Button>
        </div>
      </form>
      <ConfirmDialog
        open={confirm !== null}
        title={`Disable ${confirm?.username ?? ""}?`}
        confirmLabel="Disable user"
        danger
        pending={update.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && update.mutate({ id: confirm.id, body: { disabled: true } })}
      >
        They are signed out on their next request and their personal tokens stop working.
      </ConfirmDialog>
    </Card>
  );
}
