// npm run test:faults [-- --kills 50 --store pglite|postgres|both --port 3150]
// The full crash-safety loop: SIGKILL the real server at random points during change sets,
// control flips, votes and sealed decisions, at least 50 times per store, checking every
// invariant after each restart (lib/reliability). PostgreSQL needs TEST_DATABASE_URL.
import { parseArgs } from "node:util";
import { runCrashLoop } from "@/lib/reliability/crash-loop";
import type { CrashStoreKind } from "@/lib/reliability/crash-store";
import "@/lib/test/store";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "50" },
    store: { type: "string", default: process.env.TEST_DATABASE_URL ? "both" : "pglite" },
    port: { type: "string", default: "3150" },
  },
});
const kills = Number(values.kills);
if (!Number.isInteger(kills) || kills < 1) throw new Error(`--kills must be a positive whole number, got "${values.kills}"`);
const kinds: CrashStoreKind[] = values.store === "both" ? ["pglite", "postgres"] : [values.store as CrashStoreKind];
for (const k of kinds) if (k !== "pglite" && k !== "postgres") throw new Error(`--store must be pglite, postgres or both, got "${values.store}"`);
if (kinds.includes("postgres") && !process.env.TEST_DATABASE_URL) throw new Error("--store postgres needs TEST_DATABASE_URL");

let failed = false;
for (const kind of kinds) {
  const started = Date.now();
  const { rounds, violations } = await runCrashLoop({ kind, kills, port: Number(values.port), log: (l) => console.log(l) });
  const sum = (f: (r: (typeof rounds)[number]) => number) => rounds.reduce((n, r) => n + f(r), 0);
  const last = rounds.at(-1)?.facts;
  console.log(
    `\n== ${kind}: ${rounds.length} kills in ${((Date.now() - started) / 1000).toFixed(0)} s; acknowledged before the kills: ${sum((r) => r.acknowledged.changeSetsApplied)} change sets, ` +
      `${sum((r) => r.acknowledged.flips)} flips, ${sum((r) => r.acknowledged.votes)} votes, ${sum((r) => r.acknowledged.decisions)} decisions; ` +
      `final store: generation ${last?.generation}, version ${last?.headVersion}, ${last?.auditEvents} audit events (chain verifies), ${last?.sealedDecisions} sealed decisions`,
  );
  if (violations.length || rounds.length < kills) {
    failed = true;
    console.error(`== ${kind}: ${violations.length} violation(s):\n${violations.join("\n")}`);
  } else console.log(`== ${kind}: every invariant held after every kill.\n`);
}
process.exit(failed ? 1 : 0);
