// npm run db:seed [-- --reset] – seed the demo world; --reset drops everything first.
import { bootstrap, seedAllowed } from "@/lib/bootstrap";
import { openStore } from "@/lib/db/store";
import { pgliteDir } from "@/lib/db/instance";
import { env } from "@/lib/env";
import { isEmpty } from "@/lib/seed/demo";

const e = env();
const reset = process.argv.includes("--reset");
const gate = seedAllowed();
if (!gate.allowed) {
  console.error(`Refusing to seed: ${gate.why}`);
  process.exit(2);
}
if (reset) {
  // The audit table refuses DELETE and TRUNCATE by design, so a reset drops the schema whole.
  const raw = await openStore({ databaseUrl: e.DATABASE_URL, dataDir: pgliteDir(), migrate: false });
  await raw.rawQuery("DROP SCHEMA IF EXISTS public CASCADE");
  await raw.rawQuery("CREATE SCHEMA public");
  await raw.close();
  console.log("Dropped every table; rebuilding the demo.");
} else {
  const probe = await openStore({ databaseUrl: e.DATABASE_URL, dataDir: pgliteDir() });
  const empty = await isEmpty(probe.prisma);
  await probe.close();
  if (!empty) {
    console.error("Refusing to seed: the database is not empty. Use `npm run db:seed -- --reset` to rebuild the demo (this deletes everything).");
    process.exit(2);
  }
}
const result = await bootstrap(e.GOVERNOR_PUBLIC_URL ?? `http://localhost:${e.PORT}`);
console.log(result.seeded ? "Seeded the demo world." : "Nothing seeded.");
if (result.credentialsFile) console.log(`Demo credentials written to ${result.credentialsFile}`);
await result.store.close();
