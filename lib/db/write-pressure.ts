/*
 * Writes someone is waiting for, against background writes, on one store. An agent waits for its
 * `pending` answer until its approval request is written; nobody waits for the decision log. On
 * PGlite one statement runs at a time, and on either store every audit append takes the chain
 * lock, so an approval request written while a large sealed batch is being inserted waits for it
 * (docs/BENCHMARKS.md §2i). Writers of the first kind say so here; the decision log writes
 * smaller batches while they are active.
 */
const lastUrgent = new WeakMap<object, number>();

/** Records that a write someone waits for is under way on `store` (the Prisma client). */
export function noteUrgentWrite(store: object, now = Date.now()): void {
  lastUrgent.set(store, now);
}

/** Whether such a write was under way on `store` within the last `withinMs`. */
export function urgentWritesRecently(store: object, withinMs = 1_000, now = Date.now()): boolean {
  const t = lastUrgent.get(store);
  return t !== undefined && now - t < withinMs;
}
