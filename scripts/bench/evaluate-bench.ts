// Benchmark 1: evaluate() in process on the 1,000-rule policy, beside Cedar (cedar-wasm) on the
// same allow list and the same request mix. Each round of each engine runs in its own process
// (evaluate-worker.ts says how a call is timed and why); rounds alternate engines so machine
// noise hits all of them, and each figure reported is the median over the rounds.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { compile } from "@/lib/policy/compile";
import { evaluate } from "@/lib/policy/evaluate";
import { benchPolicy, cedarPolicyText, requestMix } from "@/scripts/bench/policy-1000";
import { median } from "@/scripts/bench/stats";
import type { Engine, WorkerResult } from "@/scripts/bench/evaluate-worker";

const run = promisify(execFile);

export interface LatencyRow {
  engine: Engine;
  label: string;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  batchedMeanUs: number | null;
  callsPerRound: number;
  rounds: number;
}

export interface EvaluateBenchResult {
  ruleCounts: Record<string, number>;
  cedarPolicies: number;
  cedarVersion: string;
  requestMix: number;
  decisions: Record<string, number>;
  allowListDisagreements: number;
  timerOverheadNs: number;
  rows: LatencyRow[];
  targets: { p50Us: number; p99Us: number };
}

const ROUNDS = 3;
const ENGINES: { engine: Engine; label: string; calls: number }[] = [
  { engine: "governor", label: "Governor evaluate()", calls: 400_000 },
  { engine: "cedar", label: "Cedar statefulIsAuthorized, 1,000 permits pre-parsed", calls: 20_000 },
  { engine: "cedar-1-policy", label: "Cedar statefulIsAuthorized, 1 permit pre-parsed (control: fixed cost per call)", calls: 20_000 },
  { engine: "cedar-stateless", label: "Cedar isAuthorized (stateless: policy text parsed on every call)", calls: 150 },
];

async function round(engine: Engine, calls: number, check: boolean): Promise<WorkerResult> {
  const args = ["--import", "tsx", "scripts/bench/evaluate-worker.ts", engine, String(calls), ...(check ? ["check"] : [])];
  const { stdout } = await run(process.execPath, args, { cwd: process.cwd(), timeout: 60_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as WorkerResult;
}

export async function runEvaluateBench(log: (m: string) => void): Promise<EvaluateBenchResult> {
  const { document, ruleCounts } = benchPolicy();
  const snapshot = compile(document, { controls: [], grants: [] }, { policyVersion: 1, generation: 1 });
  const mix = requestMix();
  const decisions: Record<string, number> = {};
  for (const req of mix) {
    const ev = evaluate(req, snapshot, { now: Date.now(), cohort: "stable" });
    const key = ev.primitive ? `${ev.decision} (${ev.primitive})` : ev.decision;
    decisions[key] = (decisions[key] ?? 0) + 1;
  }

  const results = new Map<Engine, WorkerResult[]>(ENGINES.map((e) => [e.engine, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const e of ENGINES) {
      const res = await round(e.engine, e.calls, r === 0);
      results.get(e.engine)!.push(res);
      log(`  round ${r + 1}/${ROUNDS} ${e.engine}: p50 ${(res.p50Ns / 1000).toFixed(2)} µs, p99 ${(res.p99Ns / 1000).toFixed(2)} µs (${res.calls} calls)`);
    }
  }
  const disagreements = [...results.values()].flat().reduce((s, r) => s + (r.allowListDisagreements ?? 0), 0);
  if (disagreements) throw new Error(`Cedar and Governor's allow list disagree on ${disagreements} requests; the comparison would not be like for like`);

  const { getCedarVersion } = await import("@cedar-policy/cedar-wasm/nodejs");
  return {
    ruleCounts,
    cedarPolicies: cedarPolicyText(document).split("\n").length,
    cedarVersion: getCedarVersion(),
    requestMix: mix.length,
    decisions,
    allowListDisagreements: disagreements,
    timerOverheadNs: median([...results.values()].flat().map((r) => r.timerOverheadNs)),
    rows: ENGINES.map(({ engine, label }) => {
      const rs = results.get(engine)!;
      const batched = rs.map((r) => r.batchedMeanNs).filter((x): x is number => x !== null);
      return {
        engine,
        label,
        p50Us: median(rs.map((r) => r.p50Ns)) / 1000,
        p99Us: median(rs.map((r) => r.p99Ns)) / 1000,
        p999Us: median(rs.map((r) => r.p999Ns)) / 1000,
        batchedMeanUs: batched.length ? median(batched) / 1000 : null,
        callsPerRound: Math.round(median(rs.map((r) => r.calls))),
        rounds: rs.length,
      };
    }),
    targets: { p50Us: 5, p99Us: 50 },
  };
}
