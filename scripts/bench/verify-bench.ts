// node --import tsx scripts/bench/verify-bench.ts [--base <git rev>] [--rounds 5] [--events 300000] [--decisions 0]
// The offline verifier, old against new on the same bundle, back to back: each run is a fresh
// process (verify-bench-child.ts) timing verifyBundle alone, CPU time of all its threads and
// wall time. The old code is lib/audit as of --base (default: main), copied out of git into
// /tmp/verify-bench. The bundle is built once by verify-bundle-seed.ts and kept in
// /tmp/verify-bench/e<events>-d<decisions>.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { base: { type: "string", default: "main" }, rounds: { type: "string", default: "5" }, events: { type: "string", default: "300000" }, decisions: { type: "string", default: "0" } },
});
const ROOT = "/tmp/verify-bench";
const dir = path.join(ROOT, `e${values.events}-d${values.decisions}`);
const archive = path.join(dir, "bundle.tar.gz");
const unpacked = path.join(dir, "bundle");

if (!existsSync(archive)) {
  console.error(`building ${dir} (a few minutes on PGlite) …`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/verify-bundle-seed.ts", dir, values.events!, values.decisions!], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("seeding failed");
}

// The old verifier with its own lib/audit, its @/ imports made relative; node_modules linked.
const rev = execFileSync("git", ["rev-parse", "--short", values.base!], { encoding: "utf8" }).trim();
const baseDir = path.join(ROOT, `baseline-${rev}`);
if (!existsSync(baseDir)) {
  mkdirSync(path.join(baseDir, "lib/audit"), { recursive: true });
  symlinkSync(path.resolve("node_modules"), path.join(baseDir, "node_modules"));
  const files = execFileSync("git", ["ls-tree", "--name-only", rev, "lib/audit/"], { encoding: "utf8" }).split("\n").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const f of files) {
    const text = execFileSync("git", ["show", `${rev}:${f}`], { encoding: "utf8" }).replace(/from "@\/lib\/audit\/([\w-]+)"/g, 'from "./$1"');
    writeFileSync(path.join(baseDir, f), text);
  }
}
const impls = { [`old (${rev})`]: path.join(baseDir, "lib/audit/verify-bundle.ts"), new: path.resolve("lib/audit/verify-bundle.ts") };

type Run = { ok: boolean; events: number; cpuMs: number; wallMs: number; detail?: string };
function runOnce(module: string, bundle: string): Run {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/verify-bench-child.ts", module, bundle], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");
const loadBefore = load();
const started = new Date().toISOString();
const results: Record<string, Run[]> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [input, bundle] of [[".tar.gz", archive], ["directory", unpacked]] as const) {
    // Alternate which goes first, so a change of load hurts both alike.
    const order = Object.entries(impls);
    if (round % 2) order.reverse();
    for (const [name, module] of order) {
      const r = runOnce(module, bundle);
      if (!r.ok) throw new Error(`${name} failed to verify ${bundle}: ${r.detail}`);
      (results[`${input}|${name}`] ??= []).push(r);
      console.error(`round ${round + 1} ${input} ${name}: ${fmt(r.cpuMs)} ms CPU, ${fmt(r.wallMs)} ms wall`);
    }
  }
}
const lines = [
  `Offline verify, ${started}, ${os.cpus()[0]?.model ?? "?"} (${os.availableParallelism()} cores), Node ${process.version}; ${Number(values.events).toLocaleString("en-US")} events, ${Number(values.decisions).toLocaleString("en-US")} decisions; medians of ${values.rounds} runs each; load average before ${loadBefore}, after ${load()}.`,
  "",
  "| input | code | CPU time | events per CPU-second | wall time | events/s (wall) |",
  "| --- | --- | --- | --- | --- | --- |",
];
for (const [key, runs] of Object.entries(results)) {
  const [input, name] = key.split("|");
  const cpu = median(runs.map((r) => r.cpuMs));
  const wall = median(runs.map((r) => r.wallMs));
  const n = runs[0]!.events;
  lines.push(`| ${input} | ${name} | ${(cpu / 1000).toFixed(2)} s | ${fmt(n / (cpu / 1000))} | ${(wall / 1000).toFixed(2)} s | ${fmt(n / (wall / 1000))} |`);
}
console.log(lines.join("\n"));
rmSync(path.join(ROOT, "last-report.md"), { force: true });
writeFileSync(path.join(ROOT, "last-report.md"), lines.join("\n") + "\n");
