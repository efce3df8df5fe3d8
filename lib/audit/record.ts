import type { Db, Tx } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/event";

/**
 * Records an event that changes no policy state (a login, a failed login, an export), so it
 * appends to the chain without bumping the generation. Pass `extra` to write related rows in
 * the same transaction.
 */
export async function recordAudit(db: Db, input: AuditInput, extra?: (tx: Tx) => Promise<void>): Promise<void> {
  await db.$transaction(async (tx) => {
    if (extra) await extra(tx);
    await appendAudit(tx, input);
  });
}
