// The decision-log writer seals each batch as it writes it: the leaves it hashes from memory must
// be exactly what the store gives back, or no inclusion proof would ever verify.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DecisionLogWriter, type DecisionRecord } from "@/lib/dataplane/decision-log";
import { decisionProof } from "@/lib/audit/proof";
import { leafHash, merkleRoot, rootFromProof } from "@/lib/audit/merkle";
import { decisionLeaf, sealTick } from "@/lib/audit/seal";
import { verifyChain } from "@/lib/audit/verify";
import { noteUrgentWrite, urgentWritesRecently } from "@/lib/db/write-pressure";
import { openTestStore, type TestStore } from "@/lib/test/store";

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(async () => store.close());

let n = 0;
function record(over: Partial<DecisionRecord> = {}): DecisionRecord {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    at: new Date(Date.UTC(2026, 10, 28, 12, 0, 0, n)),
    agentId: "support-bot", tenant: "acme", session: `s${n}`, tool: "search_kb",
    request: { agent: "support-bot", tool: "search_kb" },
    decision: "allow", primitive: null, reasons: [], policyVersion: 1, generation: 1, cohort: "stable",
    latencyUs: 90, tokenId: "tok-1", grantId: null, failsafe: false,
    ...over,
  };
}

const leavesOf = async (batchId: number) =>
  (await store.prisma.decisionLog.findMany({ where: { batchId }, orderBy: { batchIndex: "asc" } })).map((r) => leafHash(decisionLeaf(r)));

describe("decision-log writer", () => {
  it("writes each batch sealed: one chain entry whose root the stored rows reproduce, proofs verify", async () => {
    const log = new DecisionLogWriter(store.prisma);
    const awkward = [
      // What JSON and jsonb could disagree on if the leaves were hashed from anything but the JSON
      // the store is given: undefined members, key order, non-ASCII, numbers that print oddly.
      record({ request: { z: 1, a: [1e21, 0.1, -0, 5e-7], text: "naïve ✓ \"quoted\" \\ é", nested: { b: undefined, a: null } } }),
      record({ reasons: [{ primitive: "rate_limit", message: "limit", value: 101, bound: 100 }, { primitive: "x", message: "m", value: undefined }] }),
      record({ tokenId: undefined as unknown as null, primitive: undefined as unknown as null, decision: "deny" }),
      ...Array.from({ length: 1200 }, () => record()), // more than one INSERT chunk (500 rows)
    ];
    for (const r of awkward) log.push(r);
    await log.close();

    assert.equal(await store.prisma.decisionLog.count({ where: { batchId: null } }), 0, "nothing left for the stray-row sealer");
    assert.equal(await sealTick(store.prisma), 0);
    const batches = await store.prisma.decisionBatch.findMany({ orderBy: { id: "asc" } });
    assert.equal(batches.reduce((s, b) => s + b.count, 0), awkward.length);
    for (const b of batches) {
      const leaves = await leavesOf(b.id);
      assert.equal(leaves.length, b.count);
      assert.equal(merkleRoot(leaves).toString("hex"), b.root, `batch ${b.id}: the stored rows reproduce the sealed root`);
      const seal = await store.prisma.auditEvent.findUniqueOrThrow({ where: { seq: b.auditSeq } });
      assert.equal(seal.action, "decisions.seal");
      assert.deepEqual((seal.after as { root: string; count: number }).root, b.root);
    }
    for (const r of awkward.slice(0, 3)) {
      const p = await decisionProof(store.prisma, r.id);
      const root = rootFromProof(leafHash(p.decision), p.index, p.batch.size, p.path.map((h) => Buffer.from(h, "hex")));
      assert.equal(root?.toString("hex"), p.batch.root, `decision ${r.id} proves`);
    }
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });

  it("retries a batch whose commit may have happened without writing its rows twice", async () => {
    const log = new DecisionLogWriter(store.prisma);
    const first = [record(), record()];
    for (const r of first) log.push(r);
    await log.flush();
    // As if the COMMIT had gone through but its answer was lost: the batch comes back to the
    // buffer with more decisions behind it, and the writer has to treat the store as uncertain.
    const internals = log as unknown as { uncertain: boolean; buffer: DecisionRecord[] };
    internals.uncertain = true;
    const later = record();
    internals.buffer.push(...first, later);
    await log.close();
    const ids = [...first, later].map((r) => r.id);
    const rows = await store.prisma.decisionLog.findMany({ where: { id: { in: ids } } });
    assert.equal(rows.length, 3);
    const laterRow = rows.find((r) => r.id === later.id)!;
    assert.notEqual(laterRow.batchId, null);
    assert.equal(await store.prisma.decisionLog.count({ where: { batchId: laterRow.batchId } }), 1, "the retry sealed only the row the store lacked");
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });
  it("writes smaller batches while approval requests are being written on the same store, full ones otherwise", async () => {
    const sizes = async (from: number) => (await store.prisma.decisionBatch.findMany({ where: { id: { gt: from } }, orderBy: { id: "asc" } })).map((b) => b.count);
    const last = async () => (await store.prisma.decisionBatch.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;

    let from = await last();
    const quiet = new DecisionLogWriter(store.prisma);
    for (let i = 0; i < 1500; i++) quiet.push(record());
    await quiet.close();
    assert.deepEqual(await sizes(from), [1000, 500]);

    from = await last();
    const busy = new DecisionLogWriter(store.prisma);
    for (let i = 0; i < 600; i++) busy.push(record());
    noteUrgentWrite(store.prisma);
    await busy.close();
    assert.deepEqual(await sizes(from), [250, 250, 100]);
    assert.equal(urgentWritesRecently(store.prisma, 1_000, Date.now() + 2_000), false, "the signal fades");
  });
});
