// The store a crash run kills a server on: a PGlite data directory, or a fresh PostgreSQL
// database. Seeded once from the test process, with a personal token per actor, so the server
// only ever restarts on existing data (the seed itself is not what is being crashed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SYSTEM } from "@/lib/auth/principal";
import { createToken } from "@/lib/auth/tokens";
import { openStore, type Store } from "@/lib/db/store";
import { demoSecrets, seedDemo } from "@/lib/seed/demo";
import { createPostgresDatabase } from "@/lib/test/store";

export const SUPPORT_TOKEN = "gov_agent_crash_support_bot_000000000000";
export const OPS_TOKEN = "gov_agent_crash_ops_bot_00000000000000000";
const PASSWORD = "crash-test-password";

export type CrashStoreKind = "pglite" | "postgres";

export interface CrashStore {
  kind: CrashStoreKind;
  /** Environment for server.ts so it opens this store. */
  serverEnv: Record<string, string>;
  /** Personal tokens: editor, operator, and the three reviewers of the demo policy. */
  tokens: { editor: string; oncall: string; auditor: string; reviewers: string[] };
  /** Opens the store from this process (the server must be stopped when on PGlite). */
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/**
 * A seeded store in a fresh temporary data directory; on PostgreSQL a fresh database from
 * TEST_DATABASE_URL, or `databaseUrl` as given (it must be empty, and is left in place).
 */
export async function prepareCrashStore(kind: CrashStoreKind, opts: { databaseUrl?: string } = {}): Promise<CrashStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "governor-crash-"));
  const pg = kind !== "postgres" ? null : opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => {} } : await createPostgresDatabase();
  const open = () => openStore({ databaseUrl: pg?.url, dataDir: path.join(dataDir, "pglite"), migrate: false });
  const first = await openStore({ databaseUrl: pg?.url, dataDir: path.join(dataDir, "pglite") });
  const tokens = { editor: "", oncall: "", auditor: "", reviewers: [] as string[] };
  try {
    await seedDemo(first.prisma, demoSecrets({ password: PASSWORD, supportToken: SUPPORT_TOKEN, opsToken: OPS_TOKEN }));
    const tokenFor = async (username: string) => {
      const user = await first.prisma.user.findUniqueOrThrow({ where: { username } });
      const created = await createToken({ db: first.prisma, principal: { ...SYSTEM, role: "admin" }, input: { kind: "personal", name: `crash ${username}`, userId: user.id } });
      return created.secret;
    };
    tokens.editor = await tokenFor("editor");
    tokens.oncall = await tokenFor("oncall");
    tokens.auditor = await tokenFor("auditor");
    for (const r of ["reviewer1", "reviewer2", "reviewer3"]) tokens.reviewers.push(await tokenFor(r));
  } finally {
    await first.close();
  }
  return {
    kind,
    tokens,
    serverEnv: {
      NODE_ENV: "production",
      GOVERNOR_CONSOLE: "off",
      // The same secret as this process: audit signing keys generated here are encrypted under it.
      GOVERNOR_SECRET: process.env.GOVERNOR_SECRET!,
      GOVERNOR_DATA_DIR: dataDir,
      ...(pg ? { DATABASE_URL: pg.url } : {}),
    },
    open,
    dispose: async () => {
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
