// Benchmark 3: how long after an operator flips a runtime control do subscribed agents hear of
// it? N SSE clients hold GET /api/v1/policy/stream open; the benchmark flips tool_kill on a
// throwaway tool name (no decision depends on it) and measures, per client, from just before
// the admin POST is written to the arrival of the `generation` event carrying the generation
// that POST produced. Flips are sequential: the next one starts after every client heard the
// last, so no two changes are coalesced into one event.
import { performance } from "node:perf_hooks";
import { requestJson } from "@/scripts/bench/http-client";
import { SseClient } from "@/scripts/bench/sse-client";
import { percentiles, sleep } from "@/scripts/bench/stats";

export interface StreamBenchResult {
  clients: number;
  flips: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The admin POST's own round trip, for context: the change is committed when it returns. */
  postP50Ms: number;
  postP99Ms: number;
  /** From the POST's response to the event at the client: reload, compile and fan-out. */
  fanoutP50Ms: number;
  fanoutP99Ms: number;
  /** Events that arrived before the POST's response did. */
  eventBeforeResponse: number;
  missed: number;
  targetP99Ms: number;
}

const CLIENTS = 5;
const FLIPS = 150;
const WARMUP_FLIPS = 5;
const TARGET = "bench-throwaway-tool";

function arrival(client: SseClient, generation: number, timeoutMs: number): Promise<number | null> {
  const seen = () => {
    let best: number | null = null;
    for (const [g, at] of client.generations) if (g >= generation && (best === null || at < best)) best = at;
    return best;
  };
  const now = seen();
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(seen());
    }, timeoutMs);
    const off = client.onEvent(() => {
      const at = seen();
      if (at === null) return;
      clearTimeout(timer);
      off();
      resolve(at);
    });
  });
}

export async function runStreamBench(opts: { base: string; agentToken: string; adminToken: string; log: (m: string) => void }): Promise<StreamBenchResult> {
  const clients = Array.from({ length: CLIENTS }, () => new SseClient(`${opts.base}/api/v1/policy/stream`, opts.agentToken));
  await Promise.all(clients.map((c) => c.connect()));
  await sleep(200); // let each client read the initial generation event
  const latencies: number[] = [];
  const posts: number[] = [];
  const fanout: number[] = [];
  let missed = 0;
  let early = 0;
  try {
    for (let i = 0; i < WARMUP_FLIPS + FLIPS; i++) {
      const t0 = performance.now();
      const res = await requestJson<{ generation: number }>(opts.base, "POST", "/api/v1/admin/controls", {
        headers: { authorization: `Bearer ${opts.adminToken}` },
        body: { control: "tool_kill", target: TARGET, active: i % 2 === 0, reason: "benchmark: generation fan-out latency", force: true },
      });
      const tPost = performance.now();
      const arrivals = await Promise.all(clients.map((c) => arrival(c, res.generation, 5_000)));
      if (i < WARMUP_FLIPS) continue;
      posts.push(tPost - t0);
      for (const at of arrivals) {
        if (at === null) missed++;
        else {
          latencies.push(at - t0);
          fanout.push(at - tPost);
          if (at < tPost) early++;
        }
      }
      await sleep(10 + (i % 5) * 5);
    }
  } finally {
    for (const c of clients) c.close();
  }
  opts.log(`  ${latencies.length} arrivals over ${FLIPS} flips × ${CLIENTS} clients, ${missed} missed`);
  const [p50Ms, p99Ms, maxMs] = percentiles(latencies, [50, 99, 100]) as [number, number, number];
  const [postP50Ms, postP99Ms] = percentiles(posts, [50, 99]) as [number, number];
  const [fanoutP50Ms, fanoutP99Ms] = percentiles(fanout, [50, 99]) as [number, number];
  return { clients: CLIENTS, flips: FLIPS, samples: latencies.length, p50Ms, p99Ms, maxMs, postP50Ms, postP99Ms, fanoutP50Ms, fanoutP99Ms, eventBeforeResponse: early, missed, targetP99Ms: 50 };
}
