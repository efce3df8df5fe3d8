import type { Db, Tx } from "@/lib/db/client";
import { readSettings } from "@/lib/controls/settings";

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 5_000;

export interface SlackMessage {
  text: string;
  blocks?: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
}

export const slackMessage = (text: string, detail?: string): SlackMessage => ({
  text,
  blocks: [{ type: "section", text: { type: "mrkdwn", text: detail ? `${text}\n${detail}` : text } }],
});

/**
 * Queues a notification to every configured webhook inside the caller's transaction (an
 * outbox): it is sent only if the change it reports commits, and survives a restart.
 */
export function enqueueWebhooks(tx: Tx, event: string, message: SlackMessage & Record<string, unknown>): Promise<void> {
  return enqueueWebhookBatch(tx, [{ event, message }]);
}

/** enqueueWebhooks for many events at once (a bulk reject): the settings are read once. */
export async function enqueueWebhookBatch(tx: Tx, events: readonly { event: string; message: SlackMessage & Record<string, unknown> }[]): Promise<void> {
  if (events.length === 0) return;
  const { approval_webhooks: urls } = await readSettings(tx);
  if (urls.length) await tx.webhookDelivery.createMany({ data: events.flatMap((e) => urls.map((url) => ({ url, event: e.event, payload: e.message as object }))) });
}

async function post(url: string, payload: unknown): Promise<string | null> {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload), signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Sends due deliveries once. Each is leased first (nextAttemptAt pushed out) so two instances
 * never send the same one; failures back off 2, 4, 8… seconds and give up after MAX_ATTEMPTS.
 */
export async function deliverDue(db: Db, now = new Date()): Promise<number> {
  const due = await db.webhookDelivery.findMany({ where: { status: "pending", nextAttemptAt: { lte: now } }, take: 20, orderBy: { createdAt: "asc" } });
  let sent = 0;
  for (const d of due) {
    const lease = await db.webhookDelivery.updateMany({ where: { id: d.id, status: "pending", nextAttemptAt: d.nextAttemptAt }, data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) } });
    if (lease.count !== 1) continue;
    const error = await post(d.url, d.payload);
    const attempts = d.attempts + 1;
    if (!error) {
      await db.webhookDelivery.update({ where: { id: d.id }, data: { status: "delivered", attempts, deliveredAt: new Date(), lastError: null } });
      sent++;
    } else {
      await db.webhookDelivery.update({
        where: { id: d.id },
        data: { attempts, lastError: error, status: attempts >= MAX_ATTEMPTS ? "failed" : "pending", nextAttemptAt: new Date(Date.now() + 1000 * 2 ** attempts) },
      });
    }
  }
  return sent;
}

export function listDeliveries(db: Db, opts: { status?: string } = {}) {
  return db.webhookDelivery.findMany({ where: opts.status ? { status: opts.status } : {}, orderBy: { createdAt: "desc" }, take: 100 });
}
