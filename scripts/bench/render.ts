// Re-renders docs/BENCHMARKS.md from a run's raw results (results.json in the run's directory),
// after a change to the report's wording: the figures stay those of that run.
//   node --import tsx scripts/bench/render.ts /tmp/governor-bench-XXXX/results.json
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderReport, type BenchResults } from "@/scripts/bench/report";

const file = process.argv[2];
if (!file) throw new Error("usage: render.ts <results.json>");
const results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
writeFileSync(path.resolve("docs/BENCHMARKS.md"), renderReport(results));
console.log(`Rewrote docs/BENCHMARKS.md from ${file} (run of ${results.machine.date}).`);
