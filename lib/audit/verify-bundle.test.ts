import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { createWriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import * as tar from "tar";
import { BUNDLE_FILE_NAMES, type BundleKey, type BundleManifest } from "@/lib/audit/bundle-format";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { canonicalJson, chainHash, type HashedEvent } from "@/lib/audit/event";
import { exportBundle } from "@/lib/audit/export";
import { keyIdOf, publicKeys } from "@/lib/audit/keys";
import { recordAudit } from "@/lib/audit/record";
import { sealTick } from "@/lib/audit/seal";
import { verifyBundle, type VerifyReport } from "@/lib/audit/verify-bundle";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld } from "@/lib/test/world";

const run = promisify(execFile);
const actor = { type: "user" as const, id: "u-verify", name: "verifier" };
let store: TestStore;
let work: string;
let bundle: string; // the clean archive
let clean: string; // its files, unpacked
let seq: Record<string, number>; // target → seq of the test events
// The server's own 1-second seal timer may seal the six decisions in one batch or, on a loaded
// machine, in two; the expectations follow what the store holds.
let batchCount: number;
let checkpointSeqs: number[];

before(async () => {
  store = await openTestStore();
  await seedWorld(store);
  const api = await startApiServer(store);
  const support = agentClient(api.url, SUPPORT_TOKEN);
  try {
    // Side by side, so the writer's 250 ms flushes seal them as one batch or a few, not six of one.
    await Promise.all(Array.from({ length: 6 }, () => support.decide({ agent: "support-bot", tenant: "acme", session: "v", tool: "search_kb" })));
    await api.dp.log.flush();
    await sealTick(store.prisma);
  } finally {
    await api.close();
  }
  // The server's seal timer may have held the seal lock when sealTick ran, which then skips.
  while (await store.prisma.decisionLog.count({ where: { batchId: null } })) await sealTick(store.prisma);
  for (let i = 0; i < 8; i++) await recordAudit(store.prisma, { actor, action: "test.verify", target: `mid-${i}` });
  await checkpointTick(store.prisma);
  for (let i = 0; i < 4; i++) await recordAudit(store.prisma, { actor, action: "test.verify", target: `tail-${i}` });
  const exp = await exportBundle(store.prisma, { filters: {} });

  work = await mkdtemp(path.join(tmpdir(), "gov-verify-test-"));
  bundle = path.join(work, exp.filename);
  await pipeline(exp.stream, createWriteStream(bundle));
  clean = path.join(work, "clean");
  await mkdir(clean);
  await tar.x({ file: bundle, cwd: clean });
  const rows = await store.prisma.auditEvent.findMany({ where: { action: "test.verify" } });
  seq = Object.fromEntries(rows.map((r) => [r.target, r.seq]));
  batchCount = await store.prisma.decisionBatch.count();
  checkpointSeqs = (await store.prisma.auditCheckpoint.findMany({ orderBy: { seq: "asc" } })).map((c) => c.seq);
});
after(async () => {
  await store.close();
  await rm(work, { recursive: true, force: true });
});

type Files = { manifest: BundleManifest; keys: BundleKey[]; events: string[]; checkpoints: string[]; decisions: string[]; matched: string[] };
let n = 0;

