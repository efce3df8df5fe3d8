// npm run db:migrate – apply pending migrations to the configured store (DATABASE_URL or PGlite).
import { openStore } from "@/lib/db/store";
import { pgliteDir } from "@/lib/db/instance";
import { env } from "@/lib/env";

const e = env();
const store = await openStore({ databaseUrl: e.DATABASE_URL, dataDir: pgliteDir(), log: (m) => console.log(m) });
console.log(`Migrations applied (${store.kind}).`);
await store.close();
