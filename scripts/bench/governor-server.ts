// The server under test: server.ts as a child process on a fresh embedded PGlite data dir, with
// the demo world seeded and the decision log on; plus the two things the benchmarks need from
// it from outside: an admin token, and (after it stops) the decision log's row count.
import { existsSync } from "node:fs";
import path from "node:path";
import { openStore } from "@/lib/db/store";
import { cookieHeader, cookiesFrom, request, requestJson } from "@/scripts/bench/http-client";
import { startChild, waitForHttp, type Child } from "@/scripts/bench/processes";

export const AGENT_TOKEN = "gov_agent_bench_support";
const OPS_TOKEN = "gov_agent_bench_ops";
const PASSWORD = "demo-password-1";

export interface GovernorServer {
  base: string;
  port: number;
  dataDir: string;
  child: Child;
}

export async function startGovernor(opts: { port: number; dataDir: string; logDir: string }): Promise<GovernorServer> {
  if (!existsSync(".next/BUILD_ID")) {
    throw new Error("No Next.js build in .next; run `node --import tsx scripts/build-if-needed.ts` first (server.ts serves the console from it).");
  }
  const child = startChild("governor", process.execPath, ["--import", "tsx", "server.ts"], {
    logDir: opts.logDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(opts.port),
      // Loopback only: the benchmark must not expose anything.
      HOST: "127.0.0.1",
      GOVERNOR_DATA_DIR: opts.dataDir,
      // The embedded store is what is measured, whatever the caller's shell has set.
      DATABASE_URL: "",
      GOVERNOR_PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
      GOVERNOR_DEMO_PASSWORD: PASSWORD,
      GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
      GOVERNOR_DEMO_OPS_AGENT_TOKEN: OPS_TOKEN,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const base = `http://127.0.0.1:${opts.port}`;
  await waitForHttp(`${base}/api/health`, child, 90_000);
  return { base, port: opts.port, dataDir: opts.dataDir, child };
}

/**
 * Signs in as the demo admin through next-auth's credentials flow (CSRF cookie, then the
 * callback), then mints a personal token with that session: what an operator's automation
 * would hold. Cookie-authenticated changes need an Origin header matching the host.
 */
export async function adminToken(base: string): Promise<string> {
  const csrf = await request(base, "GET", "/api/auth/csrf");
  const jar = cookiesFrom(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, username: "admin", password: PASSWORD, json: "true" }).toString();
  const login = await request(base, "POST", "/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: form,
  });
  Object.assign(jar, cookiesFrom(login.headers));
  if (!Object.keys(jar).some((k) => k.endsWith("next-auth.session-token"))) {
    throw new Error(`Signing in as admin failed (status ${login.status}): ${login.text.slice(0, 200)}`);
  }
  const session = { cookie: cookieHeader(jar), origin: base };
  const { users } = await requestJson<{ users: { id: string; username: string }[] }>(base, "GET", "/api/v1/admin/users", { headers: session });
  const admin = users.find((u) => u.username === "admin");
  if (!admin) throw new Error("The seeded admin user is missing");
  const { secret } = await requestJson<{ secret: string }>(base, "POST", "/api/v1/admin/tokens", {
    headers: session,
    body: { kind: "personal", name: `bench-${Date.now()}`, userId: admin.id },
  });
  return secret;
}

export interface StoreCounts {
  total: number;
  byOutcome: Record<string, number>;
  /** The generation counter and the audit events: what else the decide path wrote. */
  generation: number;
  auditByAction: Record<string, number>;
  actionRequests: number | null;
  /** Signed audit checkpoints (lib/audit/checkpoint.ts), where the table exists. */
  checkpoints: number | null;
}

/** Opens the stopped server's PGlite directory and counts decision-log rows by outcome, and what else was written. */
export async function decisionLogCounts(dataDir: string): Promise<StoreCounts> {
  // server.ts keeps PGlite in <GOVERNOR_DATA_DIR>/pglite (lib/db/instance.ts, pgliteDir).
  const store = await openStore({ dataDir: path.join(dataDir, "pglite"), migrate: false });
  try {
    const rows = await store.rawQuery(`SELECT "decision", "primitive", count(*)::int AS n FROM "DecisionLog" GROUP BY 1, 2 ORDER BY 3 DESC`);
    const byOutcome: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      byOutcome[r.primitive ? `${String(r.decision)} (${String(r.primitive)})` : String(r.decision)] = n;
    }
    const [gen] = await store.rawQuery(`SELECT "value" FROM "Generation" WHERE "id" = 1`);
    const audit = await store.rawQuery(`SELECT "action", count(*)::int AS n FROM "AuditEvent" GROUP BY 1 ORDER BY 2 DESC`);
    // Tables of newer features; null where the schema has no such table.
    const countIf = async (table: string) => {
      const [t] = await store.rawQuery(`SELECT to_regclass('"${table}"') IS NOT NULL AS present`);
      return t?.present ? Number((await store.rawQuery(`SELECT count(*)::int AS n FROM "${table}"`))[0]?.n ?? 0) : null;
    };
    const actionRequests = await countIf("ActionRequest");
    const checkpoints = await countIf("AuditCheckpoint");
    return {
      total,
      byOutcome,
      generation: Number(gen?.value ?? 0),
      auditByAction: Object.fromEntries(audit.map((r) => [String(r.action), Number(r.n)])),
      actionRequests,
      checkpoints,
    };
  } finally {
    await store.close();
  }
}
