// Process-wide state shared by server.ts and Next's bundle. Next bundles its own copies of the
// modules it imports, so module-level singletons would exist twice; globalThis exists once.
import type { Store } from "@/lib/db/store";
import type { EventBus } from "@/lib/events";

export interface Registry {
  store?: Store;
  storeOpening?: Promise<Store>;
  bus?: EventBus;
}

const g = globalThis as typeof globalThis & { __governor?: Registry };

export const registry: Registry = (g.__governor ??= {});
