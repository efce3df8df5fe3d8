// npm run bench – runs the benchmarks in one go and rewrites docs/BENCHMARKS.md:
//   1. evaluate() in process on a 1,000-rule policy, beside Cedar (cedar-wasm);
//   2. POST /api/v1/decide over loopback, beside bare node:http and a trivial Next.js route;
//   3. runtime control change → SSE clients hearing the new generation;
//   4. kill switch → first deny seen by an SDK client deciding in a loop (one instance, two
//      instances on PostgreSQL, stream blocked);
//   5. change sets: apply on a ~1,000-key policy, impact preview over 100,000 decisions.
// Everything runs on 127.0.0.1 (ports 3021, 3024–3031, PostgreSQL on 5432) and stops within about six
// minutes; a benchmark that fails is reported as failed and the others still run.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONNECTIONS, DURATION_S, WARMUP_S, decideMix, load, type LoadResult } from "@/scripts/bench/decide-bench";
import { runEvaluateBench } from "@/scripts/bench/evaluate-bench";
import { AGENT_TOKEN, adminToken, decisionLogCounts, startGovernor, type GovernorServer } from "@/scripts/bench/governor-server";
import { closeClient, request } from "@/scripts/bench/http-client";
import { loadAverage, machineInfo } from "@/scripts/bench/machine";
import { ensureNextTrivialBuilt, startNextTrivial } from "@/scripts/bench/next-trivial";
import { assertPortsFree, killAll, startChild, waitForHttp } from "@/scripts/bench/processes";
import { renderReport, type BenchResults, type DecideBenchResult } from "@/scripts/bench/report";
import { runStreamBench } from "@/scripts/bench/stream-bench";
import { VARIANT_PORT, runVariant } from "@/scripts/bench/decide-variants";
import { CONTROL_PORTS, FLIPS, runControlPlane } from "@/scripts/bench/control-plane-run";
import { runPropagation, type PropagationRun } from "@/scripts/bench/kill-switch-bench";

const PORTS = { governor: 3021, baseline: 3024, next: 3025, variant: VARIANT_PORT, ...CONTROL_PORTS };
const HARD_LIMIT_MS = 10 * 60_000;
/** The diagnostic decide rows run shorter than the measured ones, to keep the whole run bounded. */
const DIAGNOSTIC_S = 6;
const REPORT = path.resolve("docs/BENCHMARKS.md");

const log = (m: string) => console.log(m);
const started = Date.now();

