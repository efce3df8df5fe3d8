// Where the CPU goes per decision: the API path (decide-variant-server.ts) under the decide mix
// without the approval call, at a fixed request rate, with each server thread's CPU time read
// from /proc and the load generator's (autocannon, in this process) from process.cpuUsage().
// At a fixed rate the variants do the same work, so the difference is what the variant costs;
// at `--rate 0` autocannon runs flat out. Linux only. Not part of `npm run bench`:
//   node --import tsx scripts/bench/decide-cpu.ts [--rate 5000] [--duration 8] [--rounds 2] as-is log-off
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { CONNECTIONS, decideMix } from "@/scripts/bench/decide-bench";
import { startVariantServer } from "@/scripts/bench/decide-variants";
import { AGENT_TOKEN } from "@/scripts/bench/governor-server";
import { machineInfo, runLine } from "@/scripts/bench/machine";
import { runBenchMain } from "@/scripts/bench/processes";
import { fmt } from "@/scripts/bench/stats";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rate: { type: "string", default: "5000" }, duration: { type: "string", default: "8" }, rounds: { type: "string", default: "2" }, port: { type: "string", default: "3193" } },
});
const TICK_S = 1 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** CPU seconds (user + system) of each thread of a process, by thread id. */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const rest = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(Number(tid), (Number(rest[11]) + Number(rest[12])) * TICK_S);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

async function drive(port: number, durationS: number, rate: number) {
  const requests = decideMix({ pending: false }).map((m) => ({ method: "POST" as const, headers: { "content-type": "application/json", authorization: `Bearer ${AGENT_TOKEN}` }, body: JSON.stringify(m.body) }));
  return autocannon({ url: `http://127.0.0.1:${port}/api/v1/decide`, connections: CONNECTIONS, duration: durationS, requests, ...(rate > 0 ? { overallRate: rate } : {}) });
}

async function main(): Promise<void> {
  const variants = positionals.length ? positionals : ["as-is", "log-off"];
  const rate = Number(values.rate);
  const durationS = Number(values.duration);
  const port = Number(values.port);
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-decide-cpu-"));
  const machine = machineInfo();
  const rows: string[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const variant of variants) {
      const { child } = await startVariantServer({ variant, workDir: work, pending: false, port });
      try {
        const pid = child.proc.pid!;
        await drive(port, 3, rate); // warm-up
        const before = threadCpu(pid);
        const ownBefore = process.cpuUsage();
        const r = await drive(port, durationS, rate);
        const own = process.cpuUsage(ownBefore);
        const after = threadCpu(pid);
        const decisions = r.requests.total;
        const used = [...after].map(([tid, s]) => ({ tid, s: s - (before.get(tid) ?? 0) }));
        const main = used.find((t) => t.tid === pid)?.s ?? 0;
        const others = used.filter((t) => t.tid !== pid).sort((a, b) => b.s - a.s);
        const busiest = others[0]?.s ?? 0;
        const rest = others.slice(1).reduce((n, t) => n + t.s, 0);
        const us = (s: number) => fmt((s * 1e6) / decisions);
        const load = (own.user + own.system) / 1e6;
        rows.push(
          `| ${round} | ${variant} | ${fmt(r.requests.average)} | ${fmt(r.latency.p99)} ms | ${us(main)} | ${us(busiest)} | ${us(rest)} | **${us(main + busiest + rest)}** | ${us(load)} | ${((main + busiest + rest + load) / durationS).toFixed(2)} |`,
        );
        console.log(rows.at(-1));
      } finally {
        await child.stop();
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
  console.log(
    [
      "",
      `${runLine(machine)}; mix without the approval call, ${rate > 0 ? `${fmt(rate)} requests/s offered` : "flat out"}, ${durationS} s after a 3 s warm-up, ${CONNECTIONS} connections`,
      "",
      "| round | variant | requests/s | p99 (autocannon, whole ms) | main thread µs/decision | busiest other thread | all other threads | server µs/decision | load generator µs/decision | cores busy (server + load) |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...rows,
    ].join("\n"),
  );
}

runBenchMain(main);
