import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runVariant } from "@/scripts/bench/decide-variants";
const work = mkdtempSync(path.join(os.tmpdir(), "gv-"));
for (const variant of process.argv.slice(2)) {
  const { load: r, logRows } = await runVariant({ variant, target: variant, workDir: work, durationS: 8, pending: false, port: 3311 });
  console.log(`${variant}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(1)} p99.9 ${r.p999Ms.toFixed(1)} rows ${logRows}`);
}
