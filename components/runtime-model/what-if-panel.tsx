"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { RuntimeModel } from "@/components/runtime-model/use-runtime-model";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { api } from "@/lib/client/api";

export interface WhatIfResult {
  tool: string;
  service: string;
  at: string;
  affected: { name: string; share: number }[];
  server: number | null;
  agent: number | null;
  predicted: number | null;
  bounds: { max: number; source: string }[];
  bound: { max: number; source: string } | null;
  verdict: "allow" | "deny";
  reason: { message: string } | null;
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

/** "What if this tool ran on this service (at this time)?", answered by the server's engine. */
export function WhatIfPanel({ model, tools, onResult }: { model: RuntimeModel; tools: string[]; onResult: (r: WhatIfResult | null) => void }) {
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const ask = useMutation({
    mutationFn: (body: object) => api<WhatIfResult>("/api/v1/admin/runtime-model/what-if", { method: "POST", body }),
    onSuccess: (r) => {
      setResult(r);
      onResult(r);
    },
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const at = String(f.get("at") ?? "");
    const agent = String(f.get("agent") ?? "");
    ask.mutate({ tool: f.get("tool"), service: f.get("service"), ...(at ? { at: `${at}:00Z` } : {}), ...(agent ? { blastRadius: Number(agent) / 100 } : {}) });
  }
  if (model.services.length === 0) return null;
  return (
    <Card title="What if…">
      <form onSubmit={onSubmit} aria-label="What if" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <SelectField key={tools.length} label="Tool" name="tool" defaultValue={tools.includes("restart_service") ? "restart_service" : tools[0]} options={tools.map((t) => ({ value: t, label: t }))} />
        <SelectField label="Target service" name="service" options={model.services.map((s) => ({ value: s.name, label: s.name }))} />
        <TextField label="Time (UTC, optional)" name="at" type="datetime-local" />
        <TextField label="Agent's prediction (%)" name="agent" type="number" min={0} max={100} step={0.1} placeholder="optional" />
        <Button type="submit" disabled={ask.isPending}>{ask.isPending ? "Predicting…" : "Predict"}</Button>
      </form>
      {ask.error && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{ask.error.message}</p>}
      {result && (
        <div className="mt-4 space-y-3 text-sm" data-testid="what-if-result" aria-live="polite">
          <div className="flex flex-wrap items-center gap-3">
            <span className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ${result.verdict === "allow" ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" : "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200"}`} data-testid="what-if-verdict">
              <span aria-hidden>{result.verdict === "allow" ? "✓" : "✕"}</span>{result.verdict}
            </span>
            <span>
              Predicted blast radius <strong data-testid="what-if-predicted">{pct(result.predicted)}</strong>
              {result.agent !== null && <> (model {pct(result.server)}, agent {pct(result.agent)})</>}
              {" · "}bound <strong data-testid="what-if-bound">{result.bound ? pct(result.bound.max) : "none"}</strong>
              {result.bound && <> from <code className="font-mono text-xs">{result.bound.source}</code></>}
            </span>
          </div>
          <p className="text-slate-600 dark:text-slate-400">
            {result.tool} on {result.service} at {result.at.replace("T", " ").slice(0, 16)} UTC touches {result.affected.length} service{result.affected.length === 1 ? "" : "s"}:{" "}
            <span data-testid="what-if-affected">{result.affected.map((a) => `${a.name} (${pct(a.share)})`).join(", ")}</span>.
          </p>
          {result.bounds.length > 1 && (
            <p className="text-xs text-slate-500 dark:text-slate-400">Bounds that apply: {result.bounds.map((b) => `${pct(b.max)} (${b.source})`).join("; ")}. The tightest wins.</p>
          )}
        </div>
      )}
    </Card>
  );
}