/** Copies the clean bundle, lets `change` rewrite it and re-packs it; returns the archive. */
async function repack(change: (f: Files) => void): Promise<string> {
  const dir = path.join(work, `t${n++}`);
  await cp(clean, dir, { recursive: true });
  const lines = async (name: string) => (await readFile(path.join(dir, name), "utf8")).split("\n").filter(Boolean);
  const f: Files = {
    manifest: JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")),
    keys: JSON.parse(await readFile(path.join(dir, "keys.json"), "utf8")),
    events: await lines("events.jsonl"),
    checkpoints: await lines("checkpoints.jsonl"),
    decisions: await lines("decisions.jsonl"),
    matched: await lines("matched.txt"),
  };
  change(f);
  const write = (name: string, l: string[]) => writeFile(path.join(dir, name), l.map((x) => x + "\n").join(""));
  await Promise.all([
    writeFile(path.join(dir, "manifest.json"), JSON.stringify(f.manifest, null, 2)),
    writeFile(path.join(dir, "keys.json"), JSON.stringify(f.keys, null, 2)),
    write("events.jsonl", f.events), write("checkpoints.jsonl", f.checkpoints), write("decisions.jsonl", f.decisions), write("matched.txt", f.matched),
  ]);
  const archive = `${dir}.tar.gz`;
  await tar.c({ gzip: true, cwd: dir, file: archive }, [...BUNDLE_FILE_NAMES]);
  return archive;
}
const tampered = async (change: (f: Files) => void): Promise<VerifyReport> => verifyBundle(await repack(change));

/** An Ed25519 key pair that is not Governor's, as a forger would make one. */
function forgedKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const keyId = keyIdOf(publicKey);
  const entry: BundleKey = { keyId, algorithm: "Ed25519", publicKey: publicKey.export({ format: "pem", type: "spki" }).toString(), createdAt: new Date().toISOString(), retiredAt: null };
  const signCheckpoint = (seq: number, hash: string) => {
    const at = new Date().toISOString();
    return JSON.stringify({ seq, hash, at, keyId, signature: sign(null, Buffer.from(canonicalJson({ seq, hash, at, keyId })), privateKey).toString("base64") });
  };
  return { entry, signCheckpoint };
}

const lineOf = (lines: string[], s: number) => lines.findIndex((l) => JSON.parse(l).seq === s);
const edit = (line: string, change: (v: Record<string, any>) => void) => {
  const v = JSON.parse(line);
  change(v);
  return JSON.stringify(v);
};
const failure = (r: VerifyReport) => (r.ok ? r : { kind: r.kind, seq: r.seq });

