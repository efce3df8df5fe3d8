// Child process for the export benchmark: opens the store the parent seeded, exports it all
// and reports its own RSS, so the figure is the export's and not the seeding's.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { exportBundle } from "@/lib/audit/export";
import { openStore } from "@/lib/db/store";

const [dataDir, out] = process.argv.slice(2) as [string, string];
const store = await openStore({ dataDir, migrate: false });
const openedRss = process.memoryUsage().rss;
let peakRss = openedRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
const t = performance.now();
const bundle = await exportBundle(store.prisma, { filters: {} });
await pipeline(bundle.stream, createWriteStream(out));
await bundle.cleanup();
const seconds = (performance.now() - t) / 1000;
clearInterval(sampler);
await store.close();
console.log(JSON.stringify({ events: bundle.manifest.counts.events, seconds, openedRss, peakRss }));
