"use client";

import { Changed } from "@/components/policy/bits";
import type { ChangeOp } from "@/lib/changesets/ops";
import type { PolicyDocument } from "@/lib/policy/document";
import { getKey, type Json } from "@/lib/policy/keypath";

/** Which tier each tenant is on; the tier decides its tools and per-tenant limits. */
export function TenantTiersForm({ doc, base, onOp }: { doc: PolicyDocument; base: Json; onOp: (op: ChangeOp) => void }) {
  const tiers = Object.keys(doc.tiers);
  const tenants = Object.entries(doc.tenants);
  if (tenants.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No tenants in the policy yet. Add one in the JSON tab.</p>;
  return (
    <ul className="flex flex-wrap gap-x-10 gap-y-3" data-testid="tenant-tiers">
      {tenants.map(([name, t]) => {
        const key = `tenants.${name}.tier`;
        const was = getKey(base, key);
        return (
          <li key={name} className="flex items-center gap-2">
            <label htmlFor={`tier-${name}`} className="font-mono text-sm font-medium">{name}</label>
            <select
              id={`tier-${name}`}
              aria-label={`Tier of tenant ${name}`}
              value={t.tier}
              onChange={(e) => onOp({ op: "set", key, value: e.target.value })}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
            >
              {[...new Set([...tiers, t.tier])].map((tier) => <option key={tier} value={tier}>{tier}</option>)}
            </select>
            {was !== t.tier && <span className="text-xs whitespace-nowrap text-slate-500">was {String(was ?? "—")}<Changed /></span>}
          </li>
        );
      })}
    </ul>
  );
}
