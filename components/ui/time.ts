// Every time in the console is UTC, so a time read out on an incident bridge, or pasted into a
// ticket, means the same to everyone whatever their browser's zone. One place for the formats.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-11-29 08:28 UTC" (with `seconds`, "…08:28:05 UTC"); "—" for no time. */
export const utc = (iso: string | null | undefined, seconds = false) => (iso ? `${iso.replace("T", " ").slice(0, seconds ? 19 : 16)} UTC` : "—");

/** "08:28", UTC: chart axes within a day. */
export const hhmm = (t: number | string) => new Date(t).toISOString().slice(11, 16);

/** "Nov 29 08:28", UTC: chart axes that span days, and chart tooltips. */
export function dayHhmm(t: number | string): string {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${hhmm(t)}`;
}
