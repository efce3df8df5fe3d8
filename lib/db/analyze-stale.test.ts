import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { appendAuditBatch } from "@/lib/audit/append";
import { analyzeStaleTables, staleTables } from "@/lib/db/analyze-stale";
import { onPostgres, openTestStore, type TestStore } from "@/lib/test/store";

const actor = { type: "user" as const, id: "u1", name: "alice" };
const ACTIONS = ["control.activate", "policy.apply", "auth.login", "token.create"];

/** The planner's row estimate for the audit browser's action-prefix filter. */
async function estimatedRows(store: TestStore, prefix: string): Promise<number> {
  const plan = (await store.rawQuery(`EXPLAIN (FORMAT JSON) SELECT seq FROM "AuditEvent" WHERE action LIKE $1`, [`${prefix}%`]))[0]!["QUERY PLAN"];
  const json = (typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: { "Plan Rows": number } }[];
  return json[0]!.Plan["Plan Rows"];
}

describe("statistics for the planner (analyzeStaleTables)", () => {
  let store: TestStore;
  before(async () => {
    store = await openTestStore();
    await store.prisma.$transaction((tx) =>
      appendAuditBatch(tx, Array.from({ length: 8000 }, (_, i) => ({ actor, action: ACTIONS[i % ACTIONS.length]!, target: `t${i}`, after: { i } }))),
    );
  });
  after(() => store.close());

  it("finds a grown table never analyzed, analyzes it, and then leaves it alone", async () => {
    // PostgreSQL's autovacuum may get there first; PGlite has none, which is why this exists.
    if (!onPostgres()) assert.ok((await staleTables(store.prisma)).includes("AuditEvent"));
    await analyzeStaleTables(store.prisma);
    assert.ok(!(await staleTables(store.prisma)).includes("AuditEvent"), "AuditEvent is still stale after ANALYZE");
    assert.deepEqual(await analyzeStaleTables(store.prisma), [], "a second pass found work with nothing grown");
    // Statistics for the columns queries filter on, none for the JSON documents (their sample is
    // the expensive part). PostgreSQL's autovacuum analyzes every column, so only PGlite is pinned.
    const stats = (await store.rawQuery(`SELECT attname FROM pg_stats WHERE tablename = 'AuditEvent' ORDER BY attname`)).map((r) => r.attname as string);
    for (const c of ["action", "actorName", "at", "seq", "target"]) assert.ok(stats.includes(c), `no statistics for ${c}: ${stats.join(", ")}`);
    if (!onPostgres()) assert.deepEqual(stats.filter((c) => c === "before" || c === "after"), []);
  });

  it("gives the planner the real share of a prefix (2,000 of 8,000 rows), which picks the audit browser's plan", async () => {
    const estimate = await estimatedRows(store, "control.");
    assert.ok(estimate > 1000 && estimate < 4000, `the planner estimates ${estimate} rows for 2,000`);
  });

  it("re-analyzes once the table has grown by more than a tenth", async () => {
    await store.prisma.$transaction((tx) =>
      appendAuditBatch(tx, Array.from({ length: 4000 }, (_, i) => ({ actor, action: "grant.create", target: `g${i}`, after: { i, pad: "x".repeat(200) } }))),
    );
    const stale = await staleTables(store.prisma);
    // On PostgreSQL autovacuum may already have caught up; on PGlite the growth must be seen.
    if (!onPostgres()) assert.ok(stale.includes("AuditEvent"), `stale: ${stale.join(", ")}`);
    await analyzeStaleTables(store.prisma);
    assert.ok((await estimatedRows(store, "grant.")) > 2000);
  });
});
