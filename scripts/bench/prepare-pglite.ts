// Prepares a PGlite directory for a data-plane-only instance before it starts: migrations, the
// demo world (what server.ts would seed on first start), an admin personal token, and optionally
// recorded decisions. It runs as its own process because PGlite executes on the event loop of
// the process that opens it: in the benchmark's own process, seeding 100,000 rows would stall the
// SDK clients that other benchmarks are timing at the same moment.
//   node --import tsx scripts/bench/prepare-pglite.ts <pglite dir> [decisions]
// Prints one JSON line: { "token": "gov_pat_…", "seedMs": 1234 }.
import { openStore } from "@/lib/db/store";
import { demoSecrets, isEmpty, seedDemo } from "@/lib/seed/demo";
import { mintAdminToken } from "@/scripts/bench/data-plane-servers";
import { seedDecisions } from "@/scripts/bench/decision-seed";
import { AGENT_TOKEN } from "@/scripts/bench/governor-server";
import { keyedPolicy } from "@/scripts/bench/policy-1000-keys";

async function main(): Promise<void> {
  const [dir, decisions] = process.argv.slice(2);
  if (!dir) throw new Error("usage: prepare-pglite.ts <pglite dir> [decisions]");
  const store = await openStore({ dataDir: dir, migrate: true });
  try {
    if (!(await isEmpty(store.prisma))) throw new Error(`${dir} is not empty; the benchmark prepares fresh directories only`);
    await seedDemo(store.prisma, demoSecrets({ password: process.env.GOVERNOR_DEMO_PASSWORD, supportToken: AGENT_TOKEN }));
    const token = await mintAdminToken(store);
    const n = Number(decisions ?? 0);
    const seedMs = n > 0 ? await seedDecisions((sql, params) => store.rawQuery(sql, params), keyedPolicy().document, n) : 0;
    console.log(JSON.stringify({ token, seedMs }));
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
