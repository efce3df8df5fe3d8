// BENCHMARKS.md sections 4 (kill switch propagation) and 5 (change sets): one table per
// benchmark, what each row measures, the targets, and the comparisons the issue asked for.
import type { ChangeSetRun } from "@/scripts/bench/changeset-bench";
import { FLIPS, POLL_FLIPS } from "@/scripts/bench/control-plane-run";
import type { LatencySummary, PropagationRun } from "@/scripts/bench/kill-switch-bench";
import { fmt, median } from "@/scripts/bench/stats";

const verdict = (ok: boolean) => (ok ? "**met**" : "**missed**");
const ms = (n: number) => (n >= 1000 ? `${fmt(n / 1000, 2)} s` : `${fmt(n, n < 10 ? 2 : 1)} ms`);
const p50p99 = (s: LatencySummary) => (s.samples ? `${ms(s.p50Ms)} / ${ms(s.p99Ms)}` : "–");

function whatItMeasures(r: PropagationRun): string {
  if (r.pollIntervalMs && !r.streamConnected) return "the stream is refused, so the SDK learns of the change from its next `GET /api/v1/policy/generation` poll, then fetches and compiles the snapshot";
  if (r.label.startsWith("two instances")) {
    return r.mode === "remote"
      ? "B hears A's commit through PostgreSQL NOTIFY, reloads its snapshot and answers the next decide with it"
      : "as remote, then B's stream tells the SDK, which fetches B's snapshot and compiles it";
  }
  return r.mode === "remote"
    ? "the server's own snapshot reload after the commit (each decide is a round trip)"
    : "the stream event, the SDK's snapshot fetch and compile; decisions are made in process";
}

