import type { Db, Tx } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/event";

/**
 * Records an event that changes no policy state (a login, a failed login, an export), so it
 * appends to the chain without bumping the generation. Pass `extra` to write related rows in
 * one transaction with it.
 */
export async function recordAudit(db: Db, input: AuditInput, extra?: (tx: Tx) => Promise<void>): Promise<void> {
  // An append alone is one statement (lib/audit/append.ts) and needs no transaction around it.
  if (!extra) {
    await appendAudit(db, input);
    return;
  }
  await db.$transaction(async (tx) => {
    await extra(tx);
    await appendAudit(tx, input);
  });
}
