// Renders one run's results as docs/BENCHMARKS.md: the machine, then one table per benchmark,
// each with its baselines from the same run, its target and a plain verdict.
import type { LoadResult } from "@/scripts/bench/decide-bench";
import type { ChangeSetRun } from "@/scripts/bench/changeset-bench";
import type { EvaluateBenchResult } from "@/scripts/bench/evaluate-bench";
import type { StoreCounts } from "@/scripts/bench/governor-server";
import type { PropagationRun } from "@/scripts/bench/kill-switch-bench";
import type { MachineInfo } from "@/scripts/bench/machine";
import { changeSetSection, propagationSection } from "@/scripts/bench/report-control-plane";
import { fmt, fmtRatio } from "@/scripts/bench/stats";
import type { StreamBenchResult } from "@/scripts/bench/stream-bench";

export interface DecideBenchResult {
  connections: number;
  durationS: number;
  warmupS: number;
  diagnosticS: number;
  bodyBytes: number;
  mix: string[];
  governor: LoadResult;
  /** Diagnostic: the same server and mix without the call that needs approval. */
  noPending: LoadResult | null;
  baseline: LoadResult | null;
  next: LoadResult | null;
  /** Diagnostic: the decide path, API only, mix without the approval call, decision log off. */
  logOff: LoadResult | null;
  nextBuild: string;
  decisionLog: (StoreCounts & { decideRequestsSent: number; killLoopDecides: number }) | null;
  /** How far the generation counter moved during the measured load and its warm-up. */
  generationsDuringLoad: number;
  /** Requests in that load that needed approval (one entry in ten of the mix). */
  pendingDuringLoad: number;
  targets: { rps: number; p99Ms: number };
}

export interface BenchResults {
  machine: MachineInfo;
  seconds: number;
  evaluate: EvaluateBenchResult | null;
  decide: DecideBenchResult | null;
  stream: StreamBenchResult | null;
  propagation: PropagationRun[];
  changeSets: ChangeSetRun[];
  postgres: string;
  /** Other benchmark reports in docs/ to link to (written by other scripts). */
  related: { file: string; what: string }[];
  failures: string[];
  notes: string[];
}

