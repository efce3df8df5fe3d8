// Data-plane-only Governor instances (server.ts with GOVERNOR_CONSOLE=off, no Next.js) for the
// control-plane benchmarks: one on its own PGlite directory, or several sharing a throwaway
// PostgreSQL database on 127.0.0.1:5432. Without the console there is no sign-in page, so the
// operator's personal token is minted straight in the store, as lib/dataplane/multi-instance.pg.test.ts does.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createToken } from "@/lib/auth/tokens";
import type { Store } from "@/lib/db/store";
import { AGENT_TOKEN } from "@/scripts/bench/governor-server";
import { startChild, waitForHttp, type Child } from "@/scripts/bench/processes";

export const PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface DataPlaneServer {
  name: string;
  base: string;
  child: Child;
}

function env(opts: { port: number; databaseUrl?: string; dataDir?: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    GOVERNOR_CONSOLE: "off",
    GOVERNOR_ALLOW_SEED: "1",
    PORT: String(opts.port),
    HOST: "127.0.0.1",
    GOVERNOR_PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
    GOVERNOR_SECRET: "bench-secret-0123456789-0123456789",
    GOVERNOR_DEMO_PASSWORD: "demo-password-1",
    GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
    // One of the two, whatever the caller's shell has set: the store is part of what is measured.
    DATABASE_URL: opts.databaseUrl ?? "",
    GOVERNOR_DATA_DIR: opts.dataDir ?? "",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

export async function startDataPlane(opts: { name: string; port: number; logDir: string; databaseUrl?: string; dataDir?: string; nodeArgs?: string[] }): Promise<DataPlaneServer> {
  const child = startChild(opts.name, process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", "server.ts"], { logDir: opts.logDir, env: env(opts) });
  const base = `http://127.0.0.1:${opts.port}`;
  await waitForHttp(`${base}/api/health`, child, 60_000);
  return { name: opts.name, base, child };
}

/** server.ts keeps PGlite in <GOVERNOR_DATA_DIR>/pglite (lib/db/instance.ts). */
export const pgliteDir = (dataDir: string) => path.join(dataDir, "pglite");

/** A personal token for the seeded admin (policy.write and controls.write). */
export async function mintAdminToken(store: Store): Promise<string> {
  const admin = await store.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
  const principal = { actor: { type: "user" as const, id: "bench", name: "benchmark" }, role: "admin" as const, via: "system" as const };
  const { secret } = await createToken({ db: store.prisma, principal, input: { kind: "personal", name: `bench-${Date.now()}`, userId: admin.id } });
  return secret;
}

/**
 * A seeded PGlite instance and an admin token for it. PGlite has one owner process, so a child
 * process (prepare-pglite.ts) migrates the directory, seeds the demo world, mints the token and
 * writes `decisions` recorded decisions, and exits; then the server starts on it.
 */
export async function startPgliteDataPlane(opts: {
  name: string;
  port: number;
  logDir: string;
  dataDir: string;
  decisions?: number;
  nodeArgs?: string[];
}): Promise<{ server: DataPlaneServer; token: string; seedMs: number }> {
  const prep = startChild(`${opts.name}-prepare`, process.execPath, ["--import", "tsx", "scripts/bench/prepare-pglite.ts", pgliteDir(opts.dataDir), String(opts.decisions ?? 0)], { logDir: opts.logDir, env: env(opts) });
  const code = await new Promise<number | null>((resolve) => (prep.proc.exitCode !== null ? resolve(prep.proc.exitCode) : prep.proc.once("exit", resolve)));
  const lastLine = readFileSync(prep.logFile, "utf8").split("\n").findLast((l) => l.startsWith('{"token"')) ?? "";
  if (code !== 0 || !lastLine) throw new Error(`preparing ${opts.name}'s PGlite directory failed (exit ${code}); see ${prep.logFile}`);
  const { token, seedMs } = JSON.parse(lastLine) as { token: string; seedMs: number };
  return { server: await startDataPlane(opts), token, seedMs };
}

/** An empty PostgreSQL database owned by this run; `drop` removes it (and its connections). */
export async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `governor_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Waits until an instance has no background backlog: GET /api/health (which reads the store)
 * answers within `thresholdMs` every time for `windowMs`. A freshly started instance may still be
 * working through data the benchmark wrote behind its back (sealing 100,000 seeded decisions into
 * the audit chain, say); on PGlite that work runs on the event loop and would be timed as part of
 * whatever the benchmark measures next. Returns how long it waited, and whether it settled.
 */
export async function waitUntilSettled(base: string, opts: { windowMs?: number; thresholdMs?: number; timeoutMs?: number } = {}): Promise<{ waitedMs: number; settled: boolean }> {
  const { windowMs = 3_000, thresholdMs = 50, timeoutMs = 90_000 } = opts;
  const started = performance.now();
  let quietSince = started;
  while (performance.now() - started < timeoutMs) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    await res?.arrayBuffer();
    const t1 = performance.now();
    if (!res?.ok || t1 - t0 > thresholdMs) quietSince = t1;
    else if (t1 - quietSince >= windowMs) return { waitedMs: quietSince - started, settled: true };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { waitedMs: timeoutMs, settled: false };
}
