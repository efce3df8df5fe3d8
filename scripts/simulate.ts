// npm run simulate -- --agents 5 --rate 200 --duration 60 [--url …] [--token-support … --token-ops …]
// Drives realistic tool calls through the agent SDK against a running Governor, so the console's
// live views, rate limits and audit log have traffic to show. Everything goes through the SDK a
// real agent would use; nothing here talks to the database.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGovernor, GovernorApiError, type DecideInput, type Decision, type Governor } from "@/lib/sdk";
import { badCanary, type Scenario } from "./simulate-bad-canary";

type AgentKind = "support-bot" | "ops-bot";
interface Call extends DecideInput {
  observed?: number;
}

const { values: args } = parseArgs({
  options: {
    agents: { type: "string", default: "5" },
    rate: { type: "string", default: "200" },
    duration: { type: "string", default: "60" },
    url: { type: "string", default: process.env.GOVERNOR_URL ?? `http://localhost:${process.env.PORT ?? 3000}` },
    "token-support": { type: "string" },
    "token-ops": { type: "string" },
    mode: { type: "string", default: "remote" },
    timeout: { type: "string", default: "100" },
    scenario: { type: "string" },
    token: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

const USAGE = `Usage: npm run simulate -- [--agents 5] [--rate 200] [--duration 60] [--url http://localhost:3000]
                       [--token-support gov_agent_…] [--token-ops gov_agent_…] [--mode remote|local] [--timeout 100]
                       [--scenario bad-canary [--token gov_pat_…]]
--scenario bad-canary releases a change set that makes support-bot's candidate deny more as a canary
rollout (needs an editor's or admin's personal token: --token or GOVERNOR_TOKEN; without one it
drives the rollout already active), fails canary calls far more often, and waits for the
automatic rollback.
Tokens default to GOVERNOR_DEMO_AGENT_TOKEN / GOVERNOR_DEMO_OPS_AGENT_TOKEN, else to the lines in
$GOVERNOR_DATA_DIR/credentials.txt (.data/credentials.txt) that the server wrote on first start.`;

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(1);
}

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${raw}"\n${USAGE}`);
  return n;
}

const CREDENTIALS = path.resolve(process.env.GOVERNOR_DATA_DIR || ".data", "credentials.txt");

/** Flag, then environment, then the credentials file the demo seed writes (only for generated tokens). */
function tokenFor(kind: AgentKind): string | undefined {
  const flag = kind === "support-bot" ? args["token-support"] : args["token-ops"];
  const envToken = kind === "support-bot" ? process.env.GOVERNOR_DEMO_AGENT_TOKEN : process.env.GOVERNOR_DEMO_OPS_AGENT_TOKEN;
  if (flag || envToken) return flag || envToken;
  const file = CREDENTIALS;
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith(`${kind} agent token:`));
  return line?.split(":")[1]?.trim() || undefined;
}

const pick = <T>(items: readonly (readonly [T, number])[]): T => {
  let r = Math.random() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1]![0];
};
const tenant = () => pick([["acme", 6], ["globex", 4]] as const);

/**
 * The traffic mix. Support: mostly reads and emails, refunds that go to approval on acme and are
 * refused on globex (its free tier has no refunds), and a few calls from the external zone into
 * the internal one (no such crossing → network_boundary). Ops: restarts with a predicted blast
 * radius of 0–10 % against a bound of 5 %, so about half are refused, and table drops that wait
 * for approval. globex's 100 emails an hour run out quickly, which shows the rate limiter.
 */
