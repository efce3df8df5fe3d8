import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os"; import path from "node:path";
import { runVariant } from "@/scripts/bench/decide-variants";
const work = mkdtempSync(path.join(os.tmpdir(), "gv-"));
const r = await runVariant({ variant: "as-is", target: "x", workDir: work, durationS: Number(process.argv[2] ?? 5), pending: true, port: 3301 });
console.log(r.load.rps.toFixed(0), "rps p99", r.load.p99Ms.toFixed(1), "failsafe", r.failsafe, "rows", r.logRows);
for (const f of readdirSync(work).filter((f) => f.endsWith(".log"))) console.log(readFileSync(path.join(work, f), "utf8").split("\n").filter((l) => /tmp|breaker/.test(l)).slice(-40).join("\n"));
