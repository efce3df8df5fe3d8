// npm run soak -- --minutes 10 [--warmup 2] [--rate 150] [--agents 5] [--port 3158] [--database-url postgresql://…]
// One Governor instance under mixed load for a long time: the simulator's agent traffic through
// the SDK (scripts/simulate.ts, run as is), and beside it a paced loop of change sets, control
// flips and reviewer votes (lib/reliability/crash-workload.ts) and, where the rollouts API exists,
// rollout starts and aborts. Prints throughput, latency, errors and the server's RSS; exits 1
// when RSS at the end is more than 10 % above RSS after warm-up, or the audit chain (and the
// other store invariants) do not hold afterwards.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkInvariants } from "@/lib/reliability/crash-invariants";
import { OPS_TOKEN, SUPPORT_TOKEN, prepareCrashStore } from "@/lib/reliability/crash-store";
import { startWorkload } from "@/lib/reliability/crash-workload";
import { loadAverage, machineInfo } from "@/scripts/bench/machine";
import { assertPortsFree, killAll, startChild, waitForHttp } from "@/scripts/bench/processes";
import { fmt, median, sleep } from "@/scripts/bench/stats";
import { rolloutLoop } from "@/scripts/soak/rollout-loop";
import { rssMiB } from "@/scripts/soak/rss";
import { heapFlags } from "@/scripts/heap-flags";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    warmup: { type: "string" },
    rate: { type: "string", default: "150" },
    agents: { type: "string", default: "5" },
    port: { type: "string", default: "3158" },
    "database-url": { type: "string" },
    // Writes V8 heap snapshots after warm-up and at the end into the log directory, for leak hunting.
    "heap-snapshots": { type: "boolean", default: false },
  },
});
const minutes = Number(args.minutes);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got "${args.minutes}"`);
// Warm-up: JIT, caches, the first snapshot reloads and the simulator's ramp all settle here.
const warmupMin = args.warmup ? Number(args.warmup) : Math.min(2, minutes / 5);
const port = Number(args.port);
const logDir = mkdtempSync(path.join(tmpdir(), "governor-soak-"));
process.on("SIGINT", () => {
  killAll();
  process.exit(130);
});

const machine = machineInfo();
await assertPortsFree([port]);
const kind = args["database-url"] ? "postgres" : "pglite";
const store = await prepareCrashStore(kind, { databaseUrl: args["database-url"] });
const consoleOn = existsSync(".next/BUILD_ID");
const snapshots = args["heap-snapshots"] ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${logDir}`] : [];
// The heap bound `npm start` runs with (GOVERNOR_MAX_HEAP_MB), so the soak measures what ships.
const heap = heapFlags();
const server = startChild("governor", process.execPath, [...snapshots, ...heap, "--import", "tsx", "server.ts"], {
  logDir,
  env: { ...process.env, ...store.serverEnv, PORT: String(port), HOST: "127.0.0.1", GOVERNOR_CONSOLE: consoleOn ? "on" : "off", NEXT_TELEMETRY_DISABLED: "1" },
});
const base = `http://127.0.0.1:${port}`;
await waitForHttp(`${base}/api/health`, server, 120_000);
const pid = server.proc.pid!;
const rss: { t: number; mib: number }[] = [];
const started = Date.now();
const sample = () => rss.push({ t: (Date.now() - started) / 1000, mib: rssMiB(pid) });
sample();
const rssStart = rss[0]!.mib;
const sampler = setInterval(sample, 5000);
console.log(`Soak: ${minutes} min on ${kind}${consoleOn ? " (console on)" : " (no build: console off)"} at ${base}; warm-up ${warmupMin} min; server heap ${heap[0] ?? "V8 default"}; logs in ${logDir}`);
console.log(`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.node}; load ${machine.loadBefore.join(" ")}`);

// The simulator gives up if its first request takes over 3 s; on a busy machine the server's
// first answers can, so wait here until it answers an agent promptly.
for (let tries = 0; ; tries++) {
  const t0 = performance.now();
  const ok = await fetch(`${base}/api/v1/policy/generation`, { headers: { authorization: `Bearer ${SUPPORT_TOKEN}` }, signal: AbortSignal.timeout(10_000) }).then((r) => r.ok, () => false);
  if (ok && performance.now() - t0 < 1000) break;
  if (tries > 60) throw new Error("the server never answered an agent within 1 s; is the machine overloaded?");
  await sleep(1000);
}
const simulator = startChild("simulate", process.execPath, [
  "--import", "tsx", "scripts/simulate.ts", "--url", base, "--agents", args.agents, "--rate", args.rate,
  "--duration", String(Math.round(minutes * 60)), "--token-support", SUPPORT_TOKEN, "--token-ops", OPS_TOKEN, "--timeout", "1000",
], { logDir });
// The control-plane loops start once the simulator is past its preflight, so their first
// burst of change sets cannot starve it.
while (!existsSync(simulator.logFile) || !readFileSync(simulator.logFile, "utf8").includes("Simulating")) {
  if (simulator.proc.exitCode !== null) break; // reported by the exit handler
  await sleep(200);
}
const stop = new AbortController();
const control = startWorkload(base, store, 1, { paceMs: 1000, decisions: false, signal: stop.signal }).done;
const rollouts = rolloutLoop(base, store.tokens.editor, stop.signal);