const verdict = (ok: boolean) => (ok ? "**met**" : "**missed**");
const us = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} µs`;
const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;

function machineSection(m: MachineInfo, seconds: number): string[] {
  return [
    "## Machine",
    "",
    "| | |",
    "| --- | --- |",
    `| Date | ${m.date} |`,
    `| CPU | ${m.cpuModel} |`,
    `| Cores | ${m.cores} |`,
    `| Memory | ${m.memoryGiB} GiB |`,
    `| Node | ${m.node} |`,
    `| OS | ${m.os} |`,
    `| Load average before the run (1/5/15 min) | ${m.loadBefore.join(" / ")} |`,
    ...(m.loadAfter ? [`| Load average at the end of the run (1/5/15 min) | ${m.loadAfter.join(" / ")} |`] : []),
    `| Whole run | ${fmt(seconds, 0)} s |`,
    "",
    "The machine is shared: other work may run at the same time, so absolute figures move between runs. Each baseline ran on the same machine in the same run, so the ratios are the steadier figure.",
    "",
  ];
}

function evaluateSection(e: EvaluateBenchResult): string[] {
  const gov = e.rows.find((r) => r.engine === "governor")!;
  const cedar = e.rows.find((r) => r.engine === "cedar")!;
  const cedar1 = e.rows.find((r) => r.engine === "cedar-1-policy");
  return [
    "## 1. `evaluate()` in process, 1,000-rule policy",
    "",
    `Policy: ${Object.entries(e.ruleCounts).map(([k, v]) => `${fmt(v)} ${k}`).join(", ")} (100 agents × 10 allowed tools over a 200-tool registry, 3 tiers, 50 tenants; \`scripts/bench/policy-1000.ts\`). Requests: a fixed mix of ${fmt(e.requestMix)} (${Object.entries(e.decisions).map(([k, v]) => `${k} ${fmt((100 * v) / e.requestMix, 0)} %`).join(", ")}).`,
    "",
    `Cedar ${e.cedarVersion} (\`@cedar-policy/cedar-wasm\`, Node build) gets the same allow list as ${fmt(e.cedarPolicies)} \`permit(principal == Agent::"…", action == Action::"call", resource == Tool::"…")\` policies and the same (agent, tool) pairs; on the whole mix its decisions agree with Governor's allow list (${e.allowListDisagreements} disagreements). Governor does more per call than Cedar here: kill switches, tenant tier, zones, blast radius and the list of rate-limit counters to consume.`,
    "",
    "| engine | p50 | p99 | p99.9 | mean, batched | calls per round |",
    "| --- | --- | --- | --- | --- | --- |",
    ...e.rows.map((r) => `| ${r.label} | ${us(r.p50Us)} | ${us(r.p99Us)} | ${us(r.p999Us)} | ${r.batchedMeanUs === null ? "–" : us(r.batchedMeanUs)} | ${fmt(r.callsPerRound)} |`),
    "",
    `- **Cedar p50 / Governor p50 = ${fmtRatio(cedar.p50Us / gov.p50Us)}** (pre-parsed Cedar, the fair comparison); Cedar p99 / Governor p99 = ${fmtRatio(cedar.p99Us / gov.p99Us)}.`,
    ...(cedar1
      ? [
          `- Cedar's cost per call is about ${us(cedar1.p50Us)} fixed (the 1-permit control: crossing into WebAssembly and back) plus about ${us((cedar.p50Us - cedar1.p50Us) / (e.cedarPolicies - 1))} per permit in the set: it checks every policy on every request, while Governor's checks are map and set lookups whose cost does not grow with the policy.`,
        ]
      : []),
    `- Target p50 ≤ ${e.targets.p50Us} µs: ${verdict(gov.p50Us <= e.targets.p50Us)} (${us(gov.p50Us)}). Target p99 ≤ ${e.targets.p99Us} µs: ${verdict(gov.p99Us <= e.targets.p99Us)} (${us(gov.p99Us)}).`,
    "",
    `How it was measured: every call is timed alone with \`process.hrtime.bigint()\` before and after it, so p99 includes real tail calls (GC pauses, deoptimisations). The timer pair costs about ${fmt(e.timerOverheadNs)} ns on an empty loop; it is included, not subtracted, so the per-call figures are an upper bound. "Mean, batched" times 64 calls per timer pair and divides, which removes the timer cost. Each engine runs ${e.rows[0]!.rounds} rounds, each in a fresh process (\`scripts/bench/evaluate-worker.ts\`) after its own warm-up, with engines alternating; each figure is the median over the rounds. A round stops after 4 s, which is why Cedar rounds hold fewer calls.`,
    "",
  ];
}

function loadRow(r: LoadResult): string {
  return `| ${r.target} | ${fmt(r.rps)} | ${fmt(r.rpsPerSecondMedian)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.p999Ms)} | ${fmt(r.requests)} | ${fmt(r.non2xx)} / ${fmt(r.errors)} |`;
}

