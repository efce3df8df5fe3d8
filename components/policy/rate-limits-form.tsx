"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Changed } from "@/components/policy/bits";
import { NumberInput } from "@/components/policy/number-input";
import { canonical, humanWindow } from "@/components/policy/pending-ops";
import type { PolicyDocument, RateLimit } from "@/lib/policy/document";
import { getKey, type Json } from "@/lib/policy/keypath";
import type { ChangeOp } from "@/lib/changesets/ops";

interface Row {
  key: string;
  scope: string;
  tool: string;
  limit: RateLimit;
}

const MAX_WINDOW = 86_400 * 31;

function rowsOf(doc: PolicyDocument): Row[] {
  const rows: Row[] = [];
  for (const [tool, t] of Object.entries(doc.tools)) if (t.rate_limit) rows.push({ key: `tools.${tool}.rate_limit`, scope: "all tenants", tool, limit: t.rate_limit });
  for (const [tier, t] of Object.entries(doc.tiers)) {
    for (const [tool, l] of Object.entries(t.rate_limits)) rows.push({ key: `tiers.${tier}.rate_limits.${tool}`, scope: `tier ${tier} (per tenant)`, tool, limit: l });
  }
  return rows;
}

/** Rate limits per tool (across every tenant) and per tier × tool (per tenant on the tier). */
export function RateLimitsForm({ doc, base, onOp }: { doc: PolicyDocument; base: Json; onOp: (op: ChangeOp) => void }) {
  const rows = rowsOf(doc);
  const tools = Object.keys(doc.tools);
  const scopes = [{ value: "tool", label: "All tenants" }, ...Object.keys(doc.tiers).map((t) => ({ value: `tier:${t}`, label: `Tier ${t}` }))];
  const [scope, setScope] = useState("tool");
  const [tool, setTool] = useState(tools[0] ?? "");
  const [count, setCount] = useState(100);
  const [windowS, setWindowS] = useState(3600);

  const set = (key: string, limit: RateLimit) => onOp({ op: "set", key, value: limit });
  function onAdd(e: FormEvent) {
    e.preventDefault();
    if (!tool) return;
    const key = scope === "tool" ? `tools.${tool}.rate_limit` : `tiers.${scope.slice(5)}.rate_limits.${tool}`;
    set(key, { count, window_s: windowS });
  }

  return (
    <div className="space-y-4">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No rate limits yet. Add one below.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="rate-limits">
            <thead>
              <tr className="text-left text-slate-500 dark:text-slate-400">
                <th className="px-2 py-2 font-medium">Applies to</th>
                <th className="px-2 py-2 font-medium">Tool</th>
                <th className="px-2 py-2 font-medium">Calls</th>
                <th className="px-2 py-2 font-medium">Per window (seconds)</th>
                <th className="px-2 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const was = getKey(base, r.key);
                const changed = canonical(was) !== canonical(r.limit);
                const name = `${r.tool}, ${r.scope}`;
                return (
                  <tr key={r.key} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-2 py-2 first-letter:uppercase">{r.scope}{changed && <Changed label={was === undefined ? "new" : "changed"} />}</td>
                    <td className="px-2 py-2 font-mono">{r.tool}</td>
                    <td className="px-2 py-2">
                      <NumberInput label={`Calls: ${name}`} value={r.limit.count} onCommit={(n) => set(r.key, { ...r.limit, count: n })} />
                    </td>
                    <td className="px-2 py-2">
                      <NumberInput label={`Window in seconds: ${name}`} min={1} max={MAX_WINDOW} value={r.limit.window_s} onCommit={(n) => set(r.key, { ...r.limit, window_s: n })} />
                      <span className="ml-2 text-xs text-slate-500">= {humanWindow(r.limit.window_s)}</span>
                    </td>
                    <td className="px-2 py-2 text-right">
                      <Button variant="ghost" aria-label={`Remove limit: ${name}`} onClick={() => onOp({ op: "unset", key: r.key })}>Remove</Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={onAdd} aria-label="Add a rate limit" className="grid items-end gap-3 border-t border-slate-100 pt-4 sm:grid-cols-2 lg:grid-cols-5 dark:border-slate-800">
        <SelectField label="Applies to" value={scope} onChange={(e) => setScope(e.target.value)} options={scopes} />
        <SelectField label="Tool" value={tool} onChange={(e) => setTool(e.target.value)} options={tools.map((t) => ({ value: t, label: t }))} />
        <TextField label="Calls" type="number" min={0} required value={count} onChange={(e) => setCount(Math.max(0, Math.trunc(Number(e.target.value))))} />
        <TextField label="Per window (seconds)" type="number" min={1} max={MAX_WINDOW} required value={windowS} onChange={(e) => setWindowS(Math.min(MAX_WINDOW, Math.max(1, Math.trunc(Number(e.target.value)))))} />
        <Button type="submit" variant="secondary">Add limit</Button>
      </form>
    </div>
  );
}