function nextCall(kind: AgentKind, session: string): Call {
  if (kind === "ops-bot") {
    const service = pick([["checkout", 3], ["search", 3], ["billing", 2], ["notifications", 2]] as const);
    if (Math.random() < 0.1) return { tenant: tenant(), session, tool: "drop_table", target: { resource: `tmp_${service}_events` }, reversal: "restore from nightly backup" };
    const blastRadius = Math.round(Math.random() * 1000) / 10_000;
    return { tenant: tenant(), session, tool: "restart_service", target: { service }, origin: { zone: "internal" }, blastRadius, observed: blastRadius };
  }
  const tool = pick([["search_kb", 50], ["send_email", 32], ["refund_payment", 13], ["search_kb_external", 5]] as const);
  if (tool === "search_kb_external") return { tenant: tenant(), session, tool: "search_kb", origin: { zone: "external" }, args: { q: "reset password" } };
  if (tool === "refund_payment") return { tenant: tenant(), session, tool, args: { amount: Math.ceil(Math.random() * 200) } };
  return { tenant: tenant(), session, tool, args: tool === "search_kb" ? { q: "refund policy" } : { template: "ticket-reply" } };
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)}ms`;

class Stats {
  counts = { allow: 0, deny: 0, pending: 0 };
  failsafe = 0;
  errors = 0;
  outcomes = 0;
  skipped = 0;
  latencies: number[] = [];
  primitives = new Map<string, number>();
  add(d: Decision, latency: number) {
    this.counts[d.decision] += 1;
    if (d.failsafe) this.failsafe += 1;
    if (d.decision !== "allow") this.primitives.set(d.primitive ?? "?", (this.primitives.get(d.primitive ?? "?") ?? 0) + 1);
    this.latencies.push(latency);
  }
  get total() {
    return this.counts.allow + this.counts.deny + this.counts.pending;
  }
  line(seconds: number) {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const { allow, deny, pending } = this.counts;
    return `${(this.total / seconds).toFixed(1)} decisions/s  allow ${allow}  deny ${deny}  pending ${pending}  failsafe ${this.failsafe}  errors ${this.errors}  p50 ${ms(quantile(sorted, 0.5))}  p99 ${ms(quantile(sorted, 0.99))}`;
  }
}

async function preflight(url: string, kind: AgentKind, token: string) {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/policy/generation`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(3000) });
  } catch (err) {
    fail(`cannot reach Governor at ${url} (${(err as Error).cause ?? (err as Error).message}). Start it (npm run dev) or pass --url.`);
  }
  if (!res.ok) {
    const message = ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
    fail(`Governor at ${url} refused the ${kind} token (${res.status}): ${message}`);
  }
}

