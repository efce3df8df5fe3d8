"use client";

import { useId, useState } from "react";
import { useModelChange, type RuntimeModel } from "@/components/runtime-model/use-runtime-model";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ApiError, api } from "@/lib/client/api";

const EXAMPLE = JSON.stringify({ services: [{ name: "payments", share: 0.1, zone: "production" }, { name: "checkout", share: 0.3, zone: "production" }], edges: [{ service: "checkout", dependsOn: "payments" }] }, null, 2);

/** Replaces the whole model from JSON (`{ services, edges }`), after a confirm. */
export function ImportModel({ model }: { model: RuntimeModel }) {
  const id = useId();
  const [text, setText] = useState("");
  const [problems, setProblems] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<unknown>(null);
  const run = useModelChange(
    (body: unknown) => api<{ services: number; edges: number }>("/api/v1/admin/runtime-model/import", { method: "POST", body }),
    () => "Imported the runtime model. The next decision predicts from it.",
    (e) => setProblems(e instanceof ApiError && e.body?.fields ? e.body.fields.map((f) => `${f.path}: ${f.message}`) : [e.message]),
  );
  function check() {
    setProblems([]);
    try {
      setConfirming(JSON.parse(text));
    } catch (e) {
      setProblems([`Not valid JSON: ${(e as Error).message}`]);
    }
  }
  return (
    <Card title="Import a model as JSON">
      <label htmlFor={id} className="block text-sm font-medium">Model JSON</label>
      <p className="text-xs text-slate-500 dark:text-slate-400">Shares are fractions of all traffic (0–1). Edges must name imported services; cycles are allowed. Import replaces the current model.</p>
      <textarea id={id} value={text} onChange={(e) => setText(e.target.value)} rows={8} spellCheck={false} placeholder={EXAMPLE} className="mt-2 block w-full rounded-md border border-slate-300 bg-white p-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-950" />
      {problems.length > 0 && (
        <ul role="alert" className="mt-2 list-disc pl-5 text-xs text-red-700 dark:text-red-400">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
      )}
      <div className="mt-3 flex gap-2">
        <Button onClick={check} disabled={!text.trim() || run.isPending}>{run.isPending ? "Importing…" : "Import"}</Button>
        <Button variant="secondary" onClick={() => setText(JSON.stringify({ services: model.services.map(({ name, share, zone, description }) => ({ name, share, zone, description })), edges: model.edges }, null, 2))}>Load current model</Button>
      </div>
      <ConfirmDialog open={confirming !== null} title="Replace the runtime model?" confirmLabel="Replace model" danger pending={run.isPending} onCancel={() => setConfirming(null)} onConfirm={() => run.mutate(confirming, { onSettled: () => setConfirming(null) })}>
        <p>The {model.services.length} services and {model.edges.length} dependencies now in the model are replaced. Every agent&apos;s next decision predicts blast radius from the imported graph.</p>
      </ConfirmDialog>
    </Card>
  );
}
