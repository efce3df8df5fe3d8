// Benchmark 5: change sets through the HTTP API, as an editor's automation would drive them.
// (a) Publish the ~1,000-key policy, then create and apply 30 change sets of 2–3 keys one after
// another, each on the head the previous one produced; the apply POST's round trip is timed
// (lock the head, rebuild and validate the whole document, write the version, audit event and
// generation bump in one transaction). (b) Preview one more change set over the decisions
// recorded in the last 24 h (100,000 seeded rows): the endpoint's round trip and the server's
// own impact.elapsedMs (read the rows, replay each through both policies).
import { performance } from "node:perf_hooks";
import { requestJson } from "@/scripts/bench/http-client";
import { summarise, type LatencySummary } from "@/scripts/bench/kill-switch-bench";
import { keyedPolicy, previewOps, seriesOps } from "@/scripts/bench/policy-1000-keys";
import type { ChangeOp } from "@/lib/changesets/ops";

export const APPLIES = 30;
const PREVIEWS = 3;

export interface PreviewRun {
  roundTripMs: number;
  elapsedMs: number;
  replayed: number;
  flipped: number;
}

export interface ChangeSetRun {
  store: string;
  leafKeys: number;
  publishMs: number;
  applies: number;
  opsPerChangeSet: string;
  create: LatencySummary;
  apply: LatencySummary;
  previews: PreviewRun[];
  seededDecisions: number;
  seedMs: number;
  targets: { applyP95Ms: number; previewMs: number };
}

export async function runChangeSetBench(opts: { store: string; base: string; adminToken: string; seededDecisions: number; seedMs: number; log: (m: string) => void }): Promise<ChangeSetRun> {
  const call = <T>(method: string, path: string, body: unknown) => requestJson<T>(opts.base, method, path, { headers: { authorization: `Bearer ${opts.adminToken}` }, body });
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const out = await fn();
    return [out, performance.now() - t0];
  };
  const create = async (baseVersion: number, ops: ChangeOp[], reason: string) => {
    const cs = await call<{ id: string; status: string }>("POST", "/api/v1/admin/changesets", { baseVersion, reason, ops });
    if (cs.status !== "draft") throw new Error(`change set ${cs.id} is ${cs.status}, not draft: it would need a reviewer`);
    return cs.id;
  };

  const { document, leafKeys } = keyedPolicy();
  const [published, publishMs] = await timed(() => call<{ number: number }>("POST", "/api/v1/admin/policy/versions", { document, reason: "benchmark: the ~1,000-key policy for change sets" }));
  let head = published.number;
  const creates: number[] = [];
  const applies: number[] = [];
  const opsCount = new Set<number>();
  for (let k = 0; k < APPLIES; k++) {
    const ops = seriesOps(k);
    opsCount.add(ops.length);
    const [id, createMs] = await timed(() => create(head, ops, `benchmark: change set ${k + 1} of ${APPLIES}`));
    const [applied, applyMs] = await timed(() => call<{ version?: number; kind?: string }>("POST", `/api/v1/admin/changesets/${id}/apply`, {}));
    if (typeof applied.version !== "number") throw new Error(`applying change set ${id} did not produce a version: ${JSON.stringify(applied).slice(0, 200)}`);
    head = applied.version;
    creates.push(createMs);
    applies.push(applyMs);
  }
  opts.log(`  ${opts.store}: ${APPLIES} change sets applied, apply p50 ${summarise(applies).p50Ms.toFixed(1)} ms, p95 ${summarise(applies).p95Ms.toFixed(1)} ms`);

  const previewId = await create(head, previewOps(), "benchmark: impact preview over 100,000 decisions");
  const previews: PreviewRun[] = [];
  for (let i = 0; i < PREVIEWS; i++) {
    const [p, ms] = await timed(() => call<{ impact: { replayed: number; flipped: number; elapsedMs: number } | null; errors: unknown[] }>("POST", `/api/v1/admin/changesets/${previewId}/preview`, { windowHours: 24, limit: 100_000 }));
    if (!p.impact) throw new Error(`the preview has no impact (errors: ${JSON.stringify(p.errors).slice(0, 200)})`);
    previews.push({ roundTripMs: ms, elapsedMs: p.impact.elapsedMs, replayed: p.impact.replayed, flipped: p.impact.flipped });
    opts.log(`  ${opts.store}: preview ${i + 1}: ${ms.toFixed(0)} ms round trip, impact.elapsedMs ${p.impact.elapsedMs}, ${p.impact.replayed} replayed, ${p.impact.flipped} flipped`);
  }
  return {
    store: opts.store,
    leafKeys,
    publishMs,
    applies: APPLIES,
    opsPerChangeSet: [...opsCount].sort().join("–"),
    create: summarise(creates),
    apply: summarise(applies),
    previews,
    seededDecisions: opts.seededDecisions,
    seedMs: opts.seedMs,
    targets: { applyP95Ms: 100, previewMs: 3000 },
  };
}
