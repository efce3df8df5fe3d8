// The decide part of `npm run bench` alone, for measuring a change to the decide path on a shared
// machine: a bare node:http baseline and the API path (decide-variant-server.ts "as-is": the real
// data plane, decision log, seal and checkpoints, without Next.js) on a fresh PGlite, with the
// full mix and without the call that needs approval, all in one run so the ratios compare.
//   node --import tsx scripts/bench/decide-quick.ts [--duration 10] [--port 3190]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { WARMUP_S, decideMix, load, type LoadResult } from "@/scripts/bench/decide-bench";
import { runVariant } from "@/scripts/bench/decide-variants";
import { machineInfo, runLine } from "@/scripts/bench/machine";
import { runBenchMain, startChild, waitForHttp } from "@/scripts/bench/processes";
import { fmt } from "@/scripts/bench/stats";

const { values } = parseArgs({ options: { duration: { type: "string", default: "10" }, port: { type: "string", default: "3190" } } });
const durationS = Number(values.duration);
const port = Number(values.port);

const row = (name: string, r: LoadResult, extra = "") =>
  `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 2)} ms | ${fmt(r.p99Ms, 1)} ms | ${fmt(r.p999Ms, 1)} ms | ${fmt(r.non2xx)} / ${fmt(r.errors)} |${extra}`;

async function main(): Promise<void> {
  const machine = machineInfo();
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-decide-quick-"));
  const rows: string[] = [];
  const child = startChild("baseline", process.execPath, ["--import", "tsx", "scripts/bench/baseline-server.ts", String(port), "220"], { logDir: work });
  let baseline: LoadResult;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, child, 30_000);
    baseline = await load({ target: "baseline", url: `http://127.0.0.1:${port}/`, bodies: [decideMix()[0]!.body], durationS, warmupS: WARMUP_S });
  } finally {
    await child.stop();
  }
  rows.push(row("bare `node:http`, 220-byte JSON", baseline));
  console.log(rows.at(-1));
  for (const pending of [true, false]) {
    const { load: r, logRows, failsafe } = await runVariant({ variant: "as-is", target: "decide", workDir: work, durationS, pending, port: port + 1 });
    rows.push(row(`decide (PGlite, log on), ${pending ? "full mix" : "mix without the approval call"}`, r, ` ${fmt(logRows)} | ${fmt(failsafe)} | ${(r.rps / baseline.rps).toFixed(3)}× / ${(r.p99Ms / baseline.p99Ms).toFixed(1)}× |`));
    console.log(rows.at(-1));
  }
  rmSync(work, { recursive: true, force: true });
  console.log(
    [
      "",
      `${runLine(machine)}; ${durationS} s measured after ${WARMUP_S} s warm-up, 50 connections`,
      "",
      "| server | requests/s | p50 | p99 | p99.9 | non-2xx / errors | log rows | failsafe answers (breaker open) | vs baseline (throughput / p99) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows.map((r, i) => (i === 0 ? r + " – | – | – |" : r)),
    ].join("\n"),
  );
}

runBenchMain(main);
