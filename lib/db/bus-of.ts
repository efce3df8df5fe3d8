import type { EventBus } from "@/lib/events";

// Which bus belongs to which client, so code holding only the client (mutate) can tell its own
// instance about a commit at once instead of waiting for the NOTIFY round trip. Kept apart from
// store.ts so importing it does not pull the drivers and the migration engine along.
const buses = new WeakMap<object, EventBus>();

export function registerBus(db: object, bus: EventBus): void {
  buses.set(db, bus);
}

export function busFor(db: object): EventBus | undefined {
  return buses.get(db);
}