function decideSection(d: DecideBenchResult): string[] {
  const g = d.governor;
  const met = (r: LoadResult) => r.rps >= d.targets.rps && r.p99Ms <= d.targets.p99Ms;
  const lines = [
    "## 2. `POST /api/v1/decide` over loopback",
    "",
    `autocannon, ${d.connections} connections, ${d.durationS} s measured after a ${d.warmupS} s warm-up (diagnostic rows: ${d.diagnosticS} s after 2 s), against each server in its own process on 127.0.0.1. Governor is \`server.ts\` on a fresh embedded PGlite data directory with the decision log on (\`lib/dataplane/decision-log.ts\`: buffered off the request path and flushed at least every 250 ms; each flush writes up to 1,000 decisions and seals them into the audit chain in one statement). Each connection cycles through this mix:`,
    "",
    ...d.mix.map((m) => `- ${m}`),
    "",
    `The baselines answer every POST with a ${d.bodyBytes}-byte JSON body, the mean size of a decide answer in this mix: a bare \`node:http\` handler (\`scripts/bench/baseline-server.ts\`) and a trivial Next.js App Router route handler run by \`next start\` (\`scripts/bench/next-trivial/\`, ${d.nextBuild}).`,
    "",
    "| server | requests/s | requests/s, median second | p50 | p99 | p99.9 | requests | non-2xx / errors |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    loadRow(g),
    ...(d.noPending ? [loadRow(d.noPending)] : []),
    ...(d.logOff ? [loadRow(d.logOff)] : []),
    ...(d.baseline ? [loadRow(d.baseline)] : []),
    ...(d.next ? [loadRow(d.next)] : []),
    "",
    `- Target ≥ ${fmt(d.targets.rps)} decisions/s at p99 ≤ ${d.targets.p99Ms} ms: throughput ${verdict(g.rps >= d.targets.rps)} (${fmt(g.rps)}/s), p99 ${verdict(g.p99Ms <= d.targets.p99Ms)} (${ms(g.p99Ms)}).`,
  ];
  if (d.baseline) lines.push(`- Governor / bare node:http: ${fmtRatio(g.rps / d.baseline.rps)} the throughput, p99 ${fmtRatio(g.p99Ms / d.baseline.p99Ms)}.`);
  if (d.next) lines.push(`- Governor / Next.js route handler: ${fmtRatio(g.rps / d.next.rps)} the throughput, p99 ${fmtRatio(g.p99Ms / d.next.p99Ms)}.`);
  const l = d.decisionLog;
  if (l) {
    lines.push(
      `- Decision log: after the server stopped (graceful shutdown flushes the buffer), its PGlite directory held **${fmt(l.total)} rows** for ${fmt(l.decideRequestsSent)} decide requests counted (probes, both loads with their warm-ups, and ${fmt(l.killLoopDecides)} from the remote-mode loop of benchmark 4a, which ran on this server before the loads; requests still in flight when an autocannon run ends, up to ${d.connections} per run, are decided and logged but not counted${Object.keys(l.byOutcome).some((k) => k.includes("failsafe")) ? "; failsafe rows are the SDK's reports of answers it gave while Governor missed its deadline" : ""}): ${Object.entries(l.byOutcome).map(([k, v]) => `${k} ${fmt(v)}`).join(", ")}.`,
    );
  }
  if (d.noPending) {
    const approvalPath = !met(g) && met(d.noPending);
    lines.push(
      `- **Where the time goes.** The first diagnostic row is the same server under the same load with the one call in ten that needs approval (refund_payment on acme) left out: ${fmt(d.noPending.rps)}/s at p99 ${ms(d.noPending.p99Ms)}, which ${met(d.noPending) ? "meets" : "misses"} the target. ` +
        `During the measured load and its warm-up the policy generation advanced by **${fmt(d.generationsDuringLoad)}** for about ${fmt(d.pendingDuringLoad)} calls that needed approval${l?.actionRequests != null ? ` (the store held ${fmt(l.actionRequests)} action requests at the end)` : ""}. ` +
        (d.generationsDuringLoad > d.pendingDuringLoad / 2
          ? "So every pending decision is a policy-wide change: `decide()` (`lib/dataplane/decide.ts`) awaits `openActionRequest` (`lib/approvals/requests.ts`) before answering, a full `mutate()` transaction (`lib/db/mutate.ts`) that inserts the request, enqueues webhooks, appends a hash-chained audit event and bumps the generation. On PGlite that transaction runs on the server's event loop, and each bump then makes `SnapshotHolder.reload()` (`lib/dataplane/snapshot-holder.ts`) read and compile the whole policy again, empties `TokenAuthenticator`'s cache (`lib/auth/token-auth.ts`, so the next decides read their tokens from the store again) and tells every stream subscriber to refetch its snapshot. " +
            (approvalPath ? "What misses the target is this approval path, not evaluation or the decision-log writer. " : "") +
            "An action request is state, not policy: it needs neither a generation bump nor a snapshot reload."
          : ""),
    );
  }
  if (d.logOff && d.noPending) {
    const audit = l?.auditByAction ?? {};
    const seals = audit["decisions.seal"];
    const background = [
      ...(seals ? [`the audit seal (\`lib/audit/seal.ts\`, ${fmt(seals)} seals on this server: each flush hashes its decisions into a Merkle root and writes the chain entry, the batch and the rows in one statement)`] : []),
      ...(l?.checkpoints ? [`the audit checkpoint signer (\`lib/audit/checkpoint.ts\`, ${fmt(l.checkpoints)} checkpoints: it signs the chain head every 250 ms while the chain moves)`] : []),
    ];
    lines.push(
      `- The second diagnostic row (\`scripts/bench/decide-variant-server.ts\`: server.ts's API path without Next.js, same mix without the approval call, decision log **off**) is the floor for the rest of the path: ${fmt(d.logOff.rps)}/s at p99 ${ms(d.logOff.p99Ms)}. Against the first diagnostic row, recording the decisions costs ${fmt(Math.max(0, 100 * (1 - d.noPending.rps / d.logOff.rps)), 0)} % of the throughput and ${ms(Math.max(0, d.noPending.p99Ms - d.logOff.p99Ms))} of p99: the writer's INSERTs${background.length ? `, plus the background work on what it wrote: ${background.join("; and ")}` : ""}. PGlite runs on its own thread (\`lib/db/pglite-thread.ts\`), but over one connection: the log's sealed writes and the approval requests take turns (each one statement, with the chain lock, head and hashes inside the store: \`governor_audit_chain\`), and every reply is handled by the event loop that answers decisions. \`node --import tsx scripts/bench/profile-decide.ts 10 --no-pending\` shows the split.`,
    );
  }
  lines.push("", "Latency percentiles come from autocannon's per-response times (sub-millisecond); its own histogram rounds to whole milliseconds. The load generator runs on the same cores as the server under test.", "");
  return lines;
}

