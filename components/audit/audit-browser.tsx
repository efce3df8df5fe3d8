"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { Tabs } from "@/components/ui/tabs";
import { DecisionsTab } from "@/components/audit/decisions-tab";
import { EventsTab } from "@/components/audit/events-tab";
import { DECISION_KEYS, EVENT_KEYS, auditHref, filtersFrom, tabFrom, type AuditTab } from "@/components/audit/filters";

const TABS: { id: AuditTab; label: string }[] = [
  { id: "events", label: "Events" },
  { id: "decisions", label: "Decisions" },
];

/**
 * The address bar is the state: tab and filters are read from it and every change pushes a new
 * entry (Next keeps useSearchParams in step with history.pushState), so Back undoes a filter
 * and a copied URL opens the same view.
 */
export function AuditBrowser({ canExport }: { canExport: boolean }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const tab = tabFrom(params);
  const search = params.toString();

  const go = useCallback((next: AuditTab, f: Record<string, string | undefined>) => {
    window.history.pushState(null, "", auditHref(next, f));
  }, []);
  // Switching tabs keeps the filters both tabs understand (time range, agent, tool).
  const switchTab = (next: AuditTab) => go(next, filtersFrom(params, next === "events" ? EVENT_KEYS : DECISION_KEYS));

  return (
    <Tabs label="Audit views" tabs={TABS} value={tab} onChange={switchTab}>
      {tab === "events" ? (
        <EventsTab filters={filtersFrom(params, EVENT_KEYS)} onFilters={(f) => go("events", f)} canExport={canExport} formKey={`${pathname}?${search}`} />
      ) : (
        <DecisionsTab filters={filtersFrom(params, DECISION_KEYS)} onFilters={(f) => go("decisions", f)} formKey={`${pathname}?${search}`} />
      )}
    </Tabs>
  );
}
