import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { appendAudit, appendAuditBatch } from "@/lib/audit/append";
import { GENESIS_HASH, canonicalJson, chainHash, chainTemplate, type AuditInput, type HashedEvent } from "@/lib/audit/event";
import { verifyChain } from "@/lib/audit/verify";
import { onPostgres, openTestStore, type TestStore } from "@/lib/test/store";

const run = promisify(execFile);
const actor = { type: "user" as const, id: "u1", name: "alice" };

describe("canonical JSON (RFC 8785)", () => {
  it("sorts keys and formats numbers as the RFC's examples do", () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, "x"], c: { z: 1e21, y: 0.5 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0.5,"z":1e+21}}');
    assert.equal(canonicalJson({ "\u20ac": "€", "\r": 1 }), '{"\\r":1,"€":"€"}');
  });
  it("chains: hash = SHA-256(prevHash ‖ canonical event)", () => {
    const e: HashedEvent = {
      seq: 1, at: "2026-01-01T00:00:00.000Z", actor, action: "a", target: "t", before: null, after: { k: 1 },
      reason: null, policyVersion: null, generation: 1, request: { ip: null, userAgent: null },
    };
    const h = chainHash(GENESIS_HASH, e);
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.notEqual(chainHash(GENESIS_HASH, { ...e, after: { k: 2 } }), h);
    assert.notEqual(chainHash("1".repeat(64), e), h);
  });
  it("splits the hash input around the event's own seq, whatever the event holds", () => {
    // Values that look like the seq member: nested "seq" keys, and targets and reasons that
    // spell `"seq":0,"target":` (escaped in the canonical text, so never the match).
    const tricky = fc.constantFrom('"seq":0,"target":"x"', '{"seq":0,"target":', "\\u0000\"", "é€😀", "");
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    const event = fc.record({
      seq: fc.nat({ max: 2 ** 31 - 1 }), at: fc.constant("2026-01-01T00:00:00.000Z"), actor: fc.constant(actor),
      action: fc.oneof(tricky, fc.string()), target: fc.oneof(tricky, fc.string()),
      before: fc.oneof(json, fc.record({ seq: fc.integer(), target: tricky })), after: fc.oneof(json, fc.dictionary(fc.constantFrom("seq", "target", "a"), json)),
      reason: fc.option(fc.oneof(tricky, fc.string())), policyVersion: fc.option(fc.nat()), generation: fc.option(fc.nat()),
      request: fc.record({ ip: fc.option(fc.string()), userAgent: fc.option(tricky) }),
    });
    fc.assert(
      fc.property(event, (e: HashedEvent) => {
        const { pre, post } = chainTemplate(e);
        assert.equal(pre + e.seq + post, canonicalJson(e));
        assert.equal(chainTemplate({ ...e, seq: 0 }).pre + 0 + chainTemplate({ ...e, seq: 0 }).post, canonicalJson({ ...e, seq: 0 }));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("audit chain in the store", () => {
  let store: TestStore;
  let dataDir: string | undefined;

  before(async () => {
    // On PGlite the CLI must open the same database, so keep it on disk.
    dataDir = onPostgres() ? undefined : mkdtempSync(path.join(tmpdir(), "gov-audit-"));
    store = await openTestStore({ dataDir: dataDir && path.join(dataDir, "pglite") });
  });
  after(async () => {
    await store.close().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("serialises concurrent appends into one gap-free chain", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.prisma.$transaction((tx) => appendAudit(tx, { actor, action: "test.concurrent", target: `t${i}`, after: { i } })),
      ),
    );
    const report = await verifyChain(store.prisma);
    assert.deepEqual({ ok: report.ok, count: report.count }, { ok: true, count: 20 });
  });

  it("hashes in the store exactly what chainHash hashes, in one statement with or without a transaction", async () => {
    const awkward: AuditInput[] = [
      { actor, action: "test.awkward", target: 'quote " and "seq":1,"target":"x"', reason: "line\nbreak\ttab \u2028 é 😀", after: { seq: 0, target: "t", nested: [{ seq: -1 }, 1e21, 0.1, -0] } },
      { actor: { type: "agent", id: "a\u0001", name: "bell \u0007" }, action: "test.awkward", target: "\\", before: "just a string", after: [null, true, "x"], policyVersion: 3, generation: 9, request: { ip: "::1", userAgent: "UA/1.0 \"q\"" } },
      { actor, action: "test.awkward", target: "", before: 42, after: null },
    ];
    const one = await appendAudit(store.prisma, awkward[0]!);
    const batch = await appendAuditBatch(store.prisma, awkward.slice(1));
    assert.equal(batch.lastSeq - batch.firstSeq, 1);
    assert.equal(batch.firstSeq, one.seq + 1);
    const rows = await store.prisma.auditEvent.findMany({ where: { seq: { gte: one.seq } }, orderBy: { seq: "asc" } });
    assert.equal(rows.length, 3);
    const { seq: _, hash, ...event } = one;
    assert.equal(hash, chainHash(rows[0]!.prevHash, { seq: one.seq, ...event }));
    assert.equal(rows[0]!.hash, hash);
    assert.equal(rows[2]!.hash, batch.lastHash);
    const report = await verifyChain(store.prisma);
    assert.deepEqual({ ok: report.ok, count: report.count }, { ok: true, count: 23 });
  });

  it("leaves no event behind when the surrounding transaction rolls back", async () => {
    await assert.rejects(
      store.prisma.$transaction(async (tx) => {
        await appendAudit(tx, { actor, action: "test.rolled_back", target: "x" });
        throw new Error("boom");
      }),
    );
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "test.rolled_back" } }), 0);
  });

  it("refuses UPDATE and DELETE through the trigger", async () => {
    await assert.rejects(store.rawQuery(`UPDATE "AuditEvent" SET "action" = 'x' WHERE "seq" = 1`), /append-only/);
    await assert.rejects(store.rawQuery(`DELETE FROM "AuditEvent" WHERE "seq" = 1`), /append-only/);
    await assert.rejects(store.rawQuery(`TRUNCATE "AuditEvent"`), /append-only/);
  });

  it("audit:check names the first broken sequence number after an owner bypasses the trigger", async () => {
    // The owner can switch the trigger off; the hash chain still gives the tampering away.
    await store.rawQuery(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await store.rawQuery(`UPDATE "AuditEvent" SET "target" = 'forged' WHERE "seq" = 7`);
    await store.rawQuery(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
    const report = await verifyChain(store.prisma);
    assert.equal(report.ok, false);
    assert.equal(!report.ok && report.firstBrokenSeq, 7);

    const env = { ...process.env, ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : { GOVERNOR_DATA_DIR: dataDir!, DATABASE_URL: "" }) };
    if (!store.databaseUrl) await store.close(); // PGlite has one owner at a time
    const cli = await run(process.execPath, ["--import", "tsx", "scripts/audit-check.ts"], { env }).then(
      () => assert.fail("audit:check should exit non-zero on a broken chain"),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /BROKEN at sequence 7 \(modified\)/);
  });
});
