// Two server processes on one fresh PostgreSQL database (seeded by the first to start), a store
// handle for assertions, and an editor's personal token: the set-up of the multi-instance tests.
import { createToken } from "@/lib/auth/tokens";
import { openStore, type Store } from "@/lib/db/store";
import { startServerProcess, type ServerProcess } from "@/lib/test/server-process";
import { createPostgresDatabase } from "@/lib/test/store";

export interface TwoInstances {
  a: ServerProcess;
  b: ServerProcess;
  store: Store;
  editorToken: string;
  stop(): Promise<void>;
}

/** `env` is the servers' environment (secrets, demo tokens); DATABASE_URL and PORT are set here. */
export async function startTwoInstances(env: Record<string, string>, tokenName: string): Promise<TwoInstances> {
  const db = await createPostgresDatabase();
  const a = await startServerProcess({ ...env, DATABASE_URL: db.url });
  const b = await startServerProcess({ ...env, DATABASE_URL: db.url });
  const store = await openStore({ databaseUrl: db.url, migrate: false });
  const editor = await store.prisma.user.findUniqueOrThrow({ where: { username: "editor" } });
  const admin = { actor: { type: "user" as const, id: "test", name: "test" }, role: "admin" as const, via: "system" as const };
  const editorToken = (await createToken({ db: store.prisma, principal: admin, input: { kind: "personal", name: tokenName, userId: editor.id } })).secret;
  return {
    a,
    b,
    store,
    editorToken,
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await store.close();
      await db.drop();
    },
  };
}
