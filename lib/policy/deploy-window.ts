import { WEEKDAYS, type DeployWindow } from "@/lib/policy/document";

// Deploy windows evaluated against the decision's `now` (evaluate() gets it in its state and
// never reads the clock). Local weekday and minute come from Intl in the window's time zone, so
// daylight-saving shifts follow the zone's rules.

export interface CompiledWindow {
  name: string;
  max: number;
  /** null = every tool. */
  tools: ReadonlySet<string> | null;
  ranges: readonly { days: ReadonlySet<number>; from: number; to: number }[];
  format: Intl.DateTimeFormat;
  /**
   * Memo of the local weekday and minute for one UTC minute: Intl costs tens of microseconds a
   * call, too much for every decision. Zone offsets are whole minutes, so a UTC minute maps to
   * exactly one local minute and the memo never changes an answer.
   */
  memo: { utcMinute: number; day: number; minute: number };
}

const DAY_INDEX: Record<string, number> = Object.fromEntries(WEEKDAYS.map((d, i) => [d, i]));
const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function formatter(tz: string): Intl.DateTimeFormat {
  // checkDocument refuses unknown zones; a stored one Intl no longer knows falls back to UTC.
  return new Intl.DateTimeFormat("en-US", { timeZone: isValidTimeZone(tz) ? tz : "UTC", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

export function compileWindows(windows: Record<string, DeployWindow>): CompiledWindow[] {
  return Object.entries(windows).map(([name, w]) => ({
    name,
    max: w.max,
    tools: w.tools.length ? new Set(w.tools) : null,
    ranges: w.ranges.map((r) => ({ days: new Set(r.days.map((d) => DAY_INDEX[d]!)), from: minutes(r.from), to: minutes(r.to) })),
    format: formatter(w.time_zone),
    memo: { utcMinute: NaN, day: 0, minute: 0 },
  }));
}

/** Monday-based weekday (0–6) and minute of the day at `now` in the formatter's zone. */
export function localWeekMinute(format: Intl.DateTimeFormat, now: number): { day: number; minute: number } {
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of format.formatToParts(now)) {
    if (p.type === "weekday") day = DAY_INDEX[p.value.toLowerCase().slice(0, 3)] ?? 0;
    else if (p.type === "hour") hour = Number(p.value);
    else if (p.type === "minute") minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

export function windowActive(w: CompiledWindow, tool: string, now: number): boolean {
  if (w.tools && !w.tools.has(tool)) return false;
  const utcMinute = Math.floor(now / 60_000);
  if (w.memo.utcMinute !== utcMinute) w.memo = { utcMinute, ...localWeekMinute(w.format, now) };
  const t = w.memo;
  return w.ranges.some((r) => r.days.has(t.day) && t.minute >= r.from && t.minute < r.to);
}
