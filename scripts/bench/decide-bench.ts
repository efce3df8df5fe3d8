// Benchmark 2: POST /api/v1/decide over loopback with autocannon, beside the same load on a bare
// node:http server and on a trivial Next.js route handler answering the same-size JSON.
import autocannon from "autocannon";
import { percentiles, sleep } from "@/scripts/bench/stats";

export const CONNECTIONS = 50;
export const DURATION_S = 10;
export const WARMUP_S = 3;

export interface LoadResult {
  target: string;
  requests: number;
  durationS: number;
  /** Completed requests / duration. */
  rps: number;
  /** Median of autocannon's one-per-second request counts. */
  rpsPerSecondMedian: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Requests completed during the warm-up run, which is not measured. */
  warmupRequests: number;
}

/**
 * The decide request mix, one entry per request in the order each connection cycles through.
 * `pending: false` leaves out the call that needs approval, for the diagnostic row that shows
 * what the rest of the path does without it.
 */
export function decideMix(opts: { pending?: boolean } = {}): { label: string; body: object }[] {
  const req = (tool: string, tenant: string, session: string) => ({ agent: "support-bot", tenant, session, tool });
  const mix = [
    { label: "search_kb on acme (allow)", body: req("search_kb", "acme", "s1") },
    { label: "search_kb on globex (allow)", body: req("search_kb", "globex", "s2") },
    { label: "send_email on acme (allow until the pro tier's 1,000/h, then rate_limit)", body: req("send_email", "acme", "s3") },
    { label: "search_kb on acme (allow)", body: req("search_kb", "acme", "s4") },
    { label: "refund_payment on acme (pending: needs 2 approvals)", body: req("refund_payment", "acme", "s5") },
    { label: "search_kb on globex (allow)", body: req("search_kb", "globex", "s6") },
    { label: "send_email on globex (allow until the free tier's 100/h, then rate_limit)", body: req("send_email", "globex", "s7") },
    { label: "restart_service on acme (deny: not on support-bot's list)", body: req("restart_service", "acme", "s8") },
    { label: "search_kb on acme (allow)", body: req("search_kb", "acme", "s9") },
    { label: "refund_payment on globex (deny: not in the free tier)", body: req("refund_payment", "globex", "s10") },
  ];
  return opts.pending === false ? mix.filter((m) => !m.label.includes("(pending")) : mix;
}

/**
 * One autocannon run. Latency percentiles come from the per-response times autocannon reports
 * (float ms from process.hrtime), because its own histogram rounds to whole milliseconds.
 */
export async function load(opts: { target: string; url: string; bodies: object[]; headers?: Record<string, string>; durationS: number; warmupS: number }): Promise<LoadResult> {
  const requests = opts.bodies.map((b) => ({
    method: "POST",
    headers: { "content-type": "application/json", ...opts.headers },
    body: JSON.stringify(b),
  }));
  let warmupRequests = 0;
  if (opts.warmupS > 0) {
    const w = await autocannon({ url: opts.url, connections: CONNECTIONS, duration: opts.warmupS, requests });
    warmupRequests = w["2xx"] + w.non2xx;
    await sleep(500);
  }
  const times: number[] = [];
  const instance = autocannon({ url: opts.url, connections: CONNECTIONS, duration: opts.durationS, requests, timeout: 10 });
  instance.on("response", (_client, _status, _bytes, responseTimeMs) => void times.push(responseTimeMs));
  const r = await instance;
  const [p50Ms, p99Ms, p999Ms] = percentiles(times, [50, 99, 99.9]) as [number, number, number];
  const completed = r["2xx"] + r.non2xx;
  return {
    target: opts.target,
    requests: completed,
    durationS: r.duration,
    rps: completed / r.duration,
    rpsPerSecondMedian: r.requests.p50,
    p50Ms,
    p99Ms,
    p999Ms,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    warmupRequests,
  };
}