export function propagationSection(runs: PropagationRun[]): string[] {
  const poll = runs.find((r) => !r.streamConnected);
  const lines = [
    "## 4. Kill switch → first deny seen by an SDK client",
    "",
    `As the issue puts it: the time from the request that flips the control to the first deny seen by an SDK client that is deciding in a loop. The client is the real SDK (\`createGovernor\` from \`lib/sdk\`, default \`timeoutMs\` 100 and \`pollIntervalMs\` 5,000) deciding \`search_kb\` for acme as support-bot; the benchmark (\`scripts/bench/kill-switch-bench.ts\`) flips \`global_kill\` on and off through \`POST /api/v1/admin/controls\` with an admin personal token (after 2 unmeasured flips, except in the poll fallback, where the timer dominates), and times from just before each POST is written to the end of the first decide that answers deny (kill) or allow (recover). Remote mode decides back to back; local mode decides once per millisecond (a local decide does no I/O, so a tighter loop would starve the event loop that receives the change). search_kb for acme has no rate limit, so in local mode both verdicts come from the SDK's compiled snapshot, and only a new snapshot changes them. The SDK answers failsafe when Governor misses its 100 ms deadline (or its breaker is open after 5 misses in a row); search_kb is "operational", so a failsafe answer is allow unless the SDK's own snapshot already holds the kill: it follows the change too, and counts, because the agent acts on it.`,
    "",
    "| setup | SDK mode | what the figure includes | kill p50 / p99 | recover p50 / p99 | all flips p50 / p95 / p99 / max | flips | missed | target (p99) | |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...runs.map(
      (r) =>
        `| ${r.label.replace(/, (remote|local) mode$/, "")} | ${r.mode} | ${whatItMeasures(r)} | ${p50p99(r.kill)} | ${p50p99(r.recover)} | ${ms(r.all.p50Ms)} / ${ms(r.all.p95Ms)} / ${ms(r.all.p99Ms)} / ${ms(r.all.maxMs)} | ${r.flips} | ${r.missed} | ≤ ${ms(r.targetP99Ms)} | ${verdict(r.missed === 0 && r.all.p99Ms <= r.targetP99Ms)} |`,
    ),
    "",
    ...runs.map((r) => `- ${r.label}: the admin POST itself took ${ms(r.post.p50Ms)} at p50 (${ms(r.post.p99Ms)} p99); the loop made ${fmt(r.loopRate)} decides/s${r.failsafe ? `; **${fmt(r.failsafe)} answers were failsafe** (Governor missed the SDK's 100 ms deadline, or the breaker was open after such misses), and ${r.seenViaFailsafe} of ${r.flips} flips were first seen through one` : ""}.`),
    "",
    "What each setup shows:",
    "",
    "- **Remote mode** asks the server on every decide, so the flip reaches the agent as soon as the instance it asks has reloaded its snapshot: on one instance that is the commit plus the reload; on two instances it adds PostgreSQL's NOTIFY to the other instance. The SDK's stream and poll play no part, except through failsafe answers, which come from the snapshot they keep.",
    "- **Local mode** decides in process from the SDK's own compiled snapshot, so it measures the push path: the instance's reload, the `generation` event on `GET /api/v1/policy/stream`, the SDK's `GET /api/v1/policy/snapshot` and its compile.",
  ];
  if (poll?.phases?.length) {
    const residual = median(poll.phases.map((p) => p.latencyMs + p.phaseMs - poll.pollIntervalMs).filter((x) => x >= -50 && x < poll.pollIntervalMs / 2));
    lines.push(
      `- **Stream blocked** (\`scripts/bench/stream-blocking-proxy.ts\` answers 404 to \`/api/v1/policy/stream\` and forwards everything else): the SDK falls back to polling the generation every ${fmt(poll.pollIntervalMs)} ms, so the figure is the time to the next poll plus the snapshot fetch. A real flip lands at a random moment of the poll cycle; the ${POLL_FLIPS} flips here are spread evenly over it (stratified by the time since the SDK's last poll), so p50 sits near half the interval and p99 near the whole interval. Median time from the poll to the deny: ${ms(residual)}. The worst case is one interval plus a poll and a snapshot fetch (or two intervals, if a poll reaches the server while the flip's transaction is still open), so p99 ≤ 5 s with a 5 s interval is tight by construction: lowering \`pollIntervalMs\` buys it back at one small GET per agent per interval. Only local mode matters here: in remote mode every decide asks the server, which answers with the new state whether the stream is up or not. This run used its own instance and ran beside the rest of sections 4 and 5, which it does not share a server with.`,
    );
  }
  lines.push(
    "",
    `Each flip is measured alone (the next starts after the client saw the last; kill and recover alternate, ${FLIPS} flips per one- or two-instance row, ${POLL_FLIPS} for the poll fallback, half in each direction). For comparison, not measured here: a policy cache with a 5–30 s TTL is typical of pull-based setups (the runtime-policy write-up this project started from); Unleash's server-side SDKs poll every 15 s by default; LaunchDarkly advertises changes reaching its streaming SDKs in about 200 ms.`,
    "",
  );
  return lines;
}

export function changeSetSection(runs: ChangeSetRun[], postgres: string): string[] {
  const first = runs[0]!;
  const lines = [
    "## 5. Change sets",
    "",
    `Through the HTTP API with an admin personal token, on data-plane-only instances (\`GOVERNOR_CONSOLE=off\`). Each run publishes a policy of **${fmt(first.leafKeys)} leaf keys** (\`scripts/bench/policy-1000-keys.ts\`: 100 tools, 60 agents, 3 tiers, 40 tenants; arrays and scalars count as one key each, as \`lib/policy/diff.ts\` counts them) through \`POST /api/v1/admin/policy/versions\`, then creates and applies ${first.applies} change sets of ${first.opsPerChangeSet} keys one after another (tenant tiers, agents' tool lists, tool rate limits), each on the head the previous one produced. Timed: the round trip of \`POST /api/v1/admin/changesets/:id/apply\` (one transaction: lock the head, rebuild and validate the whole document, check state conflicts, write the version, the audit event with every key's from → to, and the generation bump; the server's snapshot reload follows the commit).`,
    "",
    "| store | apply p50 | apply p95 | apply max | create p50 / p95 | publish (whole document) | target apply p95 ≤ 100 ms |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...runs.map((r) => `| ${r.store} | ${ms(r.apply.p50Ms)} | ${ms(r.apply.p95Ms)} | ${ms(r.apply.maxMs)} | ${ms(r.create.p50Ms)} / ${ms(r.create.p95Ms)} | ${ms(r.publishMs)} | ${verdict(r.apply.p95Ms <= r.targets.applyP95Ms)} |`),
    "",
    `**Impact preview.** Before each run, ${fmt(first.seededDecisions)} decisions were written straight into \`DecisionLog\` (\`scripts/bench/decision-seed.ts\`): spread over the last 22 hours, 60 agents × 40 tenants × 100 tools plus unknown agents and tools, each with the verdict the policy gives it (${runs.map((r) => `${r.store}: ${ms(r.seedMs)}`).join("; ")}). One more change set (the free tier loses 20 tools, one agent loses its tool list) is then previewed three times with \`POST /api/v1/admin/changesets/:id/preview\` \`{ windowHours: 24, limit: 100000 }\`: the server reads the window's decisions and replays each through the live policy and the candidate. "impact.elapsedMs" is the server's own figure for that read and replay (\`lib/changesets/impact.ts\`); the round trip adds the diff, the compile of both policies and the state-conflict check.`,
    "",
    "| store | preview | round trip | impact.elapsedMs | decisions replayed | verdicts flipped | target ≤ 3 s |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...runs.flatMap((r) => r.previews.map((p, i) => `| ${r.store} | ${i + 1} of ${r.previews.length} | ${ms(p.roundTripMs)} | ${ms(p.elapsedMs)} | ${fmt(p.replayed)} | ${fmt(p.flipped)} | ${verdict(p.roundTripMs <= r.targets.previewMs)} |`)),
    "",
    `PostgreSQL: ${postgres}, local, on the same machine. On PGlite every statement goes through one connection on the database thread, so while a preview reads its ${fmt(first.seededDecisions)} rows that instance's other statements wait.`,
    "",
  ];
  return lines;
}
