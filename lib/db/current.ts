import type { Store } from "@/lib/db/store";
import { registry } from "@/lib/registry";

/**
 * The store that server.ts opened, for code running inside Next's bundle. Next never opens the
 * store itself: PGlite allows one owner, and migrations belong to start-up, not to a request.
 */
export async function currentStore(): Promise<Store> {
  if (registry.store) return registry.store;
  if (registry.storeOpening) return registry.storeOpening;
  throw new Error("The store is not open: start Governor with `npm start` (server.ts), not `next start`.");
}
