// Child process for the export benchmark: opens the store the parent seeded, exports it all
// and reports its own RSS, so the figure is the export's and not the seeding's. The parent starts
// it with the server's heap flags (scripts/heap-flags.ts), as `npm start` starts the server.
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { exportBundle } from "@/lib/audit/export";
import { openStore } from "@/lib/db/store";
import { env } from "@/lib/env";

const [dataDir, out] = process.argv.slice(2) as [string, string];
const startRss = process.memoryUsage().rss;
// The PGlite settings the server takes from the environment (lib/db/instance.ts).
const onPg = /^postgres(ql)?:\/\//.test(dataDir);
const store = await openStore(onPg ? { databaseUrl: dataDir, migrate: false } : { dataDir, migrate: false, pgliteSharedBuffersMb: env().GOVERNOR_PGLITE_SHARED_BUFFERS_MB });
const openedRss = process.memoryUsage().rss;
let peakRss = openedRss;
let peakHeapUsed = 0;
let atPeak: NodeJS.MemoryUsage | null = null; // what RSS was made of when it peaked
let phase = "events";
let peakPhase = phase;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) [atPeak, peakPhase] = [m, phase];
  peakRss = Math.max(peakRss, m.rss);
  peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
}, 25);
const t = performance.now();
const cpu = process.cpuUsage();
const bundle = await exportBundle(store.prisma, { filters: {} });
phase = "archive";
await pipeline(bundle.stream, createWriteStream(out));
await bundle.cleanup();
const seconds = (performance.now() - t) / 1000;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await store.close();
console.log(JSON.stringify({
  events: bundle.manifest.counts.events, seconds, cpuSeconds: (used.user + used.system) / 1e6,
  startRss, openedRss, peakRss, peakHeapUsed, bytes: (await stat(out)).size, peakPhase, atPeak,
}));
