// The verifier reads the archive as a stream and event lines from their bytes (bundle-reader.ts,
// event-scan.ts, event-line.ts): these tests hold its verdicts to those of the format, whatever
// the order of the files in the archive and whatever form the lines take.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, truncate, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { after, before, describe, it } from "node:test";
import * as tar from "tar";
import { BUNDLE_FILE_NAMES } from "@/lib/audit/bundle-format";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { exportBundle } from "@/lib/audit/export";
import { recordAudit } from "@/lib/audit/record";
import { sealTick } from "@/lib/audit/seal";
import { verifyBundle, type VerifyReport } from "@/lib/audit/verify-bundle";
import { openTestStore, type TestStore } from "@/lib/test/store";

const actor = { type: "user" as const, id: "u-stream", name: "Zoë \"stream\" tester" };
let store: TestStore;
let work: string;
let clean: string;
let seals: number[];
let n = 0;

before(async () => {
  store = await openTestStore();
  await recordAudit(store.prisma, { actor, action: "test.stream", target: "before", after: { b: 1, a: [1, { y: null, x: "é\n" }] } });
  const at = Date.now();
  await store.prisma.decisionLog.createMany({
    data: Array.from({ length: 5 }, (_, i) => ({
      id: randomUUID(), at: new Date(at + i), agentId: "a", tenant: "t", session: "s", tool: "search_kb", request: { tool: "search_kb", i }, decision: "allow",
      primitive: null, reasons: [], policyVersion: 1, generation: 1, cohort: "stable", latencyUs: 10, tokenId: null, grantId: null, failsafe: false,
    })),
  });
  while (await sealTick(store.prisma));
  for (let i = 0; i < 6; i++) await recordAudit(store.prisma, { actor, action: "test.stream", target: `t-${i}`, reason: i % 2 ? `reason ${i}` : undefined });
  await checkpointTick(store.prisma);
  const exp = await exportBundle(store.prisma, { filters: {} });
  work = await mkdtemp(path.join(tmpdir(), "gov-verify-stream-"));
  const archive = path.join(work, "clean.tar.gz");
  await pipeline(exp.stream, createWriteStream(archive));
  clean = path.join(work, "clean");
  await mkdir(clean);
  await tar.x({ file: archive, cwd: clean });
  seals = (await store.prisma.decisionBatch.findMany()).map((b) => b.auditSeq);
  assert.ok(seals.length >= 1);
});
after(async () => {
  await store.close();
  await rm(work, { recursive: true, force: true });
});

const lines = async (dir: string, name: string) => (await readFile(path.join(dir, name), "utf8")).split("\n").filter(Boolean);
/** A copy of the clean files, changed by `change`, packed with the names in `order`. */
async function pack(order: string[], change: (dir: string) => Promise<void> = async () => {}, opts: { gzip?: boolean } = {}): Promise<string> {
  const dir = path.join(work, `b${n++}`);
  await cp(clean, dir, { recursive: true });
  await change(dir);
  const archive = `${dir}.tar${opts.gzip === false ? "" : ".gz"}`;
  await tar.c({ gzip: opts.gzip !== false, cwd: dir, file: archive }, order);
  return archive;
}
const failure = (r: VerifyReport) => (r.ok ? r : { kind: r.kind, seq: r.seq });
const edit = (dir: string, name: string, change: (l: string[]) => string[]) => lines(dir, name).then((l) => writeFile(path.join(dir, name), change(l).map((x) => `${x}\n`).join("")));
const REVERSED = [...BUNDLE_FILE_NAMES].reverse(); // decisions before events, manifest last

describe("offline verifier, streaming", () => {
  it("verifies the files in any order in the archive, and from a directory, alike", async () => {
    const standard = await verifyBundle(await pack([...BUNDLE_FILE_NAMES]));
    assert.ok(standard.ok, JSON.stringify(standard));
    assert.deepEqual(await verifyBundle(await pack(REVERSED)), standard);
    assert.deepEqual(await verifyBundle(clean), standard);
    assert.ok(standard.decisions.proven === 5);
    // A plain tar, not gzipped, as tar itself reads either.
    assert.deepEqual(await verifyBundle(await pack(REVERSED, undefined, { gzip: false })), standard);
  });

  it("names the same failure whatever the order: a decision proof, an event, a checkpoint", async () => {
    const forged = (dir: string) => edit(dir, "decisions.jsonl", (l) => l.map((x, i) => (i === 2 ? x.replace('"allow"', '"deny"') : x)));
    for (const order of [[...BUNDLE_FILE_NAMES], REVERSED]) {
      assert.deepEqual(failure(await verifyBundle(await pack(order, forged))), { kind: "modified", seq: seals[0] });
      const changed = (dir: string) => edit(dir, "events.jsonl", (l) => l.map((x, i) => (i === 3 ? x.replace('"t-1"', '"t-9"') : x)));
      const s = JSON.parse((await lines(clean, "events.jsonl"))[3]!).seq as number;
      assert.deepEqual(failure(await verifyBundle(await pack(order, changed))), { kind: "modified", seq: s });
      // The proofs of a batch gone, and an event before it changed: the event comes first.
      const both = async (dir: string) => {
        await edit(dir, "decisions.jsonl", () => []);
        await edit(dir, "events.jsonl", (l) => l.map((x, i) => (i === 0 ? x.replace('"before"', '"after"') : x)));
      };
      assert.deepEqual(failure(await verifyBundle(await pack(order, both))), { kind: "modified", seq: 1 });
      assert.deepEqual(failure(await verifyBundle(await pack(order.filter((f) => f !== "checkpoints.jsonl"), both))), { kind: "deleted", seq: null });
    }
  });

  it("counts a bundle file that appears twice as inserted, and an unreadable archive as modified", async () => {
    const twice = await pack([...BUNDLE_FILE_NAMES, "events.jsonl"]);
    const r = await verifyBundle(twice);
    assert.deepEqual(failure(r), { kind: "inserted", seq: null });
    assert.match(!r.ok ? r.detail : "", /events\.jsonl more than once/);
    const cut = await pack([...BUNDLE_FILE_NAMES]);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    const bad = await verifyBundle(cut);
    assert.deepEqual(failure(bad), { kind: "modified", seq: null });
    assert.match(!bad.ok ? bad.detail : "", /cannot be read as \.tar\.gz/);
  });

  it("hashes lines that are not in canonical form as their JSON says, and still catches a change in them", async () => {
    // Spaces, escapes JSON.stringify would not write, 1.0 for 1: the same values, other bytes.
    const respell = (x: string) => x.replace(/":/g, '": ').replace(/"test\.stream"/g, '"test\\u002estream"').replace('"b": 1', '"b": 1.0');
    const r = await verifyBundle(await pack([...BUNDLE_FILE_NAMES], (dir) => edit(dir, "events.jsonl", (l) => l.map(respell))));
    assert.ok(r.ok, JSON.stringify(r));
    const s = JSON.parse((await lines(clean, "events.jsonl"))[4]!).seq as number;
    const changed = await verifyBundle(await pack([...BUNDLE_FILE_NAMES], (dir) => edit(dir, "events.jsonl", (l) => l.map((x, i) => respell(i === 4 ? x.replace(/"t-\d"/, '"t-x"') : x)))));
    assert.deepEqual(failure(changed), { kind: "modified", seq: s });
  });
});
