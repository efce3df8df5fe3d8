// Builds the offline-verify benchmark's bundle once: a PGlite store on disk with `events` audit
// events (audit-bench's mix, checkpoints every 1,000 as the server signs them) and, halfway,
// `decisions` sealed decisions in batches of 10,000, so the bundle can carry Merkle proofs too. Exported by
// audit-export-child.ts in its own process, as audit-bench does, and unpacked beside it.
//   node --import tsx scripts/bench/verify-bundle-seed.ts <dir> [events] [decisions]
import { spawnSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import * as tar from "tar";
import { appendAuditBatch } from "@/lib/audit/append";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { sealTick } from "@/lib/audit/seal";
import { openStore } from "@/lib/db/store";
import { auditBenchEvent as input } from "@/scripts/bench/audit-event-mix";
import { seedDecisions } from "@/scripts/bench/decision-seed";
import { keyedPolicy } from "@/scripts/bench/policy-1000-keys";

const BATCH = 1000;

async function seedBundle(dir: string, events: number, decisions: number): Promise<{ archive: string; unpacked: string }> {
  const dataDir = path.join(dir, "pglite");
  const archive = path.join(dir, "bundle.tar.gz");
  const unpacked = path.join(dir, "bundle");
  const store = await openStore({ dataDir });
  const db = store.prisma;
  try {
    for (let done = 0; done < events; done += BATCH) {
      const n = Math.min(BATCH, events - done);
      await db.$transaction((tx) => appendAuditBatch(tx, Array.from({ length: n }, (_, k) => input(done + k))), { timeout: 60_000 });
      if (decisions > 0 && done === Math.floor(events / 2 / BATCH) * BATCH) {
        await seedDecisions((sql, params) => store.rawQuery(sql, params), keyedPolicy().document, decisions);
        while (await sealTick(db));
      }
      await checkpointTick(db);
      if (done % 50_000 === 0) console.error(`seeded ${done + n} events`);
    }
  } finally {
    await store.close();
  }
  const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/audit-export-child.ts", dataDir, archive], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (child.status !== 0) throw new Error("export child failed");
  await mkdir(unpacked, { recursive: true });
  await tar.x({ file: archive, cwd: unpacked });
  return { archive, unpacked };
}

const [dir, events, decisions] = process.argv.slice(2);
if (!dir) throw new Error("usage: verify-bundle-seed.ts <dir> [events] [decisions]");
console.log(JSON.stringify(await seedBundle(dir, Number(events ?? 300_000), Number(decisions ?? 0))));
