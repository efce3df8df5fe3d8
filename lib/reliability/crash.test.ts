// Crash safety, reduced form for `npm test`: SIGKILL the real server a few times mid-traffic on
// this run's store (a PGlite data directory, or a fresh PostgreSQL database in the PostgreSQL
// pass) and check the invariants after each restart. `npm run test:faults` runs 50+ kills.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkInvariants } from "@/lib/reliability/crash-invariants";
import { runCrashLoop } from "@/lib/reliability/crash-loop";
import { freePort } from "@/lib/test/ports";
import { onPostgres, openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld } from "@/lib/test/world";

const KILLS = 4;

describe("crash safety (SIGKILL at random points)", () => {
  it(`keeps every invariant through ${KILLS} kills on ${onPostgres() ? "PostgreSQL" : "PGlite with a data directory"}`, { timeout: 300_000 }, async () => {
    const port = await freePort();
    const { rounds, violations } = await runCrashLoop({ kind: onPostgres() ? "postgres" : "pglite", kills: KILLS, port, log: (l) => console.log(l) });
    assert.deepEqual(violations, []);
    assert.equal(rounds.length, KILLS);
    // The kills must have landed among acknowledged writes, or the run proved nothing.
    const writes = rounds.reduce((n, r) => n + r.acknowledged.changeSetsApplied + r.acknowledged.flips + r.acknowledged.votes, 0);
    assert.ok(writes >= KILLS, `only ${writes} writes were acknowledged across ${KILLS} rounds`);
    assert.ok(rounds.at(-1)!.facts.changeSetsApplied > 0 && rounds.at(-1)!.facts.votes > 0);
  });
});

describe("the invariant check itself", () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore();
    await seedWorld(store);
  });
  after(() => store.close());

  it("passes on a consistent store", async () => {
    assert.deepEqual((await checkInvariants(store)).violations, []);
  });

  it("names a partial change set, a bump without its audit event, a control without one, and lost acknowledged commits", async () => {
    const v1 = (await store.prisma.policyVersion.findUniqueOrThrow({ where: { number: 1 } })).document as { flags: Record<string, unknown> };
    const half = { ...v1, flags: { crash_a_0: { percentage: 5, allow: ["m1"] }, crash_a_1: { percentage: 5, allow: ["m1"] } } };
    await store.prisma.policyVersion.create({ data: { number: 2, parent: 1, document: half, sha256: "x", authorId: "t", author: "t" } });
    await store.rawQuery(`UPDATE "Generation" SET "value" = "value" + 1`);
    await store.rawQuery(`INSERT INTO "RuntimeControl" ("control", "target", "setById", "setBy") VALUES ('read_only', '', 'x', 'x')`);
    const { violations, facts } = await checkInvariants(store, { changeSetIds: ["cs-never-stored"], generation: 10_000, votes: [] });
    const text = violations.join("\n");
    assert.match(text, /version 2 holds a partial change set in crash_a/);
    assert.match(text, /policy head is 1 but the newest version is 2/);
    assert.match(text, new RegExp(`generation is ${facts.generation} but the last audited change carries ${facts.generation - 1}`));
    assert.match(text, /control:read_only is active with no audit event/);
    assert.match(text, /lost commits: the server acknowledged generation 10000/);
    assert.match(text, /change set cs-never-stored was acknowledged as applied, the store says missing/);
  });
});
