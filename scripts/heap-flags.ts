// The server's V8 heap bound, shared by `npm start` and `npm run soak` so the soak measures what
// ships. Without a bound V8 sizes its old generation from the machine's memory (gigabytes here)
// and lets garbage build up towards it before a major collection: under steady load RSS then
// swings by hundreds of MiB although the live heap barely moves (docs/BENCHMARKS-SOAK.md). A
// bound keeps an instance's memory predictable. GOVERNOR_MAX_HEAP_MB sets it; 0 leaves V8's own.
export const DEFAULT_MAX_HEAP_MB = 512;

export function maxHeapMb(raw = process.env.GOVERNOR_MAX_HEAP_MB): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_HEAP_MB;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || (n > 0 && n < 128)) {
    throw new Error(`GOVERNOR_MAX_HEAP_MB must be 0 (V8's default) or a whole number of MiB ≥ 128, got "${raw}"`);
  }
  return n;
}

// With a bound, the young generation is kept small too: V8's 16 MiB semi-spaces let a streaming
// export of a million audit events pile up 150 MiB of short-lived garbage; 2 MiB ones collect it
// sooner (peak RSS 296 → 238 MiB on PostgreSQL) for 4–6 % of decide throughput, both measured in
// docs/BENCHMARKS-AUDIT.md ("Export on PostgreSQL").
export const SEMI_SPACE_MB = 2;

export function heapFlags(raw?: string): string[] {
  const mb = maxHeapMb(raw);
  return mb > 0 ? [`--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`] : [];
}
