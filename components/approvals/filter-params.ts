// The approval list's filter, shared by the server pages (which read it from the address) and
// the client components (which send it to the API). No "use client": server code calls it.

// The list's filter as the domain defines it (a type only: nothing of the store reaches the client).
import type { RequestFilter as ListFilter } from "@/lib/approvals/requests";

export interface RequestFilter extends ListFilter {
  /** "queue": the reviewers' queue, which also reports how many requests are waiting. */
  view?: "queue";
}

const KEYS = ["status", "tool", "agent", "tenant", "q"] as const;

/** The filter a page was opened with (its searchParams), without unknown or empty keys. */
export function filterFrom(params: Record<string, string | string[] | undefined>): RequestFilter {
  const f: RequestFilter = {};
  for (const k of KEYS) {
    const v = params[k];
    if (typeof v === "string" && v.trim()) f[k] = v.trim().slice(0, 200);
  }
  return f;
}

export function toSearch(f: RequestFilter, omit: (keyof RequestFilter)[] = []): string {
  const qs = new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "" && !omit.includes(e[0] as keyof RequestFilter)));
  const s = qs.toString();
  return s ? `?${s}` : "";
}

export const approvalsPath = (f: RequestFilter) => `/api/v1/admin/approvals${toSearch(f)}`;
