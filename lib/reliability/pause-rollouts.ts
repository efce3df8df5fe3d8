import { SYSTEM } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { lockHead } from "@/lib/policy/versions";
import type { DenySpike } from "@/lib/reliability/breaker";
import { lockRollout } from "@/lib/rollouts/transitions";

class NotRunning extends Error {}

/**
 * What a deny spike does to rollouts (seed 002: "Deny rate spike … Alert + pause rollout"):
 * every running rollout is paused by the system, each in its own transaction with its rollout
 * event and audit event, in the lock order the rollout code uses (head, then the rollout). A
 * person resumes it once the spike is understood. Returns the ids it paused.
 */
export async function pauseRunningRollouts(db: Db, spike: DenySpike & { instance: string; bound: number }): Promise<string[]> {
  const running = await db.rollout.findMany({ where: { status: "running" }, select: { id: true } });
  const reason = `automatic pause: deny rate ${(spike.rate * 100).toFixed(1)}% on ${spike.instance} is more than ${spike.bound * 100}% above its baseline of ${(spike.baseline * 100).toFixed(1)}%`;
  const paused: string[] = [];
  for (const { id } of running) {
    try {
      await mutate({ db, principal: SYSTEM, permission: null }, async (tx) => {
        await lockHead(tx);
        const r = await lockRollout(tx, id);
        if (r.status !== "running") throw new NotRunning();
        await tx.rollout.update({ where: { id }, data: { status: "paused" } });
        const detail = { metric: "deny_rate", value: spike.rate, threshold: spike.baseline * (1 + spike.bound), window: null, instance: spike.instance };
        await tx.rolloutEvent.create({ data: { rolloutId: id, kind: "pause", actor: SYSTEM.actor.name, automatic: true, reason, detail } });
        return { result: null, audit: { action: "rollout.pause", target: `rollout:${id}`, before: { status: "running" }, after: { status: "paused", automatic: true, detail }, reason } };
      });
      paused.push(id);
    } catch (e) {
      if (!(e instanceof NotRunning)) throw e;
    }
  }
  return paused;
}
