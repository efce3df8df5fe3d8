// npm run audit:check – walk the audit chain and name the first broken sequence number.
import { verifyChain } from "@/lib/audit/verify";
import { openStore } from "@/lib/db/store";
import { pgliteDir } from "@/lib/db/instance";
import { env } from "@/lib/env";

const e = env();
const store = await openStore({ databaseUrl: e.DATABASE_URL, dataDir: pgliteDir(), migrate: false });
const report = await verifyChain(store.prisma);
await store.close();
if (report.ok) {
  console.log(`Audit chain OK: ${report.count} events, head #${report.headSeq} ${report.headHash}`);
} else {
  console.error(`Audit chain BROKEN at sequence ${report.firstBrokenSeq} (${report.problem}): ${report.detail}. ${report.count} events before it verified.`);
  process.exit(1);
}
