import { SYSTEM } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { lockHead } from "@/lib/policy/versions";

/** What an automatic pause names, as every automatic action does: metric, value, threshold, window. */
export interface PauseCause {
  metric: string;
  value: number | null;
  threshold: number | null;
  /** Seconds, or null when the cause has no window (a moved policy head). */
  window: number | null;
}

/**
 * Pauses a rollout by the system, in one transaction with its event, audit entry and generation
 * bump. Only a running rollout pauses: one already paused or ended is left as it is, so two
 * instances reacting to the same cause pause it once. Returns whether this call paused it.
 */
export async function pauseAutomatically(db: Db, id: string | null, message: string, cause: PauseCause): Promise<boolean> {
  try {
    await pauseIn(db, id, message, cause);
    return true;
  } catch (e) {
    if (e instanceof NotRunning) return false;
    throw e;
  }
}

// Thrown inside the transaction to roll it back: nothing to pause means no audit entry and no
// generation bump (a bump would make every instance reload its snapshot for nothing).
class NotRunning extends Error {}

async function pauseIn(db: Db, id: string | null, message: string, cause: PauseCause): Promise<void> {
  await mutate({ db, principal: SYSTEM, permission: null }, async (tx) => {
    // Head first, then the rollout: the lock order every rollout transaction uses.
    await lockHead(tx);
    const rows = id
      ? await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Rollout" WHERE "id" = ${id} AND "status" = 'running' FOR UPDATE`
      : await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Rollout" WHERE "status" = 'running' FOR UPDATE`;
    const target = rows[0]?.id;
    const reason = `automatic pause: ${message}`;
    if (!target) throw new NotRunning();
    const r = await tx.rollout.update({ where: { id: target }, data: { status: "paused" } });
    await tx.rolloutEvent.create({ data: { rolloutId: target, kind: "pause", actor: SYSTEM.actor.name, automatic: true, reason, detail: { ...cause } } });
    return { result: null, audit: { action: "rollout.pause", target: `rollout:${target}`, before: { status: "running" }, after: { status: r.status, automatic: true, detail: { ...cause } }, reason } };
  });
}
