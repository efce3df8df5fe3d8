// The second half of `npm run bench`: benchmarks on data-plane-only instances (no console).
//   S     one instance on its own PGlite directory, seeded with 100,000 recorded decisions;
//   Q, P  another PGlite instance, and a proxy in front of it that blocks the policy stream;
//   A, B  two instances sharing a throwaway PostgreSQL database (skipped if PostgreSQL is down).
// 4c (SDK through P to Q) is bound by the SDK's 5 s poll timer: 30 flips take about 30 poll
// cycles. It runs on its own instance from the start, beside the rest (S settling, 4b on A and
// B, 5 on S, then 5 on A), which are timed in milliseconds and run one after another. Q is
// idle between flips, so the overlap costs the others little and saves their minute or so.
import path from "node:path";
import pg from "pg";
import { runChangeSetBench, type ChangeSetRun } from "@/scripts/bench/changeset-bench";
import { createBenchDatabase, mintAdminToken, startDataPlane, startPgliteDataPlane, waitUntilSettled, type DataPlaneServer } from "@/scripts/bench/data-plane-servers";
import { SEEDED_DECISIONS, seedDecisions } from "@/scripts/bench/decision-seed";
import { AGENT_TOKEN } from "@/scripts/bench/governor-server";
import { runPropagation, type PropagationRun } from "@/scripts/bench/kill-switch-bench";
import { keyedPolicy } from "@/scripts/bench/policy-1000-keys";
import { startStreamBlockingProxy } from "@/scripts/bench/stream-blocking-proxy";
import { openStore } from "@/lib/db/store";

export const CONTROL_PORTS = { single: 3027, proxy: 3028, poll: 3029, pgA: 3030, pgB: 3031 };
export const FLIPS = 60;
export const POLL_FLIPS = 30;

export interface ControlPlaneResults {
  propagation: PropagationRun[];
  changeSets: ChangeSetRun[];
  postgres: string;
  notes: string[];
}

type Step = <T>(name: string, fn: () => Promise<T>) => Promise<T | null>;

