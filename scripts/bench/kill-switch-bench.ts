// Benchmark 4: kill switch propagation, as the issue puts it: "time from the request that flips
// the control to the first deny seen by an SDK client that is deciding in a loop". One run is one
// setup × one SDK mode: an SDK client (lib/sdk, createGovernor) decides search_kb for acme in a
// loop against `sdkUrl`, while the benchmark flips global_kill through POST
// /api/v1/admin/controls on `flipBase` (kill, then recover, alternating) and times from just
// before each POST is written to the first answer of the new kind: a deny after a kill, an allow
// after a recovery. search_kb for acme has no rate limit, so in local mode both answers are made
// in process from the SDK's snapshot and only a new snapshot changes them. The tool is
// "operational", so a failsafe answer (Governor too slow for the SDK's deadline) is an allow
// unless the SDK's snapshot already holds the kill: it too follows the change, and counts.
import { performance } from "node:perf_hooks";
import { createGovernor } from "@/lib/sdk";
import type { Decision } from "@/lib/sdk/types";
import { DecideLoop } from "@/scripts/bench/decide-loop";
import { requestJson } from "@/scripts/bench/http-client";
import { percentiles, sleep } from "@/scripts/bench/stats";

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface PropagationRun {
  label: string;
  mode: "remote" | "local";
  flips: number;
  kill: LatencySummary;
  recover: LatencySummary;
  all: LatencySummary;
  /** The admin POST's own round trip. */
  post: LatencySummary;
  missed: number;
  failsafe: number;
  /** Decides the server answered (remote mode), for checking the decision log's row count. */
  serverDecides: number;
  /** Flips whose first answer of the new kind was a failsafe one. */
  seenViaFailsafe: number;
  loopRate: number;
  streamConnected: boolean;
  pollIntervalMs: number;
  targetP99Ms: number;
  /** Poll fallback only: phase of each flip after the SDK's last poll, and its latency. */
  phases?: { phaseMs: number; latencyMs: number }[];
}

const REQ = { tenant: "acme", session: "kill-bench", tool: "search_kb" };
// Unmeasured flips first, so the first measured one does not pay for cold code paths; none for
// the poll fallback, where a flip costs a whole poll cycle and the timer dominates anyway.
const WARMUP_FLIPS = 2;
const isKillDeny = (d: Decision) => d.decision === "deny" && (d.primitive === "kill_switch" || d.failsafe === true);
const isAllow = (d: Decision) => d.decision === "allow";

export function summarise(values: number[]): LatencySummary {
  const [p50Ms, p95Ms, p99Ms, maxMs] = percentiles(values, [50, 95, 99, 100]) as [number, number, number, number];
  return { samples: values.length, p50Ms, p95Ms, p99Ms, maxMs };
}

/** Shuffled stratified phases in [0, period): an even spread of flip times over a poll cycle. */
function stratifiedPhases(n: number, period: number): number[] {
  const phases = Array.from({ length: n }, (_, i) => ((i + Math.random()) / n) * period);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [phases[i], phases[j]] = [phases[j]!, phases[i]!];
  }
  return phases;
}

