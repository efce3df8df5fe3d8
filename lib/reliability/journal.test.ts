import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { SYSTEM } from "@/lib/auth/principal";
import type { DecisionRecord } from "@/lib/dataplane/decision-log";
import { Journal, type JournalEntry } from "@/lib/reliability/journal";
import { writeJournalEntries } from "@/lib/reliability/replay";
import { openTestStore, type TestStore } from "@/lib/test/store";

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(async () => {
  await store?.close();
});

const dir = () => mkdtempSync(path.join(tmpdir(), "gov-journal-"));
const decision = (i: number): JournalEntry => {
  const record: DecisionRecord = {
    id: randomUUID(), at: new Date(Date.UTC(2026, 10, 28, 7, 0, 0, i)), agentId: "support-bot", tenant: "acme", session: "j", tool: "search_kb",
    request: { i }, decision: "allow", primitive: null, reasons: [], policyVersion: 1, generation: 1, cohort: "stable", latencyUs: 5, tokenId: null, grantId: null, failsafe: i % 2 === 0,
  };
  return { kind: "decision", record };
};
const audit = (i: number): JournalEntry => ({ kind: "audit", id: randomUUID(), input: { actor: SYSTEM.actor, action: "test.journaled", target: `n:${i}`, after: { i } } });

describe("journal", () => {
  it("is on disk, one JSON line per entry, once append resolves; appends in one interval share one write", async () => {
    const j = new Journal(dir());
    const entries = Array.from({ length: 500 }, (_, i) => decision(i));
    await Promise.all([j.append(entries.slice(0, 250)), j.append(entries.slice(250))]);
    const lines = readFileSync(j.activePath, "utf8").trim().split("\n");
    assert.equal(lines.length, 500);
    assert.equal(JSON.parse(lines[499]!).record.id, (entries[499] as { record: DecisionRecord }).record.id);
    assert.equal(j.synced, 500);
    assert.equal(j.backlog, true);
    await j.close();
  });

  it("drops a torn last line left by a crash mid-write and replays the rest", async () => {
    const d = dir();
    const j = new Journal(d);
    const entries = [decision(1), decision(2)];
    await j.append(entries);
    await j.close();
    appendFileSync(j.activePath, '{"kind":"decision","record":{"id":"torn');
    const again = new Journal(d);
    assert.equal(await again.recover(), 2);
    const seen: JournalEntry[] = [];
    await again.replay(async (batch) => void seen.push(...batch));
    assert.deepEqual(seen, JSON.parse(JSON.stringify(entries)));
    assert.equal(again.backlog, false);
    assert.deepEqual(readdirSync(d), [], "the replayed file is gone");
  });

  it("replays into the store in order and exactly once, even after a crash in the middle of a replay", async () => {
    const d = dir();
    const j = new Journal(d);
    const entries = [decision(0), audit(1), decision(2), decision(3), audit(4), audit(5), decision(6)];
    await j.append(entries);
    // First replay: the store takes the first four entries, then the process "crashes".
    await assert.rejects(
      j.replay(async (batch) => {
        await writeJournalEntries(store.prisma, batch.slice(0, 4));
        throw new Error("crash mid-replay");
      }),
      /crash mid-replay/,
    );
    assert.equal(j.backlog, true, "nothing is deleted before the store has it all");
    await j.close();

    // The next start finds the half-replayed file and replays all of it again.
    const restarted = new Journal(d);
    assert.equal(await restarted.recover(), 7);
    let written = { decisions: 0, audits: 0 };
    await restarted.replay(async (batch) => void (written = await writeJournalEntries(store.prisma, batch)));
    assert.deepEqual(written, { decisions: 1, audits: 2 }, "only what the crashed replay had not written");
    assert.deepEqual(readdirSync(d), []);

    const ids = entries.flatMap((e) => (e.kind === "decision" ? [e.record.id] : []));
    const rows = await store.prisma.decisionLog.findMany({ where: { id: { in: ids } }, orderBy: { at: "asc" } });
    assert.deepEqual(rows.map((r) => r.id), ids);
    assert.deepEqual(rows.map((r) => r.failsafe), [true, true, false, true]);
    const events = await store.prisma.auditEvent.findMany({ where: { action: "test.journaled" }, orderBy: { seq: "asc" } });
    assert.deepEqual(events.map((e) => e.target), ["n:1", "n:4", "n:5"], "each audit event once, in journal order");
    assert.equal((await store.prisma.journalReplay.count()), 3);
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });

  it("sends appends made during a replay to a fresh file and replays them in the same round", async () => {
    const d = dir();
    const j = new Journal(d);
    await j.append([decision(10)]);
    const late = decision(11);
    const seen: string[] = [];
    await j.replay(async (batch) => {
      seen.push(...batch.map((e) => (e.kind === "decision" ? e.record.id : e.id)));
      if (seen.length === 1) await j.append([late]);
    });
    assert.equal(seen.length, 2);
    assert.equal(seen[1], (late as { record: DecisionRecord }).record.id);
    assert.equal(j.backlog, false);
    await j.close();
  });
});
