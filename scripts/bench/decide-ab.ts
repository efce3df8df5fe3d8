// Alternates decide-variant-server.ts variants round after round on a fresh PGlite each run, so a
// change to the decision-log path can be judged against the floor on a noisy, shared machine:
//   node --import tsx scripts/bench/decide-ab.ts [--rounds 3] [--duration 8] [--pending] as-is log-off
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { runVariant } from "@/scripts/bench/decide-variants";
import { machineInfo, runLine } from "@/scripts/bench/machine";
import { runBenchMain } from "@/scripts/bench/processes";
import { fmt } from "@/scripts/bench/stats";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: "string", default: "3" }, duration: { type: "string", default: "8" }, pending: { type: "boolean", default: false } },
});

async function main(): Promise<void> {
  const variants = positionals.length ? positionals : ["as-is", "log-off"];
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-decide-ab-"));
  const machine = machineInfo();
  const rows: string[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const variant of variants) {
      const { load: r, logRows, failsafe } = await runVariant({ variant, target: variant, workDir: work, durationS: Number(values.duration), pending: values.pending });
      rows.push(`| ${round} | ${variant} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 2)} ms | ${fmt(r.p99Ms, 1)} ms | ${fmt(r.p999Ms, 1)} ms | ${fmt(r.non2xx)} / ${fmt(r.errors)} | ${fmt(logRows)} | ${fmt(failsafe)} |`);
      console.log(rows.at(-1));
    }
  }
  rmSync(work, { recursive: true, force: true });
  console.log(
    [
      "",
      `${runLine(machine)}; ${values.pending ? "full mix" : "mix without the approval call"}, ${values.duration} s after warm-up, 50 connections`,
      "",
      "| round | variant | requests/s | p50 | p99 | p99.9 | non-2xx / errors | log rows | failsafe |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n"),
  );
}

runBenchMain(main);
