// The audit browser's filters live in the address bar, so a filtered view can be shared by
// copying its URL. No "use client": the server page reads them too.

export type AuditTab = "events" | "decisions";

export const EVENT_KEYS = ["from", "to", "actor", "action", "target", "tool", "agent", "q"] as const;
export const DECISION_KEYS = ["from", "to", "agent", "tool", "tenant", "verdict", "primitive"] as const;
export type EventKey = (typeof EVENT_KEYS)[number];
export type DecisionKey = (typeof DECISION_KEYS)[number];
export type Filters<K extends string> = Partial<Record<K, string>>;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const get = (p: Params, k: string) => (p instanceof URLSearchParams ? p.get(k) : typeof p[k] === "string" ? p[k] : null);

export const tabFrom = (p: Params): AuditTab => (get(p, "tab") === "decisions" ? "decisions" : "events");

/** The known, non-empty filters of one tab; anything else in the address is ignored. */
export function filtersFrom<K extends string>(p: Params, keys: readonly K[]): Filters<K> {
  const out: Filters<K> = {};
  for (const k of keys) {
    const v = get(p, k)?.trim();
    if (v) out[k] = v.slice(0, 200);
  }
  return out;
}

export function toQuery(f: Record<string, string | undefined>): string {
  const qs = new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => Boolean(e[1])));
  const s = qs.toString();
  return s ? `?${s}` : "";
}

/** The page's own address for a tab and its filters (the events tab is the default). */
export const auditHref = (tab: AuditTab, f: Record<string, string | undefined>) => `/audit${toQuery(tab === "events" ? f : { tab, ...f })}`;

// Times are entered and shown in UTC, like every time in the console, so a shared link means the
// same range to everyone. <input type="datetime-local"> has no zone: we read its value as UTC.
export const isoToInput = (iso: string | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso).toISOString().slice(0, 16) : "");
export const inputToIso = (value: string, end = false) => (value ? `${value.slice(0, 16)}:${end ? "59.999" : "00.000"}Z` : undefined);
