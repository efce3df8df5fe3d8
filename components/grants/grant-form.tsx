"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useDirectory, usePolicyHead } from "@/components/approvals/use-approvals";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError, api } from "@/lib/client/api";

const MAX_MINUTES = 7 * 24 * 60;

/** Issues a sandbox grant: one agent, some tools (or all), for a while. */
export function GrantForm() {
  const qc = useQueryClient();
  const toast = useToast();
  const policy = usePolicyHead();
  const directory = useDirectory();
  const toolsId = useId();
  const agents = directory.data?.agents ?? [];
  const doc = policy.data?.version?.document;
  const [agentId, setAgentId] = useState("");
  const [allTools, setAllTools] = useState(false);
  const [tools, setTools] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const agent = agentId || agents[0]?.id || "";
  const allowed = new Set(doc?.agents[agent]?.allowed_tools ?? []);
  const toolNames = Object.keys(doc?.tools ?? {}).sort();

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ grant: { id: string; agentId: string } }>("/api/v1/admin/grants", { method: "POST", body }),
    onSuccess: (r, body) => {
      toast("success", `Granted ${r.grant.agentId} ${(body.tools as string[]).join(", ")} for ${body.expiresInMinutes} min. It applies from the agent's next decision.`);
      setTools([]);
      setAllTools(false);
      setFieldErrors({});
      void qc.invalidateQueries({ queryKey: ["grants-all"] });
    },
    onError: (e) => {
      const fields = e instanceof ApiError ? e.body?.fields : undefined;
      setFieldErrors(Object.fromEntries((fields ?? []).map((f) => [f.path.split(".")[0] ?? f.path, f.message])));
      toast("error", e.message);
    },
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const chosen = allTools ? ["*"] : tools;
    if (chosen.length === 0) return setFieldErrors({ tools: "Pick at least one tool, or all tools." });
    const pattern = String(f.get("resourcePattern") ?? "").trim();
    const reason = String(f.get("reason") ?? "").trim();
    create.mutate({
      agentId: agent,
      tools: chosen,
      resourcePattern: pattern || undefined,
      expiresInMinutes: Number(f.get("expiresInMinutes")),
      revokeOnFailure: f.get("revokeOnFailure") === "on",
      reason: reason || undefined,
    });
  }

  const error = (key: string) => fieldErrors[key] && <p className="mt-1 text-xs text-red-700 dark:text-red-400"><span aria-hidden>✕ </span>{fieldErrors[key]}</p>;

  return (
    <Card title="Issue a sandbox grant">
      <form onSubmit={onSubmit} aria-label="Issue a sandbox grant" className="space-y-4">
        <div className="grid gap-4 md:grid-cols-3">
          <div>
            <SelectField label="Agent" name="agentId" value={agent} onChange={(e) => setAgentId(e.target.value)} options={agents.map((a) => ({ value: a.id, label: a.id }))} />
            {error("agentId")}
          </div>
          <div>
            <TextField label="Resource pattern (optional)" name="resourcePattern" maxLength={200} placeholder="e.g. orders/* or billing-db" />
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">* matches anything. Empty covers every resource.</p>
            {error("resourcePattern")}
          </div>
          <div>
            <TextField label="Expires in (minutes)" name="expiresInMinutes" type="number" min={1} max={MAX_MINUTES} step={1} defaultValue={60} required />
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">1 minute to 7 days ({MAX_MINUTES} min).</p>
            {error("expiresInMinutes")}
          </div>
        </div>
        <fieldset aria-describedby={`${toolsId}-hint`}>
          <legend className="text-sm font-medium">Tools</legend>
          <p id={`${toolsId}-hint`} className="text-xs text-slate-500 dark:text-slate-400">Tools marked “needs a grant” are refused without one. Others are listed so a grant can be issued ahead of a policy change.</p>
          <label className="mt-2 flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={allTools} onChange={(e) => setAllTools(e.target.checked)} className="h-4 w-4" />
            All tools (*)
          </label>
          <div className="mt-2 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
            {toolNames.length === 0 && <p className="text-sm text-slate-500">{policy.isPending ? "Loading tools…" : "The live policy has no tools."}</p>}
            {toolNames.map((t) => (
              <label key={t} className={`flex items-center gap-2 text-sm ${allTools ? "opacity-50" : ""}`}>
                <input type="checkbox" disabled={allTools} checked={allTools || tools.includes(t)} onChange={(e) => setTools((cur) => (e.target.checked ? [...cur, t] : cur.filter((x) => x !== t)))} className="h-4 w-4" />
                <span className="font-mono">{t}</span>
                {doc?.tools[t]?.sandbox_grant_required && <span className="rounded bg-amber-100 px-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">needs a grant</span>}
                {!allowed.has(t) && <span className="text-xs text-slate-500 dark:text-slate-400">(not in {agent}&apos;s allowed tools)</span>}
              </label>
            ))}
          </div>
          {error("tools")}
        </fieldset>
        <div className="grid gap-4 md:grid-cols-3">
          <label className="flex items-start gap-2 text-sm md:col-span-1">
            <input type="checkbox" name="revokeOnFailure" defaultChecked className="mt-0.5 h-4 w-4" />
            <span><span className="font-medium">Revoke on failure</span><span className="block text-xs text-slate-500 dark:text-slate-400">End the grant as soon as an action under it reports a failed or rolled-back outcome.</span></span>
          </label>
          <div className="md:col-span-2">
            <TextField label="Reason (optional)" name="reason" maxLength={500} placeholder="e.g. INC-1234 cleanup of staging tables" />
          </div>
        </div>
        <Button type="submit" disabled={create.isPending || agents.length === 0}>{create.isPending ? "Issuing…" : "Issue grant"}</Button>
      </form>
    </Card>
  );
}
