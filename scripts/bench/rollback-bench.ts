// npx tsx scripts/bench/rollback-bench.ts [--runs 5] – time from the moment a rollout's rollback
// trigger becomes true to the first decision on the baseline, on every instance. Two setups:
// one in-process instance on PGlite, and two server processes sharing PostgreSQL
// (TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/test). Prints the figures
// with the load average; it does not write docs/BENCHMARKS.md. PGlite runs in this process (its
// database has one owner), so there the client shares the server's event loop.
//
// The trigger: the candidate denies search_kb, the rollout needs `minCanaryDecisions` canary and
// stable decisions before the deny-rate trigger may fire (minRuntimeSec 0). A client alternates
// canary and stable sessions; the answer to the decision that completes the sample is t0. Then it
// asks with a canary session on each instance until the answer comes from the baseline.
import { parseArgs } from "node:util";
import { createToken } from "@/lib/auth/tokens";
import { openStore, type Store } from "@/lib/db/store";
import { sessionIn } from "@/lib/test/rollouts";
import { startServerProcess, type ServerProcess } from "@/lib/test/server-process";
import { createPostgresDatabase } from "@/lib/test/store";
import { loadAverage } from "@/scripts/bench/machine";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld } from "@/lib/test/world";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Math.max(1, Number(values.runs));
const SAMPLE = 100;
const AGENT_PG = "gov_agent_rollback_bench_support_0001";
let AGENT = AGENT_PG;
const ENV = { NODE_ENV: "production", GOVERNOR_CONSOLE: "off", GOVERNOR_ALLOW_SEED: "1", GOVERNOR_SECRET: "rollback-bench-secret-0123456789abcdef", GOVERNOR_DEMO_PASSWORD: "rollback-bench-pw", GOVERNOR_DEMO_AGENT_TOKEN: AGENT_PG };

async function call(url: string, path: string, body: unknown, token: string) {
  const res = await fetch(url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}
const decide = (url: string, session: string) => call(url, "/api/v1/decide", { agent: "support-bot", tenant: "acme", session, tool: "search_kb" }, AGENT);

/** One rollout: fill the sample, then time each instance until it answers from the baseline. */
async function once(urls: string[], editorToken: string, head: number): Promise<number[]> {
  const cs = await call(urls[0]!, "/api/v1/admin/changesets", { baseVersion: head, reason: "bench: drop search_kb", ops: [{ op: "set", key: "agents.support-bot.allowed_tools", value: ["send_email", "refund_payment"] }] }, editorToken);
  const r = await call(urls[0]!, "/api/v1/admin/rollouts", { changeSetId: cs.id, strategy: "canary", stages: [{ percent: 50, minDurationSec: 3600 }, { percent: 100 }], triggers: { minCanaryDecisions: SAMPLE, minRuntimeSec: 0 } }, editorToken);
  const rid = r.id as string;
  const canary = sessionIn(rid, 50, "canary", "bc");
  const stable = sessionIn(rid, 50, "stable", "bs");
  for (const url of urls) while ((await decide(url, canary)).cohort !== "canary") await new Promise((res) => setTimeout(res, 10));
  // The trigger needs SAMPLE decisions in each cohort; the last of them makes it true.
  let c = urls.length;
  let s = 0;
  for (let i = 0; c < SAMPLE || s < SAMPLE; i++) {
    const url = urls[i % urls.length]!;
    if (s < SAMPLE && (await decide(url, stable)).cohort === "stable") s++;
    if (c < SAMPLE && (await decide(url, canary)).cohort === "canary") c++;
  }
  const t0 = performance.now();
  return Promise.all(
    urls.map(async (url) => {
      for (;;) {
        const d = await decide(url, canary);
        if (d.cohort === "stable") return performance.now() - t0;
        if (performance.now() - t0 > 30_000) throw new Error(`${url} still routes to the canary after 30 s`);
      }
    }),
  );
}

interface Env {
  urls: string[];
  store: Store;
  token: string;
  close: () => Promise<void>;
}

async function pglite(): Promise<Env> {
  const store = await openTestStore();
  const world = await seedWorld(store);
  const api = await startApiServer(store);
  AGENT = SUPPORT_TOKEN;
  return { urls: [api.url], store, token: world.tokens.editor, close: async () => (await api.close(), await store.close()) };
}

async function postgres(instances: number): Promise<Env> {
  AGENT = AGENT_PG;
  const env = await setup(instances);
  const editor = await env.store.prisma.user.findUniqueOrThrow({ where: { username: "editor" } });
  const admin = { actor: { type: "user" as const, id: "bench", name: "bench" }, role: "admin" as const, via: "system" as const };
  const token = (await createToken({ db: env.store.prisma, principal: admin, input: { kind: "personal", name: "bench", userId: editor.id } })).secret;
  return {
    urls: env.urls,
    store: env.store,
    token,
    close: async () => {
      await Promise.all(env.servers.map((s) => s.stop()));
      await env.store.close();
      await env.drop();
    },
  };
}

async function setup(instances: number): Promise<{ urls: string[]; servers: ServerProcess[]; store: Store; drop: () => Promise<void> }> {
  const db = await createPostgresDatabase();
  const servers: ServerProcess[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startServerProcess({ ...ENV, DATABASE_URL: db.url }));
  const store = await openStore({ databaseUrl: db.url, migrate: false });
  return { urls: servers.map((s) => s.url), servers, store, drop: db.drop };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function main() {
  process.env.TEST_DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/test";
  for (const [label, open] of [["1 instance on PGlite (in process)", pglite], ["1 instance on PostgreSQL", () => postgres(1)], ["2 instances on PostgreSQL", () => postgres(2)]] as const) {
    const env = await open();
    try {
      const all: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const head = (await env.store.prisma.policyHead.findUniqueOrThrow({ where: { id: 1 } })).version;
        const ms = await once(env.urls, env.token, head);
        all.push(Math.max(...ms));
        console.log(`${label}, run ${run + 1}: trigger true → baseline ${ms.map((m) => `${m.toFixed(0)} ms`).join(" / ")}`);
      }
      console.log(`${label}, ${RUNS} runs: median ${quantile(all, 0.5).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms (load average ${loadAverage().join(" ")})`);
    } finally {
      await env.close();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
