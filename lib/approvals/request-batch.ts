import { randomUUID } from "node:crypto";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { TX_OPTIONS } from "@/lib/db/mutate";
import { noteUrgentWrite } from "@/lib/db/write-pressure";
import { chainInsert, chainParam } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/event";
import { slackMessage } from "@/lib/notify/webhooks";
import type { RequestOrigin } from "@/lib/approvals/requests";

type Opened = { id: string; existing: boolean };
type Job = { principal: Principal; origin: RequestOrigin; resolve: (r: Opened) => void; reject: (e: unknown) => void };

// Group commit for action requests. On PGlite a transaction holds the only connection, so one
// transaction per pending decision (insert, webhook outbox, audit lock, head read, audit insert)
// serialised every decision behind it: with one call in ten pending, that alone cut decide
// throughput about fourfold (docs/BENCHMARKS.md). Requests that arrive while a batch is being
// written wait for the next one, which writes all of them together (one statement without keys).
const MAX_JOBS = 500;

class RequestOpener {
  private queue: Job[] = [];
  private draining = false;

  constructor(private readonly db: Db) {}

  open(principal: Principal, origin: RequestOrigin): Promise<Opened> {
    noteUrgentWrite(this.db);
    return new Promise((resolve, reject) => {
      this.queue.push({ principal, origin, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // One macrotask first, so requests decided in the same turn of the event loop join.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const jobs = this.queue.splice(0, MAX_JOBS);
      try {
        const results = await this.write(jobs);
        jobs.forEach((j, i) => j.resolve(results[i]!));
      } catch (e) {
        // One bad request must not fail the others: retry each on its own.
        if (jobs.length === 1) jobs[0]!.reject(e);
        else for (const j of jobs) await this.write([j]).then((r) => j.resolve(r[0]!), j.reject);
      }
    }
    this.draining = false;
  }

  // Without idempotency keys nothing needs reading first, and the batch is one statement: on
  // PGlite no transaction holds the only connection while its statements wait for this thread.
  private write(jobs: readonly Job[]): Promise<Opened[]> {
    if (jobs.some((j) => j.origin.request.idempotencyKey)) return this.db.$transaction((tx) => openMany(tx, jobs), TX_OPTIONS);
    return insertAll(this.db, jobs);
  }
}

const openers = new WeakMap<Db, RequestOpener>();
export function requestOpener(db: Db): RequestOpener {
  let o = openers.get(db);
  if (!o) openers.set(db, (o = new RequestOpener(db)));
  return o;
}

const keyOf = (agent: string, key: string) => `${agent}\u0000${key}`;

/**
 * Opens the requests of `jobs` in the caller's transaction: the ones whose (agent,
 * idempotencyKey) is already open, in the store or earlier in the list, get that request back;
 * the rest are inserted, with their webhook deliveries and one audit event each, in order.
 * An agent asking is state, not a policy change: audited, but no generation bump, which would
 * make every instance reload its snapshot and every SDK refetch.
 */
export async function openMany(tx: Tx, jobs: readonly Pick<Job, "principal" | "origin">[]): Promise<Opened[]> {
  const keyed = jobs.filter((j) => j.origin.request.idempotencyKey);
  if (keyed.length === 0) return insertAll(tx, jobs);
  const known = new Map<string, string>();
  const lookup = async (pairs: { agentId: string; idempotencyKey: string }[]) => {
    if (!pairs.length) return;
    for (const r of await tx.actionRequest.findMany({ where: { OR: pairs }, select: { id: true, agentId: true, idempotencyKey: true } })) known.set(keyOf(r.agentId, r.idempotencyKey!), r.id);
  };
  await lookup(keyed.map((j) => ({ agentId: j.origin.request.agent, idempotencyKey: j.origin.request.idempotencyKey! })));

  const results: Opened[] = [];
  const rows: Row[] = [];
  for (const job of jobs) {
    const req = job.origin.request;
    const key = req.idempotencyKey ? keyOf(req.agent, req.idempotencyKey) : null;
    const found = key ? known.get(key) : undefined;
    if (found) {
      results.push({ id: found, existing: true });
      continue;
    }
    const row = newRow(job);
    if (key) known.set(key, row.id);
    rows.push(row);
    results.push({ id: row.id, existing: false });
  }
  if (!rows.length) return results;

  const created = await tx.actionRequest.createMany({
    skipDuplicates: true,
    // Prisma writes SQL NULL for an absent Json? field and takes the column default for an absent one.
    data: rows.map(requestRow).map((r) => ({ ...r, args: (r.args ?? undefined) as object | undefined, rejectThreshold: r.rejectThreshold ?? undefined })),
  });
  let inserted = rows;
  if (created.count < rows.length) {
    // Another instance opened the same (agent, idempotencyKey) between our read and our insert.
    const mine = new Set((await tx.actionRequest.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true } })).map((r) => r.id));
    inserted = rows.filter((r) => mine.has(r.id));
    known.clear();
    await lookup(rows.filter((r) => !mine.has(r.id)).map((r) => ({ agentId: r.job.origin.request.agent, idempotencyKey: r.job.origin.request.idempotencyKey! })));
    for (let i = 0; i < results.length; i++) {
      const req = jobs[i]!.origin.request;
      if (!results[i]!.existing && !mine.has(results[i]!.id)) results[i] = { id: known.get(keyOf(req.agent, req.idempotencyKey!))!, existing: true };
    }
  }