export async function runPropagation(opts: {
  label: string;
  mode: "remote" | "local";
  /** Where the admin flips the control. */
  flipBase: string;
  adminToken: string;
  /** Where the SDK client talks to (another instance, or a proxy that blocks the stream). */
  sdkUrl: string;
  agentToken: string;
  flips: number;
  targetP99Ms: number;
  /** Set for the poll fallback: flips are spread over the SDK's poll cycle. */
  pollIntervalMs?: number;
  expectStream: boolean;
  log: (m: string) => void;
}): Promise<PropagationRun> {
  const pollIntervalMs = opts.pollIntervalMs ?? 5000;
  let lastPollAt = performance.now();
  // The SDK's fetch, wrapped only to note when it polls the generation (the poll cycle's phase).
  const fetchSpy: typeof fetch = (input, init) => {
    if (String(input).endsWith("/api/v1/policy/generation")) lastPollAt = performance.now();
    return globalThis.fetch(input, init);
  };
  const gov = createGovernor({ url: opts.sdkUrl, token: opts.agentToken, agent: "support-bot", mode: opts.mode, pollIntervalMs, fetch: fetchSpy });
  const loop = new DecideLoop(gov, REQ, opts.mode === "local" ? 1 : 0);
  const flip = (active: boolean) =>
    requestJson<{ status: string }>(opts.flipBase, "POST", "/api/v1/admin/controls", {
      headers: { authorization: `Bearer ${opts.adminToken}` },
      body: { control: "global_kill", active, reason: active ? "benchmark: kill switch propagation" : "benchmark: recovery after a measured kill" },
    });
  const kill: number[] = [];
  const recover: number[] = [];
  const posts: number[] = [];
  const phases: { phaseMs: number; latencyMs: number }[] = [];
  let missed = 0;
  let seenViaFailsafe = 0;
  try {
    await gov.ready(10_000);
    const deadline = performance.now() + 5_000;
    while (opts.expectStream && !gov.streamConnected && performance.now() < deadline) await sleep(20);
    if (gov.streamConnected !== opts.expectStream) throw new Error(`the SDK's stream is ${gov.streamConnected ? "up" : "down"}; this setup needs it ${opts.expectStream ? "up" : "down"}`);
    const first = await gov.decide(REQ);
    if (isKillDeny(first)) await flip(false); // left over from an earlier failed run
    else if (!isAllow(first)) throw new Error(`search_kb for acme answered ${first.decision} (${first.primitive}) before any flip; expected allow`);
    loop.start();
    const spread = opts.pollIntervalMs ? stratifiedPhases(opts.flips, pollIntervalMs) : [];
    const warmups = opts.pollIntervalMs ? 0 : WARMUP_FLIPS;
    for (let i = 0; i < warmups + opts.flips; i++) {
      const active = i % 2 === 0;
      const measured = i >= warmups;
      const phase = measured ? spread[i - warmups] : undefined;
      if (phase !== undefined) await sleep(Math.max(0, lastPollAt + phase - performance.now()));
      else await sleep(20 + Math.random() * 40);
      const t0 = performance.now();
      const phaseMs = t0 - lastPollAt;
      await flip(active);
      const tPost = performance.now();
      const seen = await loop.waitFor(active ? isKillDeny : isAllow, t0, opts.pollIntervalMs ? pollIntervalMs * 3 : 10_000);
      if (!measured) continue;
      posts.push(tPost - t0);
      if (seen === null) {
        missed++;
        continue;
      }
      if (seen.failsafe) seenViaFailsafe++;
      (active ? kill : recover).push(seen.at - t0);
      if (phase !== undefined) phases.push({ phaseMs, latencyMs: seen.at - t0 });
    }
  } finally {
    await loop.stop();
    await gov.close();
  }
  const all = [...kill, ...recover];
  opts.log(`  ${opts.label}: p50 ${summarise(all).p50Ms.toFixed(1)} ms, p99 ${summarise(all).p99Ms.toFixed(1)} ms over ${all.length} flips (${missed} missed, ${loop.failsafe} failsafe answers, ${seenViaFailsafe} flips first seen through one, loop ${loop.rate.toFixed(0)} decides/s)`);
  return {
    label: opts.label,
    mode: opts.mode,
    flips: opts.flips,
    kill: summarise(kill),
    recover: summarise(recover),
    all: summarise(all),
    post: summarise(posts),
    missed,
    failsafe: loop.failsafe,
    serverDecides: opts.mode === "remote" ? loop.decides - loop.failsafe + 1 : 0,
    seenViaFailsafe,
    loopRate: loop.rate,
    streamConnected: opts.expectStream,
    pollIntervalMs,
    targetP99Ms: opts.targetP99Ms,
    ...(opts.pollIntervalMs ? { phases } : {}),
  };
}
