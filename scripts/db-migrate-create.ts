// `npm run db:migrate:create -- <name>`: writes prisma/migrations/<timestamp>_<name>/ from the
// changes in prisma/schema.prisma, like `prisma migrate dev --create-only`, but offline. The dev
// database is a throwaway in-memory PGlite, so no server is needed and no real data is touched.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, createMigration } from "../lib/db/migrate";

const name = process.argv[2];
// Prisma would accept more, but the name becomes a directory name shared across platforms.
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error(
    `Usage: npm run db:migrate:create -- <name>\n` +
      `The name must use only lowercase letters, digits and underscores (got ${JSON.stringify(name ?? "")}).`,
  );
  process.exit(2);
}

const db = new PGlite();
try {
  const adapterFactory = new PrismaPGlite(db);
  // Replaying the history first proves every existing migration still applies cleanly.
  await applyMigrations({ adapterFactory });
  const dir = await createMigration({ adapterFactory, name });
  console.log(dir ?? "No schema changes");
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await db.close();
}