  if (inserted.length) await tx.$executeRawUnsafe(`WITH ev AS (${chainInsert("$1")}) ${webhooksInsert("$2")}`, chainParam(inserted.map(auditOf)), webhookPayloads(inserted));
  return results;
}

type Row = { job: Pick<Job, "principal" | "origin">; id: string; expiresAt: Date };

const newRow = (job: Row["job"]): Row => ({ job, id: randomUUID(), expiresAt: new Date(job.origin.now + job.origin.evaluation.approval!.expires_in_s * 1000) });

/** A request's ActionRequest columns; null where the request or rule leaves one out. */
const requestRow = ({ job: { principal, origin }, id, expiresAt }: Row) => {
  const { request: req, evaluation: ev } = origin;
  const rule = ev.approval!;
  return {
    id, decisionId: origin.decisionId, agentId: req.agent, tenant: req.tenant, session: req.session, tool: req.tool,
    args: req.args ?? null, blastRadius: req.blastRadius ?? null, reversal: req.reversal ?? null, initiator: req.initiator ?? null,
    source: rule.source, quorum: rule.quorum, reviewerGroup: rule.group, rejectThreshold: rule.reject_threshold ?? null,
    policyVersion: ev.policyVersion, generation: ev.generation, idempotencyKey: req.idempotencyKey ?? null, tokenId: principal.tokenId ?? null, expiresAt,
  };
};

/** Each request's webhook message, as one JSON parameter for webhooksInsert. */
const webhookPayloads = (rows: readonly Row[]) =>
  JSON.stringify(
    rows.map(({ job: { origin }, id }) => {
      const { request: req, evaluation: ev } = origin;
      const rule = ev.approval!;
      return { ...slackMessage(`:hourglass: ${req.agent} asks to run *${req.tool}* for ${req.tenant}: needs ${rule.quorum} approval(s)${rule.group ? ` from ${rule.group}` : ""}.`, ev.reasons[0]?.message), requestId: id };
    }),
  );

// A delivery of every payload in JSON parameter `param` to every URL in the approval_webhooks
// setting (lib/controls/settings.ts, validated when written), read by the statement itself so
// that opening requests needs no round trip to read the settings first.
const webhooksInsert = (param: string) => `INSERT INTO "WebhookDelivery" ("id","url","event","payload")
  SELECT gen_random_uuid()::text, u."url", 'approval.requested', p."payload"::jsonb
  FROM json_array_elements(${param}::json) AS p("payload"),
    (SELECT jsonb_array_elements_text(s."value") AS "url" FROM "Setting" s WHERE s."key" = 'approval_webhooks') AS u`;

const auditOf = ({ job: { principal, origin }, id, expiresAt }: Row): AuditInput => {
  const { request: req, evaluation: ev } = origin;
  const rule = ev.approval!;
  return {
    actor: principal.actor,
    action: "approval.request",
    target: `approval:${id}`,
    after: { tool: req.tool, tenant: req.tenant, quorum: rule.quorum, group: rule.group, source: rule.source, expiresAt },
    policyVersion: ev.policyVersion,
    generation: ev.generation,
    request: principal.request,
  };
};

const REQUEST_COLUMNS = [
  "id", "decisionId", "agentId", "tenant", "session", "tool", "args", "blastRadius", "reversal", "initiator", "source",
  "quorum", "reviewerGroup", "rejectThreshold", "policyVersion", "generation", "idempotencyKey", "tokenId", "expiresAt",
] as const;
const cols = (names: readonly string[]) => names.map((c) => `"${c}"`).join(",");
// The chain entries, the webhook deliveries and the requests, each set as one JSON parameter.
// Columns left out take their defaults (status, createdAt, attempts, nextAttemptAt).
const OPEN_INSERT = `WITH ev AS (${chainInsert("$1")}),
  wh AS (${webhooksInsert("$2")})
INSERT INTO "ActionRequest" (${cols(REQUEST_COLUMNS)})
  SELECT ${REQUEST_COLUMNS.map((c) => (c === "rejectThreshold" ? `coalesce(r."rejectThreshold", 1)` : `r."${c}"`)).join(",")}
  FROM json_populate_recordset(NULL::"ActionRequest", $3::json) AS r`;

/**
 * A batch in which no request carries an idempotency key, so none can already be open: one
 * statement writes the requests, their webhook deliveries and their audit events, all or none.
 */
async function insertAll(db: Db | Tx, jobs: readonly Pick<Job, "principal" | "origin">[]): Promise<Opened[]> {
  const rows = jobs.map(newRow);
  await db.$executeRawUnsafe(OPEN_INSERT, chainParam(rows.map(auditOf)), webhookPayloads(rows), JSON.stringify(rows.map(requestRow)));
  return rows.map((r) => ({ id: r.id, existing: false }));
}