export async function runControlPlane(opts: { work: string; step: Step; log: (m: string) => void }): Promise<ControlPlaneResults> {
  const { step, log } = opts;
  const out: ControlPlaneResults = { propagation: [], changeSets: [], postgres: "not reached", notes: [] };
  const servers: DataPlaneServer[] = [];
  const pgDb: { current?: Awaited<ReturnType<typeof createBenchDatabase>> } = {};
  const starting = <T extends { server: DataPlaneServer }>(p: Promise<T>) => p.then((r) => (servers.push(r.server), r));
  // Every server prepares and starts in its own process, so these overlap; 4c starts as soon as
  // its own instance answers.
  const pollServer = step("start Q: data plane on PGlite for the poll fallback", () =>
    starting(startPgliteDataPlane({ name: "poll-pglite", port: CONTROL_PORTS.poll, logDir: opts.work, dataDir: path.join(opts.work, "poll") })),
  );
  const singleServer = step("start S: data plane on PGlite with 100,000 recorded decisions", () =>
    starting(startPgliteDataPlane({ name: "single-pglite", port: CONTROL_PORTS.single, logDir: opts.work, dataDir: path.join(opts.work, "single"), decisions: SEEDED_DECISIONS })),
  );
  const pairServers = step("start A and B: two data planes on one PostgreSQL database", async () => {
    const db = (pgDb.current = await createBenchDatabase().catch((err: Error) => {
      out.postgres = `PostgreSQL on 127.0.0.1:5432 was not reachable (${err.message}); the two-instance figures are missing.`;
      throw err;
    }));
    const a = await startDataPlane({ name: "pg-a", port: CONTROL_PORTS.pgA, logDir: opts.work, databaseUrl: db.url });
    servers.push(a);
    const b = await startDataPlane({ name: "pg-b", port: CONTROL_PORTS.pgB, logDir: opts.work, databaseUrl: db.url });
    servers.push(b);
    const store = await openStore({ databaseUrl: db.url, migrate: false });
    try {
      out.postgres = String((await store.rawQuery("SELECT version() AS v"))[0]!.v).split(" on ")[0]!;
      return { a, b, token: await mintAdminToken(store) };
    } finally {
      await store.close();
    }
  });

  try {
    const pollFallback = pollServer.then((q) =>
      q
        ? step("4c. kill switch: stream blocked, SDK on its 5 s poll (beside the rest)", async () => {
            const proxy = await startStreamBlockingProxy({ port: CONTROL_PORTS.proxy, target: q.server.base });
            try {
              const r = await runPropagation({ label: "stream blocked by a proxy, SDK polling every 5 s, local mode", mode: "local", flipBase: q.server.base, adminToken: q.token, sdkUrl: proxy.base, agentToken: AGENT_TOKEN, flips: POLL_FLIPS, targetP99Ms: 5000, pollIntervalMs: 5000, expectStream: false, log });
              log(`  proxy: ${proxy.counts.blocked} stream requests refused, ${proxy.counts.forwarded} forwarded`);
              return r;
            } finally {
              await proxy.close();
            }
          })
        : null,
    );
    const [single, pair] = await Promise.all([singleServer, pairServers]);
    const settle = async (who: string, base: string) => {
      const s = await waitUntilSettled(base);
      log(`  ${who} ${s.settled ? "settled" : "did not settle"} after ${(s.waitedMs / 1000).toFixed(1)} s`);
      if (s.waitedMs > 1000 || !s.settled) out.notes.push(`${who} worked in the background for ${(s.waitedMs / 1000).toFixed(0)} s after the seeded decisions appeared (most likely the audit seal, \`lib/audit/seal.ts\`, which reads, hashes and marks up to 10,000 unsealed decisions a second)${s.settled ? "" : " and had not finished after 90 s"}; the benchmark waited for /api/health to answer within 50 ms for 3 s before measuring.`);
    };
    const rest = (async () => {
      if (single) await step("S: wait for background work on the seeded decisions", () => settle("S (PGlite)", single.server.base));
      if (pair) {
        for (const mode of ["remote", "local"] as const) {
          const r = await step(`4b. kill switch: two instances, ${mode} mode`, () =>
            runPropagation({ label: `two instances on PostgreSQL, flip on A, SDK on B, ${mode} mode`, mode, flipBase: pair.a.base, adminToken: pair.token, sdkUrl: pair.b.base, agentToken: AGENT_TOKEN, flips: FLIPS, targetP99Ms: 1000, expectStream: true, log }),
          );
          if (r) out.propagation.push(r);
        }
      }
      if (single) {
        const cs = await step("5. change sets on PGlite (S)", () => runChangeSetBench({ store: "PGlite (embedded)", base: single.server.base, adminToken: single.token, seededDecisions: SEEDED_DECISIONS, seedMs: single.seedMs, log }));
        if (cs) out.changeSets.push(cs);
      }
      if (pair) {
        const cs = await step("5. change sets on PostgreSQL (A)", async () => {
          const client = new pg.Client({ connectionString: pgDb.current!.url });
          await client.connect();
          let ms: number;
          try {
            // Only the seeded rows: the decide loops of 4b left their own in the log.
            await client.query(`DELETE FROM "DecisionLog"`);
            ms = await seedDecisions((sql, params) => client.query(sql, params as unknown[]), keyedPolicy().document);
          } finally {
            await client.end();
          }
          for (const [who, s] of [["A", pair.a], ["B", pair.b], ["A", pair.a]] as const) await settle(`${who} (PostgreSQL)`, s.base);
          return runChangeSetBench({ store: "PostgreSQL (shared by A and B)", base: pair.a.base, adminToken: pair.token, seededDecisions: SEEDED_DECISIONS, seedMs: ms, log });
        });
        if (cs) out.changeSets.push(cs);
      }
    })();
    const [poll] = await Promise.all([pollFallback, rest]);
    if (poll) out.propagation.push(poll);
  } finally {
    for (const s of servers) await s.child.stop();
    await pgDb.current?.drop().catch((err: Error) => log(`  dropping the benchmark database failed: ${err.message}`));
  }
  return out;
}