async function main() {
  if (args.help) return console.log(USAGE);
  const agents = Math.floor(positive("agents", args.agents));
  const rate = positive("rate", args.rate);
  const duration = positive("duration", args.duration);
  const mode = args.mode === "local" ? "local" : "remote";
  const url = args.url.replace(/\/+$/, "");
  // Every other simulated agent is an ops bot (2 of 5), starting with support so one agent is support.
  const kinds: AgentKind[] = Array.from({ length: agents }, (_, i) => (i % 2 === 1 ? "ops-bot" : "support-bot"));
  // --token is a person's token for the scenario; an agent token there is a mix-up worth naming
  // before "no support-bot token" sends someone looking in the wrong place.
  if (args.token?.startsWith("gov_agent_")) fail(`--token takes an editor's or admin's personal token (gov_pat_…) for --scenario; an agent token goes in --token-support or --token-ops.\n${USAGE}`);
  if (args.token && args.scenario === undefined) fail(`--token is only used with --scenario bad-canary; agent tokens go in --token-support or --token-ops.\n${USAGE}`);
  const tokens = new Map<AgentKind, string>();
  for (const kind of new Set(kinds)) {
    const token = tokenFor(kind);
    if (!token) fail(`no ${kind} token: pass --token-${kind === "ops-bot" ? "ops" : "support"}, set ${kind === "ops-bot" ? "GOVERNOR_DEMO_OPS_AGENT_TOKEN" : "GOVERNOR_DEMO_AGENT_TOKEN"}, or have the line "${kind} agent token: …" in ${CREDENTIALS}`);
    await preflight(url, kind, token);
    tokens.set(kind, token);
  }

  let scenario: Scenario | null = null;
  if (args.scenario !== undefined) {
    if (args.scenario !== "bad-canary") fail(`--scenario must be "bad-canary", got "${args.scenario}"\n${USAGE}`);
    scenario = await badCanary(url, args.token || process.env.GOVERNOR_TOKEN || undefined, console.log).catch((e: Error) => fail(e.message));
  }
  const govs: Governor[] = kinds.map((kind) => createGovernor({ url, token: tokens.get(kind)!, agent: kind, mode, timeoutMs: positive("timeout", args.timeout) }));
  console.log(`Simulating ${agents} agents (${kinds.filter((k) => k === "support-bot").length} support-bot, ${kinds.filter((k) => k === "ops-bot").length} ops-bot) at ${rate} decisions/s for ${duration}s against ${url} (${mode} mode)`);

  const total = new Stats();
  let window = new Stats();
  let inFlight = 0;
  let fatal = null as Error | null; // set from the calls in flight, so TS must not narrow it
  const sessions = kinds.map((_, i) => ({ id: `sim-${i}-0`, left: 0, n: 0 }));
  const one = async (i: number) => {
    const s = sessions[i]!;
    if (s.left-- <= 0) Object.assign(s, { id: `sim-${Date.now().toString(36)}-${i}-${++s.n}`, left: 20 + Math.floor(Math.random() * 60) });
    const { observed, ...call } = nextCall(kinds[i]!, s.id);
    const started = performance.now();
    try {
      const d = await govs[i]!.decide(call);
      const latency = performance.now() - started;
      total.add(d, latency);
      window.add(d, latency);
      // Most allowed calls report back; a few fail, as real tool calls do.
      if (d.decision === "allow" && !d.local && Math.random() < 0.9) {
        const outcome = scenario ? scenario.outcomeFor(d) : Math.random() < 0.93 ? "success" : "failure";
        const observedBlastRadius = observed === undefined ? undefined : Math.min(1, observed * (0.5 + Math.random() * 0.7));
        void govs[i]!.reportOutcome({ decision: d, outcome, latencyMs: Math.round(20 + Math.random() * 400), observedBlastRadius });
        total.outcomes += 1;
      }
    } catch (err) {
      total.errors += 1;
      window.errors += 1;
      // A refused token or request fails every call alike: stop rather than print 12 000 of them.
      if (err instanceof GovernorApiError && (err.status === 401 || err.status === 403)) fatal ??= err;
      else if (total.errors <= 3) console.error(`error: ${(err as Error).message}`);
    }
  };

  const started = performance.now();
  let issued = 0;
  let nextReport = 5;
  let stop = false;
  process.on("SIGINT", () => (stop = true));
  let nextTick = 1;
  let ticking = false;
  // Open loop: calls start on schedule whether or not earlier ones have answered, as independent
  // agents would; a cap on calls in flight keeps a stalled server from piling up memory.
  while (!stop && !fatal) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= duration) break;
    for (const due = Math.floor(elapsed * rate); issued < due; issued++) {
      if (inFlight >= 2000) {
        total.skipped += 1;
        continue;
      }
      inFlight += 1;
      void one(issued % agents).finally(() => (inFlight -= 1));
    }
    if (scenario && !ticking && elapsed >= nextTick) {
      ticking = true;
      nextTick = Math.floor(elapsed) + 1;
      void scenario
        .tick(elapsed)
        .then((over) => (stop ||= over), (e: Error) => console.error(`scenario: ${e.message}`))
        .finally(() => (ticking = false));
    }
    if (elapsed >= nextReport) {
      console.log(`[${String(nextReport).padStart(4)}s] ${window.line(5)}`);
      window = new Stats();
      nextReport += 5;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  await Promise.all(govs.map((g) => g.close()));
  if (fatal) fail(`${fatal.message}\nCheck that each token belongs to its agent (--token-support for support-bot, --token-ops for ops-bot).`);

  const seconds = (performance.now() - started) / 1000;
  const sorted = total.latencies.sort((a, b) => a - b);
  const byPrimitive = [...total.primitives].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ${n}`).join(", ");
  console.log(`\nSummary: ${total.total} decisions in ${seconds.toFixed(1)}s (${(total.total / seconds).toFixed(1)}/s, target ${rate}/s)`);
  console.log(`  allow ${total.counts.allow}  deny ${total.counts.deny}  pending ${total.counts.pending}  failsafe ${total.failsafe}  errors ${total.errors}${total.skipped ? `  skipped ${total.skipped} (too many calls in flight)` : ""}`);
  console.log(`  not allowed because: ${byPrimitive || "—"}`);
  console.log(`  latency p50 ${ms(quantile(sorted, 0.5))}  p90 ${ms(quantile(sorted, 0.9))}  p99 ${ms(quantile(sorted, 0.99))}  max ${ms(sorted[sorted.length - 1] ?? 0)}`);
  console.log(`  outcomes reported ${total.outcomes}`);
  if (scenario) process.exitCode = await scenario.finish();
}

main().catch((err) => fail((err as Error).stack ?? String(err)));
