"use client";

import { useEffect } from "react";
import { SelectField } from "@/components/ui/field";
import { toSearch, type RequestFilter } from "@/components/approvals/filter-params";
import { useDirectory, usePolicyHead } from "@/components/approvals/use-approvals";

const ANY = { value: "", label: "Any" };

/**
 * Tool, agent, tenant and status filters. The choices come from the live policy and the
 * directory; the chosen values go into the address bar so a filtered view can be shared.
 */
export function FilterBar({ value, onChange, statuses }: { value: RequestFilter; onChange: (f: RequestFilter) => void; statuses: { value: string; label: string }[] }) {
  const policy = usePolicyHead();
  const directory = useDirectory();
  const tools = Object.keys(policy.data?.version?.document.tools ?? {}).sort();
  const agents = (directory.data?.agents ?? []).map((a) => a.id);
  const tenants = (directory.data?.tenants ?? []).map((t) => t.id);
  // Keep a filtered value selectable even when the policy no longer names it.
  const withCurrent = (names: string[], current?: string) => (current && !names.includes(current) ? [...names, current] : names);

  useEffect(() => {
    const next = `${window.location.pathname}${toSearch(value, ["before"])}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", next);
  }, [value]);

  const set = (key: keyof RequestFilter) => (e: { target: { value: string } }) => onChange({ ...value, [key]: e.target.value || undefined });
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" role="group" aria-label="Filters">
      <SelectField label="Status" value={value.status ?? ""} onChange={set("status")} options={statuses} />
      <SelectField label="Tool" value={value.tool ?? ""} onChange={set("tool")} options={[ANY, ...withCurrent(tools, value.tool).map((t) => ({ value: t, label: t }))]} />
      <SelectField label="Agent" value={value.agent ?? ""} onChange={set("agent")} options={[ANY, ...withCurrent(agents, value.agent).map((a) => ({ value: a, label: a }))]} />
      <SelectField label="Tenant" value={value.tenant ?? ""} onChange={set("tenant")} options={[ANY, ...withCurrent(tenants, value.tenant).map((t) => ({ value: t, label: t }))]} />
    </div>
  );
}
