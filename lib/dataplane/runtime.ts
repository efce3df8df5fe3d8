import { DecisionLogWriter } from "@/lib/dataplane/decision-log";
import { openRateLimiter, type RateLimiter } from "@/lib/dataplane/rate-limiter";
import { SnapshotHolder } from "@/lib/dataplane/snapshot-holder";
import type { Store } from "@/lib/db/store";
import { expireDue } from "@/lib/approvals/vote";
import { SYSTEM } from "@/lib/auth/principal";
import { deliverDue } from "@/lib/notify/webhooks";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { sealTick } from "@/lib/audit/seal";
import { analyzeStaleTables } from "@/lib/db/analyze-stale";

/** Runs `fn` every `ms`, never overlapping itself, logging instead of crashing. */
function every(ms: number, name: string, fn: () => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    fn()
      .catch((e) => console.error(`[${name}]`, (e as Error).message))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** The data plane's process state: the snapshot, the counters and the decision log. */
export interface DataPlane {
  store: Store;
  holder: SnapshotHolder;
  limiter: RateLimiter;
  log: DecisionLogWriter;
  close(): Promise<void>;
}

export async function openDataPlane(store: Store): Promise<DataPlane> {
  const holder = await SnapshotHolder.open(store);
  const limiter = await openRateLimiter(store);
  const log = new DecisionLogWriter(store.prisma);
  const stopExpiry = every(2000, "approval-expiry", () => expireDue(store.prisma, SYSTEM));
  const stopWebhooks = every(1000, "webhooks", () => deliverDue(store.prisma));
  // Checkpoints at least once a second while events arrive (and every 1,000 events); decision
  // batches sealed into the chain every second.
  const stopSeal = every(1000, "decision-seal", () => sealTick(store.prisma));
  const stopCheckpoints = every(250, "audit-checkpoint", () => checkpointTick(store.prisma));
  // PGlite has no autovacuum: keep the planner's statistics current as tables grow.
  const stopAnalyze = store.kind === "pglite" ? every(30_000, "analyze", () => analyzeStaleTables(store.prisma)) : () => {};
  return {
    store,
    holder,
    limiter,
    log,
    close: async () => {
      stopExpiry();
      stopWebhooks();
      stopSeal();
      stopCheckpoints();
      stopAnalyze();
      holder.close();
      await holder.idle();
      await limiter.close();
      await log.close();
      // Seal and sign what the last flush wrote, so a clean shutdown leaves nothing unsigned.
      await sealTick(store.prisma).catch(() => 0);
      await checkpointTick(store.prisma).catch(() => 0);
    },
  };
}
