"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent } from "react";
import { InfoIcon } from "@/components/approvals/glyphs";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { ApiError, api } from "@/lib/client/api";

const MAX_URLS = 10; // lib/controls/settings.ts

function urlProblem(u: string): string | null {
  try {
    const p = new URL(u).protocol;
    return p === "http:" || p === "https:" ? null : "must start with http:// or https://";
  } catch {
    return "is not a URL (e.g. https://hooks.slack.com/services/…)";
  }
}

/** Where approval notifications go. Admins edit the list; everyone else reads it. */
export function WebhooksPanel({ canEdit }: { canEdit: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const addId = useId();
  const settings = useQuery({ queryKey: ["settings"], queryFn: () => api<{ settings: { approval_webhooks: string[] } }>("/api/v1/admin/settings") });
  const saved = settings.data?.settings.approval_webhooks;
  const [urls, setUrls] = useState<string[] | null>(null);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setUrls((cur) => cur ?? saved ?? null), [saved]);
  const list = urls ?? saved ?? [];
  const dirty = JSON.stringify(list) !== JSON.stringify(saved ?? []);

  const save = useMutation({
    mutationFn: (next: string[]) => api<{ settings: { approval_webhooks: string[] } }>("/api/v1/admin/settings", { method: "PATCH", body: { approval_webhooks: next } }),
    onSuccess: (r) => {
      setUrls(r.settings.approval_webhooks);
      setProblem(null);
      toast("success", r.settings.approval_webhooks.length ? `Saved ${r.settings.approval_webhooks.length} webhook URL(s). New approval events go to them.` : "Saved: no webhooks, so approval events are not sent anywhere.");
      void qc.invalidateQueries({ queryKey: ["settings"] });
    },
    onError: (e) => {
      const field = e instanceof ApiError ? e.body?.fields?.[0] : undefined;
      const msg = field ? `${field.path}: ${field.message}` : e.message;
      setProblem(msg);
      toast("error", msg);
    },
  });

  function add(e: FormEvent) {
    e.preventDefault();
    const u = draft.trim();
    const why = urlProblem(u);
    if (why) return setProblem(`“${u || "(empty)"}” ${why}.`);
    if (list.includes(u)) return setProblem("That URL is already in the list.");
    if (list.length >= MAX_URLS) return setProblem(`At most ${MAX_URLS} URLs; remove one first.`);
    setUrls([...list, u]);
    setDraft("");
    setProblem(null);
  }

  return (
    <Card title="Webhook URLs">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Slack-compatible JSON is posted to each URL when a request opens, is approved or rejected, and when it expires; when an operator stops or resumes agents (kill switches, read-only and approval-all mode, two-person recovery); and when a rollout rolls back. Failed posts are retried with back-off, up to 6 attempts.
      </p>
      {settings.isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading…</p>
      ) : settings.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load settings: {settings.error.message}</p>
      ) : (
        <>
          {list.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400" data-testid="no-webhooks">
              No webhooks: reviewers learn about requests only from this console. {canEdit ? "Add a Slack incoming-webhook URL below." : "An admin can add a Slack incoming-webhook URL."}
            </p>
          ) : (
            <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" data-testid="webhook-urls">
              {list.map((u) => (
                <li key={u} className="flex items-center gap-2 px-3 py-2">
                  <code className="flex-1 text-xs break-all">{u}</code>
                  {canEdit && <Button variant="ghost" aria-label={`Remove ${u}`} onClick={() => setUrls(list.filter((x) => x !== u))}>Remove</Button>}
                </li>
              ))}
            </ul>
          )}
          {canEdit ? (
            <form onSubmit={add} className="mt-3 flex flex-wrap items-end gap-2" aria-label="Add a webhook URL">
              <div className="min-w-64 flex-1">
                <label htmlFor={addId} className="block text-sm font-medium">New webhook URL</label>
                <input id={addId} type="url" inputMode="url" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="https://hooks.slack.com/services/…" aria-invalid={problem ? true : undefined} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
              </div>
              <Button type="submit" variant="secondary">Add</Button>
              {dirty && <Button type="button" disabled={save.isPending} onClick={() => save.mutate(list)}>{save.isPending ? "Saving…" : "Save changes"}</Button>}
            </form>
          ) : (
            <p className="mt-3 text-xs text-slate-500 dark:text-slate-400"><InfoIcon /> Only admins (permission <code className="font-mono">settings.manage</code>) can change these.</p>
          )}
          {problem && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400"><span aria-hidden>✕ </span>{problem}</p>}
          {dirty && !problem && <p role="status" className="mt-2 text-sm text-amber-800 dark:text-amber-300"><span aria-hidden>⚠ </span>Unsaved changes.</p>}
        </>
      )}
    </Card>
  );
}
