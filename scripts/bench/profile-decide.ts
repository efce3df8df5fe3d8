// Where does the server spend its time? Starts server.ts under `node --cpu-prof` on a fresh
// PGlite dir, drives the decide benchmark's load (or, with `stream`, the control-flip benchmark;
// with `changesets`, the change-set benchmark on a data-plane-only instance) at it, stops it, and
// prints the functions and files with the most self time, and the project functions with the
// most time on the stack. Not part of `npm run bench`; run it when a target is missed:
//   node --import tsx scripts/bench/profile-decide.ts [seconds | stream | changesets] [--no-pending]
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CONNECTIONS, decideMix, load } from "@/scripts/bench/decide-bench";
import { AGENT_TOKEN, adminToken } from "@/scripts/bench/governor-server";
import { closeClient } from "@/scripts/bench/http-client";
import { runStreamBench } from "@/scripts/bench/stream-bench";
import { killAll, startChild, waitForHttp, type Child } from "@/scripts/bench/processes";
import { runChangeSetBench } from "@/scripts/bench/changeset-bench";
import { startPgliteDataPlane, waitUntilSettled } from "@/scripts/bench/data-plane-servers";
import { SEEDED_DECISIONS } from "@/scripts/bench/decision-seed";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PORT = 3022;

function summarise(file: string, top = 25): void {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfByFn = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const onStack = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (f: ProfileNode["callFrame"]) => {
    const where = f.url ? f.url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "") : "(native)";
    return { where, fn: `${f.functionName || "(anonymous)"}  ${where}:${f.lineNumber + 1}` };
  };
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const { where, fn } = label(byId.get(id)!.callFrame);
    selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + dt);
    // Project code (lib/, scripts/) anywhere on this sample's synchronous stack. Work resumed
    // after an await (a PGlite query's result, say) has lost its caller, so this undercounts
    // what an async function waits on and counts only what it computes.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!.callFrame);
      if (/^(lib|scripts|server)/.test(l.where) && !seen.has(l.fn)) {
        seen.add(l.fn);
        onStack.set(l.fn, (onStack.get(l.fn) ?? 0) + dt);
      }
    }
    const fileKey = where.includes("node_modules/") ? where.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "node_modules/$1") : where;
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + dt);
    total += dt;
  });
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  };
  print("Self time by function", selfByFn);
  print("Self time by file / package", selfByFile);
  print("Project functions by time on the stack (synchronous part only)", onStack);
}

/** Runs the change-set benchmark against a profiled data-plane-only instance; returns its child. */
async function profileChangeSets(work: string, profDir: string): Promise<Child> {
  const { server, token, seedMs } = await startPgliteDataPlane({
    name: "changesets-profiled",
    port: PORT,
    logDir: work,
    dataDir: path.join(work, "data"),
    decisions: SEEDED_DECISIONS,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
  });
  const settled = await waitUntilSettled(server.base);
  console.log(`settled after ${(settled.waitedMs / 1000).toFixed(1)} s of background work on the seeded decisions (in the profile too)`);
  const r = await runChangeSetBench({ store: "PGlite (profiled)", base: server.base, adminToken: token, seededDecisions: SEEDED_DECISIONS, seedMs, log: console.log });
  console.log(`apply p50 ${r.apply.p50Ms.toFixed(1)} ms, p95 ${r.apply.p95Ms.toFixed(1)} ms; create p50 ${r.create.p50Ms.toFixed(1)} ms (profiling slows it down)`);
  return server.child;
}

async function main(): Promise<void> {
  const mode = process.argv[2] === "stream" || process.argv[2] === "changesets" ? process.argv[2] : "decide";
  const seconds = mode === "decide" ? Number(process.argv[2] ?? 10) : 0;
  const pending = !process.argv.includes("--no-pending");
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-profile-"));
  const profDir = path.join(work, "prof");
  if (mode === "changesets") {
    const child = await profileChangeSets(work, profDir).catch((err) => {
      killAll();
      throw err;
    });
    closeClient();
    await child.stop();
    return report(profDir);
  }
  const child = startChild("governor-profiled", process.execPath, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, "--import", "tsx", "server.ts"], {
    logDir: work,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: "",
      GOVERNOR_DATA_DIR: path.join(work, "data"),
      GOVERNOR_PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      GOVERNOR_DEMO_PASSWORD: "demo-password-1",
      GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
      // The data plane alone: no build needed, and Next's own threads stay out of the profile.
      GOVERNOR_CONSOLE: "off",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${PORT}/api/health`, child, 90_000);
    if (mode === "stream") {
      const base = `http://127.0.0.1:${PORT}`;
      const s = await runStreamBench({ base, agentToken: AGENT_TOKEN, adminToken: await adminToken(base), log: console.log });
      console.log(`stream: p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms; POST p50 ${s.postP50Ms.toFixed(1)} ms; fan-out p50 ${s.fanoutP50Ms.toFixed(1)} ms (profiling slows it down)`);
      closeClient();
    } else {
      const r = await load({
        target: "decide (profiled)",
        url: `http://127.0.0.1:${PORT}/api/v1/decide`,
        bodies: decideMix({ pending }).map((m) => m.body),
        headers: { authorization: `Bearer ${AGENT_TOKEN}` },
        durationS: seconds,
        warmupS: 0,
      });
      console.log(`${CONNECTIONS} connections, ${seconds} s${pending ? "" : ", mix without the approval call"}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(1)} ms (profiling slows it down)`);
    }
  } finally {
    await child.stop();
  }
  report(profDir);
}

// One profile per thread: the main thread's first, then tsx's loader and the PGlite worker.
function report(profDir: string): void {
  const files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")).sort();
  if (files.length === 0) throw new Error(`No CPU profile was written to ${profDir}`);
  for (const [i, file] of files.entries()) {
    console.log(`\n${i === 0 ? "Main thread" : `Thread ${i}`}: ${path.join(profDir, file)} (open in Chrome DevTools → Performance)`);
    summarise(path.join(profDir, file), i === 0 ? 25 : 12);
  }
}

main().catch((err) => {
  console.error(err);
  killAll();
  process.exitCode = 1;
});
