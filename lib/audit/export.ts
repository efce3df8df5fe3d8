import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { Readable } from "node:stream";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tar from "tar";
import type { Db, Prisma } from "@/lib/db/client";
import type { Actor, HashedEvent } from "@/lib/audit/event";
import { GENESIS_HASH, canonicalJson } from "@/lib/audit/event";
import { canonicalEvent } from "@/lib/audit/canonical-json";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { publicKeys } from "@/lib/audit/keys";
import { auditWhere } from "@/lib/audit/list";
import { batchProofs, leafHash } from "@/lib/audit/merkle";
import { decisionLeaf } from "@/lib/audit/seal";
import { rowToHashed } from "@/lib/audit/verify";
import {
  AuditFiltersSchema, BUNDLE_FILES, BUNDLE_FILE_NAMES, BUNDLE_FORMAT, CSV_COLUMNS, bundleReadme,
  type AuditFilters, type AuditFiltersInput, type BundleEvent, type BundleManifest,
} from "@/lib/audit/bundle-format";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/http/validate";

export interface AuditExport {
  /** The .tar.gz, read from a temp file; the temp files go when it closes or on cleanup(). */
  stream: Readable;
  filename: string;
  /** Bytes, for Content-Length. */
  size: number;
  manifest: BundleManifest;
  cleanup(): Promise<void>;
}

// Events per query. Rows alive across young-generation collections are promoted and wait for a
// major one: 250 rows a page kept a 1M-event export on PostgreSQL at 206–242 MiB peak RSS, 1,000
// at 231–259 MiB (docs/BENCHMARKS-AUDIT.md), in the same time.
const EVENT_PAGE = 250;
const SEQ_PAGE = 50_000;

/**
 * Writes an offline-verifiable bundle of the events matching `filters` (docs/AUDIT_FORMAT.md).
 * Everything goes through temp files page by page, so memory stays flat however long the range.
 * The range runs from the first match to the first signed checkpoint at or after the last match:
 * the events between the last match and that checkpoint are included (matched.txt says which
 * matched) so that a signature covers every line of events.jsonl.
 */
