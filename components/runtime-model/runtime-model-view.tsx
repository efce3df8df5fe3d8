"use client";

import { useState } from "react";
import type { PolicyDoc } from "@/components/approvals/types";
import { usePolicyHead } from "@/components/approvals/use-approvals";
import { DependencyGraph } from "@/components/runtime-model/dependency-graph";
import { ImportModel } from "@/components/runtime-model/import-model";
import { ModelEditor } from "@/components/runtime-model/model-editor";
import { useRuntimeModel } from "@/components/runtime-model/use-runtime-model";
import { WhatIfPanel, type WhatIfResult } from "@/components/runtime-model/what-if-panel";
import { EmptyState } from "@/components/ui/empty-state";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function RuntimeModelView({ canEdit }: { canEdit: boolean }) {
  const model = useRuntimeModel();
  const policy = usePolicyHead();
  const [whatIf, setWhatIf] = useState<WhatIfResult | null>(null);
  const doc = policy.data?.version?.document as (PolicyDoc & { zones?: { names: string[] } }) | undefined;
  const tools = Object.keys(doc?.tools ?? {}).sort();
  if (model.isPending) return <p role="status" className="text-sm text-slate-500">Loading the runtime model…</p>;
  if (model.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load the runtime model: {model.error.message}</p>;
  const m = model.data;
  const highlight = whatIf ? new Set(whatIf.affected.map((a) => a.name)) : undefined;
  const total = m.services.reduce((s, x) => s + x.share, 0);
  return (
    <div className="space-y-6">
      {m.services.length === 0 ? (
        <EmptyState title="No services in the runtime model yet">
          {canEdit ? "Add services with their share of traffic below (or import a JSON model), then say which depends on which. Actions that target a service are then predicted from the graph." : "An editor or admin declares services and their dependencies here. Until then only agents' own predictions are checked."}
        </EmptyState>
      ) : (
        <section aria-labelledby="rm-graph" className="space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="rm-graph" className="text-lg font-semibold">Dependency graph</h2>
            <p className="text-xs text-slate-500 dark:text-slate-400">Arrows point from a service to what it depends on. Shares add up to {pct(total)} of traffic.</p>
          </div>
          <DependencyGraph services={m.services} edges={m.edges} highlight={highlight} target={whatIf?.service} />
          <table className="sr-only">
            <caption>Services</caption>
            <thead><tr><th>Service</th><th>Share</th><th>Zone</th><th>Depends on</th></tr></thead>
            <tbody>{m.services.map((s) => <tr key={s.name}><td>{s.name}</td><td>{pct(s.share)}</td><td>{s.zone ?? "none"}</td><td>{m.edges.filter((e) => e.service === s.name).map((e) => e.dependsOn).join(", ") || "nothing"}</td></tr>)}</tbody>
          </table>
        </section>
      )}
      <WhatIfPanel model={m} tools={tools} onResult={setWhatIf} />
      {canEdit ? (
        <>
          <ModelEditor model={m} zones={doc?.zones?.names ?? []} />
          <ImportModel model={m} />
        </>
      ) : (
        <p className="rounded-md border border-slate-200 px-3 py-2 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">Changing the runtime model needs the permission <code className="font-mono">policy.write</code> (editor or admin).</p>
      )}
    </div>
  );
}
