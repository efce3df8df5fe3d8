import { DecisionLogWriter } from "@/lib/dataplane/decision-log";
import { openRateLimiter, type RateLimiter } from "@/lib/dataplane/rate-limiter";
import { SnapshotHolder } from "@/lib/dataplane/snapshot-holder";
import type { Store } from "@/lib/db/store";

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
  return {
    store,
    holder,
    limiter,
    log,
    close: async () => {
      holder.close();
      await holder.idle();
      await limiter.close();
      await log.close();
    },
  };
}