export async function exportBundle(db: Db, opts: { filters: AuditFilters | AuditFiltersInput; actor?: Actor | null; pageSize?: number }): Promise<AuditExport> {
  const filters = parseInput(AuditFiltersSchema, opts.filters);
  await checkpointTick(db);
  // Events appended after the newest checkpoint are not signed yet; they belong to the next export.
  const signedHead = (await db.auditCheckpoint.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
  const where = { AND: [auditWhere(filters), { seq: { lte: signedHead } }] };
  const [first, last] = await Promise.all([
    db.auditEvent.findFirst({ where, orderBy: { seq: "asc" }, select: { seq: true } }),
    db.auditEvent.findFirst({ where, orderBy: { seq: "desc" }, select: { seq: true } }),
  ]);
  if (!first || !last) throw new AppError("not_found", "No audit events match these filters.");
  const cover = await db.auditCheckpoint.findFirstOrThrow({ where: { seq: { gte: last.seq } }, orderBy: { seq: "asc" }, select: { seq: true } });
  const range = { fromSeq: first.seq, toSeq: cover.seq };

  const work = await mkdtemp(path.join(tmpdir(), "governor-audit-export-"));
  const dir = path.join(work, "bundle");
  let cleaned: Promise<void> | undefined;
  const cleanup = () => (cleaned ??= rm(work, { recursive: true, force: true }));
  try {
    await mkdir(dir);
    const file = (name: string) => path.join(dir, name);
    const events = await writeEvents(db, file, range, opts.pageSize ?? EVENT_PAGE);
    const matched = await writeSeqs(db, file(BUNDLE_FILES.matched), { AND: [where, { seq: { gte: range.fromSeq } }] });
    const checkpoints = await writeCheckpoints(db, file(BUNDLE_FILES.checkpoints), range);
    const keys = await publicKeys(db);
    await writeFile(file(BUNDLE_FILES.keys), JSON.stringify(keys, null, 2) + "\n");
    const decisions = await writeDecisions(db, file(BUNDLE_FILES.decisions), range);
    const createdAt = new Date().toISOString();
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      createdAt,
      exportedBy: opts.actor ? { type: opts.actor.type, id: opts.actor.id, name: opts.actor.name } : null,
      filters,
      range: { ...range, fromTime: events.fromTime, toTime: events.toTime },
      counts: { events: events.count, matched, checkpoints, keys: keys.length, decisions: decisions.decisions, batches: decisions.batches },
      prevHash: events.prevHash,
      firstHash: events.firstHash,
      lastHash: events.lastHash,
    };
    await writeFile(file(BUNDLE_FILES.manifest), JSON.stringify(manifest, null, 2) + "\n");
    await writeFile(file(BUNDLE_FILES.readme), bundleReadme(manifest));

    const filename = `governor-audit-${range.fromSeq}-${range.toSeq}-${createdAt.replace(/[-:]|\.\d+/g, "")}.tar.gz`;
    const archive = path.join(work, filename);
    // A small read size keeps node-tar from holding up to 16 MB per file in flight.
    await tar.c({ gzip: true, portable: true, maxReadSize: 1 << 20, cwd: dir, file: archive }, [...BUNDLE_FILE_NAMES]);
    const size = (await stat(archive)).size;
    const stream = createReadStream(archive);
    stream.once("close", () => void cleanup());
    return { stream, filename, size, manifest, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** A line-oriented file writer that waits for the disk when the buffer is full. */
function lineWriter(file: string) {
  const out = createWriteStream(file);
  return {
    async write(text: string) {
      if (!out.write(text)) await once(out, "drain");
    },
    async close() {
      out.end();
      await finished(out);
    },
  };
}

async function writeEvents(db: Db, file: (name: string) => string, range: { fromSeq: number; toSeq: number }, pageSize: number) {
  const jsonl = lineWriter(file(BUNDLE_FILES.events));
  const csv = lineWriter(file(BUNDLE_FILES.csv));
  await csv.write(CSV_COLUMNS.join(",") + "\r\n");
  const out = { count: 0, prevHash: GENESIS_HASH, firstHash: "", lastHash: "", fromTime: "", toTime: "" };
  let cursor = range.fromSeq - 1;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: cursor, lte: range.toSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    // One write per file per page, not two awaited writes per event (two million promises for a
    // million events). Peak RSS did not move with it (docs/BENCHMARKS-AUDIT.md): V8's heap sizing,
    // not these objects, sets the export's growth.
    let lines = "";
    let cells = "";
    for (const row of rows) {
      const event = rowToHashed(row);
      const line: BundleEvent = { ...event, prevHash: row.prevHash, hash: row.hash };
      if (out.count === 0) Object.assign(out, { prevHash: row.prevHash, firstHash: row.hash, fromTime: line.at });
      out.count += 1;
      out.lastHash = row.hash;
      out.toTime = line.at;
      lines += eventLine(event, row.prevHash, row.hash) + "\n";
      cells += csvRow(line) + "\r\n";
    }
    if (rows.length) await Promise.all([jsonl.write(lines), csv.write(cells)]);
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  await Promise.all([jsonl.close(), csv.close()]);
  return out;
}

/**
 * An events.jsonl line: the event's canonical JSON with prevHash and hash as its last two members
 * (docs/AUDIT_FORMAT.md §5.2). The verifier hashes such a line where it stands instead of
 * re-ordering its members (lib/audit/event-line.ts).
 */
function eventLine(event: HashedEvent, prevHash: string, hash: string): string {
  return canonicalEvent(event, { prevHash, hash }) ?? `${canonicalJson(event).slice(0, -1)},"prevHash":${JSON.stringify(prevHash)},"hash":${JSON.stringify(hash)}}`;
}

// Text cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection);
// events.csv is for reading, events.jsonl is what the hashes cover.
function csvCell(value: unknown, kind: "text" | "number" | "json"): string {
  if (value === null || value === undefined) return "";
  let s = kind === "json" ? JSON.stringify(value) : String(value);
  if (kind === "text" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(e: BundleEvent): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    seq: csvCell(e.seq, "number"), at: csvCell(e.at, "text"),
    actorType: csvCell(e.actor.type, "text"), actorId: csvCell(e.actor.id, "text"), actorName: csvCell(e.actor.name, "text"),
    action: csvCell(e.action, "text"), target: csvCell(e.target, "text"),
    before: csvCell(e.before, "json"), after: csvCell(e.after, "json"), reason: csvCell(e.reason, "text"),
    policyVersion: csvCell(e.policyVersion, "number"), generation: csvCell(e.generation, "number"),
    requestIp: csvCell(e.request.ip, "text"), userAgent: csvCell(e.request.userAgent, "text"),
    prevHash: csvCell(e.prevHash, "text"), hash: csvCell(e.hash, "text"),
  };
  return CSV_COLUMNS.map((c) => cells[c]).join(",");
}

async function writeSeqs(db: Db, file: string, where: Prisma.AuditEventWhereInput): Promise<number> {
  const out = lineWriter(file);
  let count = 0;
  let cursor = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { AND: [where, { seq: { gt: cursor } }] }, orderBy: { seq: "asc" }, select: { seq: true }, take: SEQ_PAGE });
    if (rows.length) await out.write(rows.map((r) => r.seq).join("\n") + "\n");
    count += rows.length;
    if (rows.length < SEQ_PAGE) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  await out.close();
  return count;
}

async function writeCheckpoints(db: Db, file: string, range: { fromSeq: number; toSeq: number }): Promise<number> {
  const out = lineWriter(file);
  let count = 0;
  let cursor = range.fromSeq - 1;
  for (;;) {
    const rows = await db.auditCheckpoint.findMany({ where: { seq: { gt: cursor, lte: range.toSeq } }, orderBy: { seq: "asc" }, take: EVENT_PAGE });
    for (const r of rows) await out.write(JSON.stringify({ seq: r.seq, hash: r.hash, at: r.at.toISOString(), keyId: r.keyId, signature: r.signature }) + "\n");
    count += rows.length;
    if (rows.length < EVENT_PAGE) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  await out.close();
  return count;
}

/** Every decision sealed by a decisions.seal event in the range, with its inclusion proof. */
async function writeDecisions(db: Db, file: string, range: { fromSeq: number; toSeq: number }) {
  const out = lineWriter(file);
  let decisions = 0;
  let batches = 0;
  let cursor = range.fromSeq - 1;
  for (;;) {
    const page = await db.decisionBatch.findMany({ where: { auditSeq: { gt: cursor, lte: range.toSeq } }, orderBy: { auditSeq: "asc" }, take: 500 });
    for (const batch of page) {
      // One batch is at most SEAL_BATCH_MAX (10,000) rows; its tree is built once for all proofs.
      const members = await db.decisionLog.findMany({ where: { batchId: batch.id }, orderBy: { batchIndex: "asc" } });
      const leaves = members.map((m) => decisionLeaf(m));
      const tree = batchProofs(leaves.map((l) => leafHash(l)));
      for (let i = 0; i < leaves.length; i++) {
        const line = { decision: leaves[i], auditSeq: batch.auditSeq, index: i, size: leaves.length, path: tree.pathOf(i).map((b) => b.toString("hex")) };
        await out.write(JSON.stringify(line) + "\n");
      }
      decisions += leaves.length;
      batches += 1;
    }
    if (page.length < 500) break;
    cursor = page[page.length - 1]!.auditSeq;
  }
  await out.close();
  return { decisions, batches };
}
