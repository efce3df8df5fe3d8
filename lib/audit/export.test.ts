import assert from "node:assert/strict";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import * as tar from "tar";
import type { BundleDecision, BundleEvent, BundleManifest } from "@/lib/audit/bundle-format";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { GENESIS_HASH, chainHash, type HashedEvent } from "@/lib/audit/event";
import { exportBundle } from "@/lib/audit/export";
import { leafHash, rootFromProof } from "@/lib/audit/merkle";
import { recordAudit } from "@/lib/audit/record";
import { sealTick } from "@/lib/audit/seal";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let work: string;
const exporter = { type: "user" as const, id: "u-export", name: "exporter" };

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  work = await mkdtemp(path.join(tmpdir(), "gov-export-test-"));
  const api = await startApiServer(store);
  const support = agentClient(api.url, SUPPORT_TOKEN);
  try {
    for (const batch of [7, 5]) {
      // Read before deciding: the writer's 250 ms timer may write (and seal) some of them early.
      const sealedBefore = await store.prisma.decisionBatch.aggregate({ _sum: { count: true } });
      for (let i = 0; i < batch; i++) await support.decide({ agent: "support-bot", tenant: "acme", session: `s${i}`, tool: i % 3 ? "search_kb" : "drop_table" });
      await api.dp.log.flush();
      // The writer seals what it writes: every decision is in a batch, and the stray-row sealer
      // finds nothing left to do.
      const sealedAfter = await store.prisma.decisionBatch.aggregate({ _sum: { count: true } });
      assert.equal((sealedAfter._sum.count ?? 0) - (sealedBefore._sum.count ?? 0), batch);
      assert.equal(await store.prisma.decisionLog.count({ where: { batchId: null } }), 0);
      assert.equal(await sealTick(store.prisma), 0);
      await checkpointTick(store.prisma);
    }
  } finally {
    await api.close();
  }
  // Awkward CSV content: a comma, quotes and a newline, and a would-be spreadsheet formula.
  await recordAudit(store.prisma, { actor: exporter, action: "test.export", target: 'Export-Target, "quoted"\nline', reason: "=HYPERLINK(1)" });
  for (let i = 0; i < 3; i++) await recordAudit(store.prisma, { actor: exporter, action: "test.export", target: `export-target-${i}` });
  for (let i = 0; i < 3; i++) await recordAudit(store.prisma, { actor: world.principals.admin.actor, action: "test.other", target: `other-${i}` });
});
after(async () => {
  await store.close();
  await rm(work, { recursive: true, force: true });
});

/** Exports, saves the archive, unpacks it and reads every file. */
async function exportAndOpen(filters: Parameters<typeof exportBundle>[1]["filters"]) {
  const exp = await exportBundle(store.prisma, { filters, actor: exporter });
  const dir = await mkdtemp(path.join(work, "x-"));
  const archive = path.join(dir, exp.filename);
  const source = exp.stream as unknown as { path: string };
  await pipeline(exp.stream, createWriteStream(archive));
  await new Promise((r) => setImmediate(r));
  await exp.cleanup();
  assert.equal(existsSync(source.path), false, "the temp archive is removed once streamed");
  await tar.x({ file: archive, cwd: dir });
  const text = (name: string) => readFile(path.join(dir, name), "utf8");
  const jsonl = async <T>(name: string) => (await text(name)).split("\n").filter(Boolean).map((l) => JSON.parse(l) as T);
  return {
    exp,
    manifest: JSON.parse(await text("manifest.json")) as BundleManifest,
    events: await jsonl<BundleEvent>("events.jsonl"),
    csv: await text("events.csv"),
    matched: (await text("matched.txt")).split("\n").filter(Boolean).map(Number),
    checkpoints: await jsonl<{ seq: number; hash: string; keyId: string }>("checkpoints.jsonl"),
    keys: JSON.parse(await text("keys.json")) as { keyId: string }[],
    decisions: await jsonl<BundleDecision>("decisions.jsonl"),
    readme: await text("README.md"),
    size: exp.size,
  };
}

