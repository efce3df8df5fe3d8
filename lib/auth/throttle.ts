import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const THROTTLE_WINDOW_MS = 5 * 60 * 1000;
/** Five failures are tolerated inside the window; the sixth attempt is refused. */
export const MAX_FAILURES = 5;

export const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

function describeWait(ms: number, at: Date): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const min = Math.floor(total / 60);
  const sec = total % 60;
  const span = min > 0 ? `${min} min ${sec} s` : `${sec} s`;
  return `${at.toISOString().slice(11, 19)} UTC (in ${span})`;
}

/**
 * Refuses the attempt when any key (account or IP) has MAX_FAILURES failures in the window.
 * Failures are rows in the store, so the limit holds across instances.
 */
export async function assertNotThrottled(db: Db, keys: string[], now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  for (const key of keys) {
    const recent = await db.loginFailure.findMany({
      where: { key, at: { gt: since } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    if (recent.length >= MAX_FAILURES) {
      // The attempt may proceed once enough failures have aged out of the window.
      const unlockAt = new Date(recent[recent.length - MAX_FAILURES]!.at.getTime() + THROTTLE_WINDOW_MS);
      const waitMs = unlockAt.getTime() - now.getTime();
      const what = key.startsWith("ip:") ? "from this address" : "for this account";
      throw new AppError(
        "too_many_requests",
        `Too many failed sign-in attempts ${what}. Try again at ${describeWait(waitMs, unlockAt)}.`,
        { retryAfterSeconds: Math.ceil(waitMs / 1000) },
      );
    }
  }
}