async function step<T>(name: string, failures: string[], fn: () => Promise<T>): Promise<T | null> {
  log(`\n▶ ${name}`);
  const t = Date.now();
  try {
    const out = await fn();
    log(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return out;
  } catch (err) {
    const msg = `${name}: ${(err as Error).message}`;
    console.error(`  FAILED – ${msg}`);
    failures.push(msg);
    return null;
  }
}

/** Sends one of each mix entry and returns the mean answer size in bytes. */
async function probeDecide(base: string): Promise<{ bodyBytes: number; sent: number }> {
  const mix = decideMix();
  let bytes = 0;
  for (const m of mix) {
    const res = await request(base, "POST", "/api/v1/decide", {
      headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(m.body),
    });
    if (res.status !== 200) throw new Error(`decide answered ${res.status} for ${m.label}: ${res.text.slice(0, 200)}`);
    bytes += Buffer.byteLength(res.text);
  }
  return { bodyBytes: Math.round(bytes / mix.length), sent: mix.length };
}

async function generationOf(base: string): Promise<number> {
  const res = await request(base, "GET", "/api/v1/policy/generation", { headers: { authorization: `Bearer ${AGENT_TOKEN}` } });
  return (JSON.parse(res.text) as { generation: number }).generation;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-bench-"));
  const failures: string[] = [];
  const notes: string[] = [];
  log(`Governor benchmarks – logs and data in ${work}`);
  if (machine.loadBefore[0]! > machine.cores) {
    notes.push(`The 1-minute load average was ${machine.loadBefore[0]} on ${machine.cores} cores when the run started: other work shared the CPUs, so expect these figures to be noisier and lower than on an idle machine.`);
  }
  await assertPortsFree(Object.values(PORTS));

  const evaluate = await step("1. evaluate() in process vs Cedar", failures, () => runEvaluateBench(log));

  const nextBuild = await step("build the trivial Next.js app (cached)", failures, async () => {
    const b = ensureNextTrivialBuilt(log);
    return b.built ? `built in this run in ${b.seconds.toFixed(0)} s` : "build reused from an earlier run";
  });

  const startedServer: { governor?: GovernorServer } = {};
  let decide: DecideBenchResult | null = null;
  let stream: BenchResults["stream"] = null;
  const dataDir = path.join(work, "data");
  const gov = await step("start Governor (server.ts, PGlite, decision log on)", failures, async () => {
    const server = (startedServer.governor = await startGovernor({ port: PORTS.governor, dataDir, logDir: work }));
    return { server, token: await adminToken(server.base), probe: await probeDecide(server.base) };
  });

  const propagation: PropagationRun[] = [];
  let noPending: LoadResult | null = null;
  const generations = { before: 0, after: 0 };
  if (gov) {
    stream = await step("3. control change → stream clients", failures, () =>
      runStreamBench({ base: gov.server.base, agentToken: AGENT_TOKEN, adminToken: gov.token, log }),
    );
    for (const mode of ["remote", "local"] as const) {
      const r = await step(`4a. kill switch: one instance (PGlite), ${mode} mode`, failures, () =>
        runPropagation({ label: `one instance (PGlite), ${mode} mode`, mode, flipBase: gov.server.base, adminToken: gov.token, sdkUrl: gov.server.base, agentToken: AGENT_TOKEN, flips: FLIPS, targetP99Ms: 100, expectStream: true, log }),
      );
      if (r) propagation.push(r);
    }
    generations.before = await generationOf(gov.server.base);
    const govLoad = await step("2. POST /api/v1/decide under load", failures, () =>
      load({
        target: "Governor `POST /api/v1/decide` (PGlite, decision log on)",
        url: `${gov.server.base}/api/v1/decide`,
        bodies: decideMix().map((m) => m.body),
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        durationS: DURATION_S,
        warmupS: WARMUP_S,
      }),
    );
    generations.after = await generationOf(gov.server.base);
    noPending = await step("2d. diagnostic: the same mix without the call that needs approval", failures, () =>
      load({
        target: "diagnostic: same server, mix **without** the call that needs approval",
        url: `${gov.server.base}/api/v1/decide`,
        bodies: decideMix({ pending: false }).map((m) => m.body),
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        durationS: DIAGNOSTIC_S,
        warmupS: 2,
      }),
    );
    closeClient();
    const log2 = await step("stop Governor and count the decision log", failures, async () => {
      const code = await gov.server.child.stop();
      if (code !== 0) notes.push(`Governor exited with code ${code} on SIGTERM; see its log.`);
      const counts = await decisionLogCounts(dataDir);
      rmSync(dataDir, { recursive: true, force: true }); // ~100 MB of PGlite files; the logs stay
      return counts;
    });
    if (govLoad) {
      decide = {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmupS: WARMUP_S,
        diagnosticS: DIAGNOSTIC_S,
        bodyBytes: gov.probe.bodyBytes,
        mix: decideMix().map((m) => m.label),
        governor: govLoad,
        noPending,
        baseline: null,
        next: null,
        logOff: null,
        nextBuild: nextBuild ?? "build failed",
        decisionLog: log2
          ? {
              ...log2,
              decideRequestsSent: gov.probe.sent + govLoad.warmupRequests + govLoad.requests + (noPending ? noPending.warmupRequests + noPending.requests : 0) + propagation.reduce((n, r) => n + r.serverDecides, 0),
              killLoopDecides: propagation.reduce((n, r) => n + r.serverDecides, 0),
            }
          : null,
        generationsDuringLoad: generations.after - generations.before,
        pendingDuringLoad: Math.round((govLoad.warmupRequests + govLoad.requests) / decideMix().length),
        targets: { rps: 10_000, p99Ms: 10 },
      };
    }
  }
  const logOff = decide
    ? await step("2a. diagnostic: decide with the decision log off", failures, async () =>
        (await runVariant({ variant: "log-off", target: "diagnostic: API path without Next.js, mix without the approval call, decision log **off**", workDir: work, durationS: DIAGNOSTIC_S, pending: false })).load,
      )
    : null;

  // Started but could not be used (sign-in or probe failed): stop it before the baselines run.
  if (startedServer.governor && !gov) await startedServer.governor.child.stop();

  const bodyBytes = gov?.probe.bodyBytes ?? 170;
  const baselineBody = decideMix()[0]!.body;
  const baseline: LoadResult | null = await step("2b. bare node:http baseline", failures, async () => {
    const child = startChild("baseline", process.execPath, ["--import", "tsx", "scripts/bench/baseline-server.ts", String(PORTS.baseline), String(bodyBytes)], { logDir: work });
    try {
      await waitForHttp(`http://127.0.0.1:${PORTS.baseline}/`, child, 30_000);
      return await load({ target: "bare `node:http`, same-size JSON", url: `http://127.0.0.1:${PORTS.baseline}/`, bodies: [baselineBody], durationS: DURATION_S, warmupS: WARMUP_S });
    } finally {
      await child.stop();
    }
  });

  const next: LoadResult | null = nextBuild
    ? await step("2c. trivial Next.js route handler baseline", failures, async () => {
        const child = await startNextTrivial({ port: PORTS.next, bodyBytes, logDir: work });
        try {
          return await load({ target: "Next.js App Router route handler (`next start`), same-size JSON", url: `http://127.0.0.1:${PORTS.next}/api/ping`, bodies: [baselineBody], durationS: DURATION_S, warmupS: WARMUP_S });
        } finally {
          await child.stop();
        }
      })
    : null;
  if (decide) Object.assign(decide, { baseline, next, logOff });

  const control = await runControlPlane({ work, log, step: (name, fn) => step(name, failures, fn) });
  propagation.push(...control.propagation);
  notes.push(...control.notes);

  const results: BenchResults = {
    machine: { ...machine, loadAfter: loadAverage() },
    seconds: (Date.now() - started) / 1000,
    evaluate,
    decide,
    stream,
    propagation,
    changeSets: control.changeSets,
    postgres: control.postgres,
    // Written by `npm run bench:audit` (scripts/bench/audit-bench.ts), which links back here.
    related: [
      ...(existsSync(path.resolve("docs/BENCHMARKS-AUDIT.md")) ? [{ file: "BENCHMARKS-AUDIT.md", what: "the audit log's benchmarks (`npm run bench:audit`)" }] : []),
      // Written by hand from `npm run soak` (scripts/soak.ts): a ten-minute run does not fit here.
      ...(existsSync(path.resolve("docs/BENCHMARKS-SOAK.md")) ? [{ file: "BENCHMARKS-SOAK.md", what: "the soak test: ten minutes of mixed load, throughput, latency, errors and memory (`npm run soak`)" }] : []),
    ],
    failures,
    notes,
  };
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, renderReport(results));
  writeFileSync(path.join(work, "results.json"), JSON.stringify(results, null, 2));
  log(`\nWrote ${path.relative(process.cwd(), REPORT)} (raw results: ${path.join(work, "results.json")}) in ${results.seconds.toFixed(0)} s.`);
  if (failures.length) process.exitCode = 1;
}

const guard = setTimeout(() => {
  console.error(`Benchmark still running after ${HARD_LIMIT_MS / 60_000} min; stopping its servers and giving up.`);
  killAll();
  process.exit(2);
}, HARD_LIMIT_MS);
guard.unref();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => killAll());
