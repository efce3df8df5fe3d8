import type { Cohort } from "@/lib/policy/evaluate";

/*
 * Sticky routing: hash(rolloutId, session) mod 10000 picks the cohort. FNV-1a (32-bit) walks the
 * key once with one multiply per character and no allocation, which suits the decision path;
 * its weakness is that keys differing only in their last characters ("sess-1", "sess-2") leave
 * the high bits poorly mixed, so the result goes through MurmurHash3's 32-bit finalizer (fmix32),
 * which makes every input bit flip about half of the output bits. Taking the rollout id into the
 * key reshuffles sessions per rollout, so the same sessions are not always the canaries.
 * 2^32 mod 10000 = 7296, so the modulo bias is below 2 in a million.
 */
export function routingHash(rolloutId: string, session: string): number {
  const key = `${rolloutId}:${session}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The session's slot in 0..9999 for this rollout. */
export const routingSlot = (rolloutId: string, session: string): number => routingHash(rolloutId, session) % 10_000;

/** A stage's share in basis points, which is also its number of canary slots (0.5 % is 50). */
export const shareBp = (percent: number): number => Math.round(percent * 100);

/** Canary when the slot falls below the stage's share in slots. */
export function cohortFor(rolloutId: string, session: string, percent: number): Cohort {
  return routingSlot(rolloutId, session) < shareBp(percent) ? "canary" : "stable";
}