simulator.proc.once("exit", (code) => {
  if (code === 0 || Date.now() - started >= minutes * 60_000 - 5000) return;
  console.error(`The simulator stopped early (exit ${code}): ${readFileSync(simulator.logFile, "utf8").slice(-1000)}`);
  killAll();
  process.exit(1);
});
let rssWarm = Number.NaN;
const loadSamples: number[][] = [];
for (let m = 1; Date.now() - started < minutes * 60_000; m++) {
  await sleep(Math.min(60_000, minutes * 60_000 - (Date.now() - started)));
  const elapsedMin = (Date.now() - started) / 60_000;
  // GC makes single samples swing by ±100 MiB: compare medians of a minute of samples each.
  if (Number.isNaN(rssWarm) && elapsedMin >= warmupMin + 1) {
    rssWarm = median(rss.slice(-12).map((s) => s.mib));
    if (snapshots.length) server.proc.kill("SIGUSR2");
  }
  loadSamples.push(loadAverage());
  console.log(`[${elapsedMin.toFixed(1)} min] RSS ${fmt(rss.at(-1)!.mib, 1)} MiB, load ${loadAverage().join(" ")}`);
}
const simCode = await new Promise<number | null>((r) => (simulator.proc.exitCode !== null ? r(simulator.proc.exitCode) : simulator.proc.once("exit", r)));
const rssEnd = median(rss.slice(-12).map((s) => s.mib));
clearInterval(sampler);
if (snapshots.length) {
  server.proc.kill("SIGUSR2");
  await sleep(30_000); // writing a heap snapshot of a busy server takes a while
}
stop.abort();
const controlCounts = await control;
const rolloutCounts = await rollouts;
await server.stop();

// The audit chain as `npm run audit:check` walks it, plus the crash-safety invariants.
const reopened = await store.open();
const { violations, facts } = await checkInvariants(reopened);
await reopened.close();
await store.dispose();

const sim = readFileSync(simulator.logFile, "utf8");
const summary = sim.slice(sim.indexOf("Summary:")).trim();
const growth = (rssEnd - rssWarm) / rssWarm;
const flat = growth <= 0.1;
console.log(`\n== Soak results (${minutes} min, ${kind})`);
console.log(summary || `simulator exited with ${simCode} and no summary:\n${sim.slice(-2000)}`);
console.log(`control plane: ${controlCounts.changeSetsApplied} change sets applied, ${controlCounts.flips} control flips, ${controlCounts.votes} votes; unexpected answers ${controlCounts.unexpected.length}${controlCounts.unexpected.length ? ` (first: ${controlCounts.unexpected[0]})` : ""}`);
console.log(`rollouts: ${rolloutCounts.note ?? `${rolloutCounts.started} started, ${rolloutCounts.aborted} aborted, unexpected answers ${rolloutCounts.unexpected.length}${rolloutCounts.unexpected.length ? ` (first: ${rolloutCounts.unexpected[0]})` : ""}`}`);
console.log(`RSS: start ${fmt(rssStart, 1)} MiB, after warm-up ${fmt(rssWarm, 1)} MiB (median of the minute after it), end ${fmt(rssEnd, 1)} MiB (median of the last minute) (${growth >= 0 ? "+" : ""}${fmt(growth * 100, 1)} % since warm-up: ${flat ? "flat" : "GROWING"}); peak ${fmt(Math.max(...rss.map((s) => s.mib)), 1)} MiB`);
console.log(`RSS series (MiB, median of each minute): ${Array.from({ length: Math.ceil(rss.length / 12) }, (_, m) => fmt(median(rss.slice(m * 12, m * 12 + 12).map((s) => s.mib)), 0)).join(" ")}`);
console.log(`store afterwards: generation ${facts.generation}, policy version ${facts.headVersion}, ${facts.auditEvents} audit events, ${facts.sealedDecisions} sealed decisions`);
console.log(`audit chain and invariants: ${violations.length ? `BROKEN: ${violations.join(" | ")}` : "verify"}`);
console.log(`load average during the run (1 min, sampled each minute): ${loadSamples.map((l) => l[0]).join(" ")}`);
process.exit(flat && violations.length === 0 && simCode === 0 ? 0 : 1);