describe("audit export bundle", () => {
  it("without filters holds the whole chain, every checkpoint, key and sealed decision", async () => {
    const b = await exportAndOpen({});
    const head = (await store.prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq!;
    assert.match(b.exp.filename, new RegExp(`^governor-audit-1-${head}-\\d{8}T\\d{6}Z\\.tar\\.gz$`));
    assert.ok(b.size > 0);
    assert.equal(b.manifest.format, "governor-audit-bundle/1");
    assert.deepEqual(b.manifest.exportedBy, exporter);
    assert.deepEqual({ from: b.manifest.range.fromSeq, to: b.manifest.range.toSeq }, { from: 1, to: head });
    assert.equal(b.manifest.prevHash, GENESIS_HASH);
    assert.deepEqual(b.events.map((e) => e.seq), Array.from({ length: head }, (_, i) => i + 1));
    let prev = GENESIS_HASH;
    for (const { prevHash, hash, ...e } of b.events) {
      assert.equal(prevHash, prev);
      assert.equal(chainHash(prevHash, e as HashedEvent), hash, `event ${e.seq} hashes as exported`);
      prev = hash;
    }
    assert.equal(b.manifest.firstHash, b.events[0]!.hash);
    assert.equal(b.manifest.lastHash, prev);
    assert.deepEqual(b.matched, b.events.map((e) => e.seq));

    const cps = await store.prisma.auditCheckpoint.findMany({ orderBy: { seq: "asc" } });
    assert.ok(cps.length >= 3);
    assert.deepEqual(b.checkpoints.map((c) => c.seq), cps.map((c) => c.seq));
    assert.equal(b.checkpoints.at(-1)!.seq, head, "the export signs the head first");
    assert.deepEqual(b.keys.map((k) => k.keyId), [...new Set(cps.map((c) => c.keyId))]);

    const batches = await store.prisma.decisionBatch.findMany({ orderBy: { auditSeq: "asc" } });
    assert.equal(b.decisions.length, 12);
    assert.deepEqual({ ...b.manifest.counts }, { events: head, matched: head, checkpoints: cps.length, keys: b.keys.length, decisions: 12, batches: batches.length });
    for (const d of b.decisions) {
      const batch = batches.find((x) => x.auditSeq === d.auditSeq)!;
      const root = rootFromProof(leafHash(d.decision), d.index, d.size, d.path.map((h) => Buffer.from(h, "hex")));
      assert.equal(root?.toString("hex"), batch.root, `decision ${d.index} of batch ${d.auditSeq} proves`);
      assert.equal(b.events.find((e) => e.seq === d.auditSeq)!.action, "decisions.seal");
    }
    // Leaves in batch order, each batch numbered from 0 (7 then 5, unless the writer's timer split one).
    assert.deepEqual(b.decisions.map((d) => d.index), batches.flatMap((x) => Array.from({ length: x.count }, (_, i) => i)));

    const lines = b.csv.split("\r\n");
    assert.equal(lines[0], "seq,at,actorType,actorId,actorName,action,target,before,after,reason,policyVersion,generation,requestIp,userAgent,prevHash,hash");
    const odd = b.events.find((e) => e.reason === "=HYPERLINK(1)")!;
    assert.ok(b.csv.includes(`\r\n${odd.seq},${odd.at},user,u-export,exporter,test.export,"Export-Target, ""quoted""\nline",,,'=HYPERLINK(1),,,,,${odd.prevHash},${odd.hash}\r\n`));
    const seal = b.events.find((e) => e.action === "decisions.seal")!;
    // The cell is the stored value's JSON text (events.jsonl has it canonical, keys sorted).
    const stored = (await store.prisma.auditEvent.findUniqueOrThrow({ where: { seq: seal.seq } })).after;
    assert.deepEqual(stored, seal.after);
    assert.ok(b.csv.includes(`"${JSON.stringify(stored).replace(/"/g, '""')}"`), "JSON columns hold JSON text, quoted");
    assert.equal(lines.filter((l) => /^\d+,/.test(l)).length, head);
    assert.match(b.readme, /npx governor-audit-verify/);
    assert.match(b.readme, /Trust only the public key/);
  });

  it("with filters exports the contiguous range from the first match to the checkpoint covering the last", async () => {
    const matches = await store.prisma.auditEvent.findMany({ where: { action: "test.export" }, orderBy: { seq: "asc" } });
    const head = (await store.prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq!;
    const lastCp = await store.prisma.auditCheckpoint.findFirstOrThrow({ where: { seq: { gte: matches.at(-1)!.seq } }, orderBy: { seq: "asc" } });
    assert.equal(lastCp.seq, head, "the three test.other events after the last match are covered by the head checkpoint");

    for (const filters of [{ action: "test.exp" }, { actor: "exporter" }, { actor: "u-export", target: "export-target" }, { q: "EXPORT-TARGET" }]) {
      const b = await exportAndOpen(filters);
      const want = filters.target ? matches.filter((m) => m.target.startsWith("export-target")) : matches;
      assert.deepEqual(b.matched, want.map((m) => m.seq), JSON.stringify(filters));
      assert.equal(b.manifest.range.fromSeq, want[0]!.seq);
      assert.equal(b.manifest.range.toSeq, head);
      assert.deepEqual(b.events.map((e) => e.seq), Array.from({ length: head - want[0]!.seq + 1 }, (_, i) => want[0]!.seq + i));
      assert.equal(b.manifest.prevHash, b.events[0]!.prevHash);
      assert.notEqual(b.manifest.prevHash, GENESIS_HASH);
      assert.deepEqual(b.checkpoints.map((c) => c.seq), [head], "only the covering checkpoint lies in this range");
      assert.equal(b.decisions.length, 0, "no seal event in this range");
      assert.deepEqual(b.manifest.filters, filters);
      assert.equal(b.manifest.counts.matched, want.length);
    }
  });

  it("a time window picks the events in it, seal events bring their decisions", async () => {
    const seals = await store.prisma.auditEvent.findMany({ where: { action: "decisions.seal" }, orderBy: { seq: "asc" } });
    // Usually one seal per flush (two), more if the writer's 250 ms timer split a flush.
    assert.ok(seals.length >= 2);
    const b = await exportAndOpen({ from: seals[0]!.at.toISOString(), to: seals.at(-1)!.at.toISOString(), action: "decisions." });
    assert.deepEqual(b.matched, seals.map((s) => s.seq));
    assert.equal(b.manifest.range.fromSeq, seals[0]!.seq);
    assert.ok(b.manifest.range.toSeq >= seals.at(-1)!.seq);
    assert.deepEqual({ decisions: b.manifest.counts.decisions, batches: b.manifest.counts.batches }, { decisions: 12, batches: seals.length });
  });

  it("refuses an export that matches nothing, and bad filters by name", async () => {
    await assert.rejects(exportBundle(store.prisma, { filters: { action: "no.such.action" } }), { code: "not_found", message: "No audit events match these filters." });
    await assert.rejects(exportBundle(store.prisma, { filters: { from: "yesterday" } }), (e: { code: string; fields: { path: string }[] }) => e.code === "validation_failed" && e.fields[0]!.path === "from");
  });

});
