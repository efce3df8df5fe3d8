// Times as the console shows them everywhere: UTC to the minute or second, plus "x ago".

export { utc } from "@/components/ui/time";

/** "4 min", "1 h 5 min", "12 s": a duration in words, for countdowns and ages. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${m < 10 && s % 60 ? ` ${s % 60} s` : ""}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ""}`;
  return `${Math.floor(h / 24)} d`;
}

export const ago = (iso: string, now = Date.now()) => `${duration(now - Date.parse(iso))} ago`;

export const SOURCE_LABEL: Record<string, string> = {
  rule: "approval rule on the tool",
  approval_all: "approval-all mode",
  network_boundary: "zone crossing",
  schema_drift: "destructive schema change (always needs a human)",
  advisory: "advisory agent: would have been denied",
};

export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
