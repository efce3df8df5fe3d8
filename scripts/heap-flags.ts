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

export function heapFlags(raw?: string): string[] {
  const mb = maxHeapMb(raw);
  return mb > 0 ? [`--max-old-space-size=${mb}`] : [];
}
