// One measured round of one engine, in a fresh process: `node --import tsx evaluate-worker.ts
// <engine> <calls> [check]` prints one JSON line of latency percentiles (ns) to stdout; with
// `check`, Cedar's answers are first compared with Governor's allow list on the whole mix.
//
// Why a process per round: each engine gets a clean heap and clean JIT state, so neither one's
// garbage or deoptimisations land in the other's timings. It is also a workaround: on Node
// 20.20.2, timing Cedar's stateless isAuthorized in the same isolate after the Governor and
// stateful-Cedar loops had been optimised crashed V8 ("Fatal error … unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation).
//
// How a call is timed: process.hrtime.bigint() before and after every single call, so p99 shows
// real tail calls (GC pauses, deopts) instead of batch averages. The timer pair costs a fixed
// amount, measured here on an empty loop and reported, and is NOT subtracted: the per-call
// figures are an upper bound. For Governor a batched figure (64 calls per timer pair, divided
// by 64) is measured too, as the timer-free mean cost.
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { compile } from "@/lib/policy/compile";
import { evaluate, type EvalState } from "@/lib/policy/evaluate";
import { benchPolicy, cedarPolicyText, requestMix } from "@/scripts/bench/policy-1000";
import { median, percentiles } from "@/scripts/bench/stats";

export type Engine = "governor" | "cedar" | "cedar-stateless" | "cedar-1-policy";

export interface WorkerResult {
  engine: Engine;
  calls: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  batchedMeanNs: number | null;
  timerOverheadNs: number;
  allowListDisagreements: number | null;
}

const BATCH = 64;
/** A round stops early past this, so a slow machine still finishes in bounded time. */
const ROUND_BUDGET_MS = 4_000;

let sink = 0;

function timeCalls(n: number, call: (i: number) => number, budgetMs = ROUND_BUDGET_MS): Float64Array {
  const out = new Float64Array(n);
  const deadline = Date.now() + budgetMs;
  let i = 0;
  while (i < n) {
    const t0 = process.hrtime.bigint();
    sink += call(i);
    const t1 = process.hrtime.bigint();
    out[i++] = Number(t1 - t0);
    if ((i & 255) === 0 && Date.now() > deadline) break;
  }
  return out.subarray(0, i);
}

function timeBatches(n: number, call: (i: number) => number): number {
  const perCall: number[] = [];
  for (let b = 0; b < n / BATCH; b++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < BATCH; k++) sink += call(b * BATCH + k);
    perCall.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  return median(perCall);
}

function main(): WorkerResult {
  const engine = process.argv[2] as Engine;
  const calls = Number(process.argv[3]);
  const check = process.argv[4] === "check";
  const { document } = benchPolicy();
  const snapshot = compile(document, { controls: [], grants: [] }, { policyVersion: 1, generation: 1 });
  const mix = requestMix();
  const mask = mix.length - 1;
  const state: EvalState = { now: Date.now(), cohort: "stable" };

  let call: (i: number) => number;
  let warmup: number;
  let disagreements: number | null = null;
  if (engine === "governor") {
    call = (i) => evaluate(mix[i & mask]!, snapshot, state).reasons.length;
    warmup = 200_000;
  } else {
    const text = cedarPolicyText(document);
    const base = mix.map((r) => ({ principal: { type: "Agent", id: r.agent }, action: { type: "Action", id: "call" }, resource: { type: "Tool", id: r.tool }, context: {}, entities: [] }));
    if (engine === "cedar" || engine === "cedar-1-policy") {
      // Pre-parsed once: the fair comparison, since Governor compiles its snapshot once too.
      // The 1-policy control keeps only the first permit, to show the fixed cost per call.
      const policies = engine === "cedar" ? text : text.slice(0, text.indexOf("\n"));
      const parsed = cedar.preparsePolicySet("bench", { staticPolicies: policies });
      if (parsed.type !== "success") throw new Error(`Cedar refused the policy set: ${JSON.stringify(parsed.errors[0])}`);
      const req = base.map((c) => ({ ...c, preparsedPolicySetId: "bench" }));
      call = (i) => {
        const a = cedar.statefulIsAuthorized(req[i & mask]!);
        if (a.type !== "success") throw new Error(`Cedar failed: ${JSON.stringify(a.errors[0])}`);
        return a.response.decision === "allow" ? 1 : 0;
      };
      warmup = 1_000;
    } else {
      const req = base.map((c) => ({ ...c, policies: { staticPolicies: text } }));
      call = (i) => {
        const a = cedar.isAuthorized(req[i & mask]!);
        if (a.type !== "success") throw new Error(`Cedar failed: ${JSON.stringify(a.errors[0])}`);
        return a.response.decision === "allow" ? 1 : 0;
      };
      warmup = 20;
    }
    // Both engines must agree on what they share: may this agent call this tool?
    if (check && engine !== "cedar-1-policy") {
      disagreements = 0;
      const checked = engine === "cedar" ? mix.length : 64;
      for (let i = 0; i < checked; i++) {
        const allowListed = snapshot.agentTools.get(mix[i]!.agent)?.has(mix[i]!.tool) ?? false;
        if ((call(i) === 1) !== allowListed) disagreements++;
      }
    }
  }

  timeCalls(warmup, call);
  const batchedMeanNs = engine === "governor" ? timeBatches(100_000, call) : null;
  const samples = timeCalls(calls, call);
  const timerOverheadNs = percentiles(timeCalls(100_000, () => 0), [50])[0]!;
  const [p50Ns, p99Ns, p999Ns] = percentiles(samples, [50, 99, 99.9]) as [number, number, number];
  return { engine, calls: samples.length + (sink === -1 ? 1 : 0), p50Ns, p99Ns, p999Ns, batchedMeanNs, timerOverheadNs, allowListDisagreements: disagreements };
}

process.stdout.write(JSON.stringify(main()) + "\n");
