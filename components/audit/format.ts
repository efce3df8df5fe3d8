// How the audit browser writes times, hashes, sizes and JSON.

import { utc as utcTime } from "@/components/ui/time";

/** Audit times are shown to the second by default. */
export const utc = (iso: string | null | undefined, seconds = true) => utcTime(iso, seconds);

/** The first and last characters of a hash; the full value is in the title and the detail view. */
export const shortHash = (h: string, n = 10) => (h.length > 2 * n ? `${h.slice(0, n)}…${h.slice(-4)}` : h);

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function json(v: unknown): string {
  if (v === undefined) return "—";
  return typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v, null, 2) ?? String(v));
}