describe("offline bundle verifier", () => {
  it("verifies a clean bundle: hashes, links, checkpoints, decision proofs", async () => {
    const r = await verifyBundle(bundle);
    assert.ok(r.ok, JSON.stringify(r));
    const head = (await store.prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq!;
    assert.equal(r.events, head);
    assert.deepEqual({ from: r.range.fromSeq, to: r.range.toSeq }, { from: 1, to: head });
    assert.equal(r.checkpoints.verified, checkpointSeqs.length);
    assert.ok(checkpointSeqs.length >= 2 && checkpointSeqs.includes(seq["mid-7"]!), "a checkpoint sits inside the range");
    assert.deepEqual(r.checkpoints.keyIds, (await publicKeys(store.prisma)).map((k) => k.keyId));
    assert.ok(batchCount >= 1);
    assert.deepEqual(r.decisions, { proven: 6, batches: batchCount });
    assert.ok((await verifyBundle(clean)).ok, "an unpacked directory verifies too");
  });

  it("trusts only the given key when one is passed", async () => {
    const [key] = await publicKeys(store.prisma);
    assert.ok((await verifyBundle(bundle, { trustedKeys: [key!.publicKey] })).ok);
    assert.deepEqual(failure(await verifyBundle(bundle, { trustedKeys: [forgedKey().entry.publicKey] })), { kind: "unknown_key", seq: checkpointSeqs[0] });
  });

  it("modified: a changed field", async () => {
    const s = seq["mid-3"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.events, s);
      f.events[i] = edit(f.events[i]!, (e) => (e.target = "mid-3-forged"));
    });
    assert.deepEqual(failure(r), { kind: "modified", seq: s });
  });

  it("modified: a changed and re-hashed event is caught by its successor's link", async () => {
    const s = seq["mid-3"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.events, s);
      f.events[i] = edit(f.events[i]!, (e) => {
        e.target = "mid-3-forged";
        const { prevHash, hash: _old, ...event } = e;
        e.hash = chainHash(prevHash, event as HashedEvent);
      });
    });
    assert.deepEqual(failure(r), { kind: "modified", seq: s + 1 });
  });

  it("deleted: a missing event", async () => {
    const s = seq["mid-5"]!;
    const r = await tampered((f) => void f.events.splice(lineOf(f.events, s), 1));
    assert.deepEqual(failure(r), { kind: "deleted", seq: s });
  });

  it("inserted: a second event with an existing seq", async () => {
    const s = seq["mid-2"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.events, s);
      f.events.splice(i + 1, 0, edit(f.events[i]!, (e) => (e.target = "smuggled")));
    });
    assert.deepEqual(failure(r), { kind: "inserted", seq: s });
  });

  it("modified: a line whose leading seq member is contradicted by a second one later in the line", async () => {
    const s = seq["mid-2"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.events, s);
      // JSON.parse keeps the last duplicate; the seq scan reads a leading one (the exporter's
      // lines lead with "action", so one is put in front).
      f.events[i] = `{"seq":${s},${f.events[i]!.slice(1).replace(/}$/, `,"seq":${s + 1}}`)}`;
    });
    assert.deepEqual(failure(r), { kind: "modified", seq: s });
  });

  it("reads lines that do not begin with seq, and CRLF line ends, as their JSON says", async () => {
    const r = await tampered((f) => {
      f.events = f.events.map((l, i) => {
        if (i % 2) return l + "\r";
        const { seq: sq, ...rest } = JSON.parse(l);
        return JSON.stringify({ ...rest, seq: sq });
      });
    });
    assert.ok(r.ok, JSON.stringify(r));
    const moved = await tampered((f) => {
      const i = lineOf(f.events, seq["mid-4"]!);
      const j = lineOf(f.events, seq["mid-6"]!);
      const { seq: sq, ...rest } = JSON.parse(f.events[i]!);
      [f.events[i], f.events[j]] = [f.events[j]!, JSON.stringify({ ...rest, seq: sq })];
    });
    assert.deepEqual(failure(moved), { kind: "reordered", seq: seq["mid-4"] });
  });

  it("reordered: two events swapped", async () => {
    const [a, b] = [seq["mid-1"]!, seq["mid-4"]!];
    const r = await tampered((f) => {
      const [i, j] = [lineOf(f.events, a), lineOf(f.events, b)];
      [f.events[i], f.events[j]] = [f.events[j]!, f.events[i]!];
    });
    assert.deepEqual(failure(r), { kind: "reordered", seq: a });
  });

  it("truncated: the tail cut off with the manifest fixed up; only the signed checkpoints give it away", async () => {
    const head = seq["tail-3"]!;
    const cutTo = (f: Files, last: number) => {
      f.events = f.events.filter((l) => JSON.parse(l).seq <= last);
      f.matched = f.matched.filter((l) => Number(l) <= last);
      const lastEvent = JSON.parse(f.events.at(-1)!);
      Object.assign(f.manifest.range, { toSeq: last, toTime: lastEvent.at });
      Object.assign(f.manifest.counts, { events: f.events.length, matched: f.matched.length });
      f.manifest.lastHash = lastEvent.hash;
    };
    assert.equal(checkpointSeqs.at(-1), head);
    // The head checkpoint is left in place: it lies beyond the last event.
    const cut = await tampered((f) => cutTo(f, head - 2));
    assert.deepEqual(failure(cut), { kind: "truncated", seq: head - 1 });
    assert.match(!cut.ok ? cut.detail : "", new RegExp(`checkpoint covers sequence ${head}, but the events end at ${head - 2}`));
    // The head checkpoint removed as well: now nothing signs the last event.
    const r = await tampered((f) => {
      cutTo(f, head - 2);
      f.checkpoints = f.checkpoints.filter((l) => JSON.parse(l).seq <= head - 2);
      f.manifest.counts.checkpoints = f.checkpoints.length;
    });
    assert.deepEqual(failure(r), { kind: "truncated", seq: head - 1 });
    // Without the manifest fix-up the range end already says so.
    assert.deepEqual(failure(await tampered((f) => (f.events = f.events.slice(0, -2)))), { kind: "truncated", seq: head - 1 });
  });

  it("bad_signature: a corrupted checkpoint signature", async () => {
    const s = seq["mid-7"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.checkpoints, s);
      f.checkpoints[i] = edit(f.checkpoints[i]!, (c) => {
        const sig = Buffer.from(c.signature, "base64");
        sig[10] = sig[10]! ^ 0xff;
        c.signature = sig.toString("base64");
      });
    });
    assert.deepEqual(failure(r), { kind: "bad_signature", seq: s });
  });

  it("unknown_key: a checkpoint naming a key the bundle does not hold", async () => {
    const s = seq["mid-7"]!;
    const r = await tampered((f) => {
      const i = lineOf(f.checkpoints, s);
      f.checkpoints[i] = edit(f.checkpoints[i]!, (c) => (c.keyId = "ffffffffffffffff"));
    });
    assert.deepEqual(failure(r), { kind: "unknown_key", seq: s });
  });

  it("modified: a validly signed checkpoint whose hash is not the event's", async () => {
    const s = seq["mid-7"]!;
    const forger = forgedKey();
    const r = await tampered((f) => {
      f.keys.push(forger.entry);
      f.checkpoints[lineOf(f.checkpoints, s)] = forger.signCheckpoint(s, "ab".repeat(32));
    });
    assert.deepEqual(failure(r), { kind: "modified", seq: s });
  });

  it("a chain re-hashed and re-signed with a forger's key passes only when keys.json is trusted", async () => {
    const forger = forgedKey();
    const from = seq["mid-3"]!;
    const archive = await repack((f) => {
      let prev = "";
      f.events = f.events.map((line) =>
        edit(line, (e) => {
          if (e.seq < from) return void (prev = e.hash);
          if (e.seq === from) e.target = "rewritten history";
          e.prevHash = prev;
          const { prevHash, hash: _old, ...event } = e;
          prev = e.hash = chainHash(prevHash, event as HashedEvent);
        }),
      );
      const hashAt = new Map(f.events.map((l) => [JSON.parse(l).seq as number, JSON.parse(l).hash as string]));
      f.checkpoints = f.checkpoints.map((l) => (JSON.parse(l).seq >= from ? forger.signCheckpoint(JSON.parse(l).seq, hashAt.get(JSON.parse(l).seq)!) : l));
      f.keys.push(forger.entry);
      f.manifest.lastHash = prev;
    });
    assert.ok((await verifyBundle(archive)).ok, "self-consistent: this is why only the public key may be trusted");
    const [real] = await publicKeys(store.prisma);
    assert.deepEqual(failure(await verifyBundle(archive, { trustedKeys: [real!.publicKey] })), { kind: "unknown_key", seq: checkpointSeqs.find((c) => c >= from) });
  });

  it("modified: a tampered decision fails its inclusion proof", async () => {
    const lines = (await readFile(path.join(clean, "decisions.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as { auditSeq: number; index: number });
    // The leaf with the highest index: past 0, so the proof has a path to get wrong, and the line
    // before it is in the same batch. (Not simply the last line: the writer seals each flush, and
    // on PostgreSQL the last flush can hold a single decision.)
    const at = lines.reduce((best, l, i) => (l.index > lines[best]!.index ? i : best), 0);
    const { auditSeq, index } = lines[at]!;
    assert.ok(index >= 1, "the fixture has a batch of at least two decisions");
    const r = await tampered((f) => {
      f.decisions[at] = edit(f.decisions[at]!, (d) => (d.decision.decision = d.decision.decision === "allow" ? "deny" : "allow"));
    });
    assert.deepEqual(failure(r), { kind: "modified", seq: auditSeq });
    assert.ok(!r.ok && new RegExp(`index ${index}\\b`).test(r.detail), !r.ok ? r.detail : "");
    const dropped = await tampered((f) => {
      f.decisions.splice(at - 1, 1);
      f.manifest.counts.decisions -= 1;
    });
    assert.deepEqual(failure(dropped), { kind: "deleted", seq: auditSeq });
  });

  it("checks a batch's proofs whatever their order, and names the first line at fault", async () => {
    const lines = (await readFile(path.join(clean, "decisions.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l) as { auditSeq: number; index: number; path: string[] });
    const at = lines.reduce((best, l, i) => (l.index > lines[best]!.index ? i : best), 0);
    const { auditSeq, index } = lines[at]!;
    assert.ok(index >= 1 && lines[at - 1]!.auditSeq === auditSeq, "the fixture has a batch of at least two decisions");
    // The same batch with two lines swapped: every proof still holds.
    const swapped = await tampered((f) => void ([f.decisions[at - 1], f.decisions[at]] = [f.decisions[at]!, f.decisions[at - 1]!]));
    assert.ok(swapped.ok, JSON.stringify(swapped));
    // The leaf intact but one step of its path changed: the batch's tree is right, the proof is not.
    const badPath = await tampered((f) => {
      f.decisions[at] = edit(f.decisions[at]!, (d) => (d.path[0] = d.path[0].replace(/^./, (c: string) => (c === "0" ? "1" : "0"))));
    });
    assert.deepEqual(failure(badPath), { kind: "modified", seq: auditSeq });
    assert.ok(!badPath.ok && new RegExp(`index ${index}\\b`).test(badPath.detail), !badPath.ok ? badPath.detail : "");
    // A line given twice.
    const twice = await tampered((f) => {
      f.decisions.splice(at, 0, f.decisions[at - 1]!);
      f.manifest.counts.decisions += 1;
    });
    assert.deepEqual(failure(twice), { kind: "inserted", seq: auditSeq });
    // A bad proof before a line that is not a decision: the bad proof is named.
    const both = await tampered((f) => {
      f.decisions[at - 1] = edit(f.decisions[at - 1]!, (d) => (d.decision.tool = "x"));
      f.decisions[at] = f.decisions[at]!.replace('"path":', '"path":7,"p":');
    });
    assert.deepEqual(failure(both), { kind: "modified", seq: auditSeq });
    assert.ok(!both.ok && new RegExp(`index ${lines[at - 1]!.index}\\b.*does not prove`).test(both.detail), !both.ok ? both.detail : "");
  });

  it("the CLI and the bin shim exit 0 on a clean bundle, 1 naming the failure, 2 on misuse", async () => {
    const cli = (args: string[], opts: { cwd?: string } = {}) =>
      run(process.execPath, args, { cwd: opts.cwd ?? process.cwd() }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
      );
    const script = path.resolve("scripts/audit-verify.ts");
    const ok = await cli(["--import", "tsx", script, bundle]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, new RegExp(`^Audit bundle OK: ${seq["tail-3"]} events, sequence 1–${seq["tail-3"]} `));
    assert.match(ok.out, new RegExp(`checkpoints: ${checkpointSeqs.length} Ed25519 signatures verified`));
    assert.match(ok.out, new RegExp(`decisions: 6 inclusion proofs checked against ${batchCount} sealed batch`));

    const s = seq["mid-5"]!;
    await tampered((f) => void f.events.splice(lineOf(f.events, s), 1));
    const bad = await cli(["--import", "tsx", script, `${path.join(work, `t${n - 1}`)}.tar.gz`]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, new RegExp(`^Audit bundle FAILED at sequence ${s} \\(deleted\\): sequence ${s} is missing`));

    assert.equal((await cli(["--import", "tsx", script])).code, 2);
    assert.equal((await cli(["--import", "tsx", script, path.join(work, "nope.tar.gz")])).code, 2);

    // The installed command, run from elsewhere: it must find its own tsconfig for the @/ paths.
    const shim = await cli([path.resolve("bin/governor-audit-verify.mjs"), bundle], { cwd: tmpdir() });
    assert.equal(shim.code, 0, shim.err);
    assert.match(shim.out, /^Audit bundle OK/);
  });
});