function streamSection(s: StreamBenchResult): string[] {
  return [
    "## 3. Runtime control change → subscribed stream clients",
    "",
    `${s.clients} clients hold \`GET /api/v1/policy/stream\` open with an agent token. The benchmark flips \`tool_kill\` on a throwaway tool name ${s.flips} times (after 5 unmeasured flips, 10–30 ms apart) through \`POST /api/v1/admin/controls\` with an admin personal token, one flip at a time, and measures per client from just before the POST is written to the arrival of the \`generation\` event carrying the generation that POST returned.`,
    "",
    "| measure | p50 | p99 | max | samples |",
    "| --- | --- | --- | --- | --- |",
    `| change → event at client | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.maxMs)} | ${fmt(s.samples)} |`,
    `| of which: admin POST round trip (auth, transaction with audit event and generation bump) | ${ms(s.postP50Ms)} | ${ms(s.postP99Ms)} | – | ${fmt(s.flips)} |`,
    `| of which: POST response → event at client (reload, compile, fan-out) | ${ms(s.fanoutP50Ms)} | ${ms(s.fanoutP99Ms)} | – | ${fmt(s.samples)} |`,
    "",
    `- Target p99 ≤ ${s.targetP99Ms} ms on one instance: ${verdict(s.p99Ms <= s.targetP99Ms)} (${ms(s.p99Ms)}). ${s.missed} events missed (not received within 5 s); ${fmt(s.eventBeforeResponse)} of ${fmt(s.samples)} arrived before the POST's own response.`,
    "",
  ];
}

export function renderReport(r: BenchResults): string {
  const lines = [
    "# Benchmarks",
    "",
    `Written by \`npm run bench\` (\`scripts/bench/run.ts\`) on ${r.machine.date.slice(0, 10)}; every figure below comes from that one run. Re-run it to refresh this file. It only talks to 127.0.0.1 (and to the local PostgreSQL server on 127.0.0.1:5432, in a throwaway database it creates and drops) and uses ports 3021 and 3024–3031.`,
    "",
    ...(r.related.length ? [...r.related.map((x) => `See also [${x.file}](${x.file}): ${x.what}.`), ""] : []),
    ...machineSection(r.machine, r.seconds),
  ];
  if (r.evaluate) lines.push(...evaluateSection(r.evaluate));
  if (r.decide) lines.push(...decideSection(r.decide));
  if (r.stream) lines.push(...streamSection(r.stream));
  if (r.propagation.length) lines.push(...propagationSection(r.propagation));
  if (r.changeSets.length) lines.push(...changeSetSection(r.changeSets, r.postgres));
  if (r.notes.length) lines.push("## Notes", "", ...r.notes.map((n) => `- ${n}`), "");
  if (r.failures.length) lines.push("## Failed in this run", "", ...r.failures.map((f) => `- ${f}`), "");
  return lines.join("\n");
}
