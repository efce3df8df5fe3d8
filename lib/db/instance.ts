import path from "node:path";
import { env } from "@/lib/env";
import { openStore, type Store } from "@/lib/db/store";
import { registry } from "@/lib/registry";

export function pgliteDir(): string {
  return path.join(env().GOVERNOR_DATA_DIR, "pglite");
}

/**
 * The process's one store, opened from the environment on first use and shared through the
 * registry, so Next's bundle and server.ts use the same connection (PGlite allows only one).
 */
export function getStore(): Promise<Store> {
  if (registry.store) return Promise.resolve(registry.store);
  registry.storeOpening ??= openStore({
    databaseUrl: env().DATABASE_URL,
    dataDir: pgliteDir(),
    log: (m) => console.log(`[store] ${m}`),
    connectTimeoutMs: env().GOVERNOR_DB_TIMEOUT_MS,
    pgliteThread: env().GOVERNOR_PGLITE_THREAD,
    pgliteSharedBuffersMb: env().GOVERNOR_PGLITE_SHARED_BUFFERS_MB,
  }).then((store) => {
    registry.store = store;
    registry.bus = store.bus;
    return store;
  });
  return registry.storeOpening;
}
