import { createHook } from "node:async_hooks";
import { writeSync } from "node:fs";
const live = new Map<number, string>();
createHook({
  init(id, type, _t, res) { if (type !== "PROMISE") live.set(id, type + " " + (new Error().stack ?? "").split("\n").slice(5, 10).join(" | ")); },
  destroy(id) { live.delete(id); },
}).enable();
const { PGlite } = await import("@electric-sql/pglite");
const { PrismaPGlite } = await import("pglite-prisma-adapter").then(m=>m);
const { applyMigrations, diffAgainstSchema, createMigration, pgliteAdapterFactory } = await import("./migrate");
const db = new PGlite(); await db.waitReady;
const f = pgliteAdapterFactory(db); console.log(await applyMigrations({ adapterFactory: f })); console.log(await diffAgainstSchema({ adapterFactory: f })); console.log(await createMigration({ adapterFactory: f, name: "x" }));
await db.close();
setTimeout(() => { for (const v of live.values()) writeSync(1, v + "\n"); }, 500).unref();
