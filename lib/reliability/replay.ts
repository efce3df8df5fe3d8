import { appendAudit } from "@/lib/audit/append";
import type { Db } from "@/lib/db/client";
import { TX_OPTIONS } from "@/lib/db/mutate";
import type { DecisionRecord } from "@/lib/dataplane/decision-log";
import { enqueueWebhooks, type SlackMessage } from "@/lib/notify/webhooks";
import type { JournalEntry } from "@/lib/reliability/journal";

// The decision-log writer's statement (lib/dataplane/decision-log.ts): a replayed decision that
// already reached the store before a crash is skipped by its id.
const INSERT_DECISIONS = `INSERT INTO "DecisionLog" SELECT * FROM json_populate_recordset(NULL::"DecisionLog", $1::json) ON CONFLICT ("id") DO NOTHING`;
const CHUNK = 500;

/**
 * Writes journaled entries into the store in journal order. Decisions are idempotent by id; each
 * audit event commits together with its key in JournalReplay (and its webhook, if any), so an
 * event whose key is there already was appended by an earlier, interrupted replay and is skipped.
 */
export async function writeJournalEntries(db: Db, entries: readonly JournalEntry[]): Promise<{ decisions: number; audits: number }> {
  let run: DecisionRecord[] = [];
  let decisions = 0;
  let audits = 0;
  const writeRun = async () => {
    for (let i = 0; i < run.length; i += CHUNK) decisions += await db.$executeRawUnsafe(INSERT_DECISIONS, JSON.stringify(run.slice(i, i + CHUNK)));
    run = [];
  };
  for (const e of entries) {
    if (e.kind === "decision") {
      run.push(e.record);
      continue;
    }
    await writeRun();
    await db.$transaction(async (tx) => {
      const fresh = await tx.$executeRaw`INSERT INTO "JournalReplay" ("id") VALUES (${e.id}) ON CONFLICT ("id") DO NOTHING`;
      if (fresh === 0) return;
      if (e.webhook) await enqueueWebhooks(tx, e.webhook.event, e.webhook.message as SlackMessage & Record<string, unknown>);
      await appendAudit(tx, e.input);
      audits++;
    }, TX_OPTIONS);
  }
  await writeRun();
  return { decisions, audits };
}
