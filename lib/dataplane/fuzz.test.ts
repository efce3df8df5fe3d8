// Property-based fuzzing of the agent request bodies: whatever arrives, the answer is a 4xx
// whose message names the field, never a 5xx, and a rejected request leaves the store as it was.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld } from "@/lib/test/world";

let store: TestStore;
let api: Awaited<ReturnType<typeof startApiServer>>;
before(async () => {
  store = await openTestStore();
  await seedWorld(store);
  api = await startApiServer(store);
});
after(async () => {
  await api.close();
  await store.close();
});

const VALID_DECIDE = { agent: "support-bot", tenant: "acme", session: "s1", tool: "search_kb" };
const VALID_OUTCOME = { decisionId: "00000000-0000-4000-8000-000000000000", outcome: "success" };

/** Values that are never a valid non-empty string. */
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant(""), fc.array(fc.string()), fc.dictionary(fc.string(), fc.integer()));
const notUnitNumber = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.double({ min: 1.0001, max: 1e9, noNaN: true }), fc.double({ max: -0.0001, min: -1e9, noNaN: true }));
const notObject = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.integer()));

const brokenDecide = fc.oneof(
  fc.constantFrom("agent", "tenant", "session", "tool").chain((k) => notAString.map((v) => ({ body: { ...VALID_DECIDE, [k]: v }, field: k }))),
  fc.constantFrom("agent", "tenant", "session", "tool").map((k) => {
    const { [k as keyof typeof VALID_DECIDE]: _omit, ...rest } = VALID_DECIDE;
    return { body: rest, field: k };
  }),
  notUnitNumber.map((v) => ({ body: { ...VALID_DECIDE, blastRadius: v }, field: "blastRadius" })),
  notObject.map((v) => ({ body: { ...VALID_DECIDE, target: v }, field: "target" })),
  notObject.map((v) => ({ body: { ...VALID_DECIDE, origin: v }, field: "origin" })),
  fc.anything().filter((v) => v === null || typeof v !== "object" || Array.isArray(v)).map((v) => ({ body: v, field: "(body)" })),
);

const brokenOutcome = fc.oneof(
  fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((v) => ({ body: { ...VALID_OUTCOME, decisionId: v }, field: "decisionId" })),
  fc.string().filter((s) => !["success", "failure", "partial", "rolled_back"].includes(s)).map((v) => ({ body: { ...VALID_OUTCOME, outcome: v }, field: "outcome" })),
  fc.oneof(fc.string(), fc.double({ min: 1.01, max: 100, noNaN: true })).map((v) => ({ body: { ...VALID_OUTCOME, observedBlastRadius: v }, field: "observedBlastRadius" })),
  fc.oneof(fc.double({ min: 0.1, max: 0.9, noNaN: true }), fc.integer({ max: -1 })).map((v) => ({ body: { ...VALID_OUTCOME, latencyMs: v }, field: "latencyMs" })),
);

async function post(path: string, raw: string) {
  const res = await fetch(api.url + path, { method: "POST", headers: { authorization: `Bearer ${SUPPORT_TOKEN}`, "content-type": "application/json" }, body: raw });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; fields?: { path: string }[] } } };
}

async function storeCounts() {
  await api.dp.log.flush();
  return [await store.prisma.decisionLog.count(), await store.prisma.decisionOutcome.count(), await store.prisma.auditEvent.count()];
}

function assertNamedRejection(r: Awaited<ReturnType<typeof post>>, field: string) {
  assert.ok(r.status >= 400 && r.status < 500, `expected 4xx, got ${r.status}: ${JSON.stringify(r.body)}`);
  const e = r.body.error!;
  assert.ok(e.message.length > 0);
  if (field !== "(body)") {
    assert.ok(e.fields?.some((f) => f.path === field || f.path.startsWith(`${field}.`)), `fields should name ${field}: ${JSON.stringify(e)}`);
    assert.match(e.message, new RegExp(field));
  }
}

describe("fuzzing the agent bodies", () => {
  it("decide: every broken body is a 4xx naming the field, and nothing is logged", async () => {
    const before = await storeCounts();
    await fc.assert(fc.asyncProperty(brokenDecide, async ({ body, field }) => assertNamedRejection(await post("/api/v1/decide", JSON.stringify(body)), field)), { numRuns: 150 });
    assert.deepEqual(await storeCounts(), before);
  });

  it("outcomes: every broken body is a 4xx naming the field, and nothing is recorded", async () => {
    const before = await storeCounts();
    await fc.assert(fc.asyncProperty(brokenOutcome, async ({ body, field }) => assertNamedRejection(await post("/api/v1/outcomes", JSON.stringify(body)), field)), { numRuns: 100 });
    assert.deepEqual(await storeCounts(), before);
  });

  it("tools: a missing or empty tenant is a 400 naming it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("", "?tenant=", "?session=x", "?tenant=" + "x".repeat(200)), async (qs) => {
        const res = await fetch(`${api.url}/api/v1/tools${qs}`, { headers: { authorization: `Bearer ${SUPPORT_TOKEN}` } });
        const body = await res.json();
        assert.equal(res.status, 400);
        assert.match(body.error.message, /tenant/);
      }),
      { numRuns: 20 },
    );
  });

  it("arbitrary bytes are a 4xx (malformed JSON is 400), never a 5xx", async () => {
    const before = await storeCounts();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom("/api/v1/decide", "/api/v1/outcomes"), async (raw, path) => {
        const r = await post(path, raw);
        assert.ok(r.status >= 400 && r.status < 500, `${raw} → ${r.status}`);
      }),
      { numRuns: 150 },
    );
    assert.deepEqual(await storeCounts(), before);
  });

  it("what the store cannot keep (a NUL character anywhere, nesting past 64 levels) is a 400 naming where, and logging goes on", async () => {
    const before = await storeCounts();
    const cases: { body: unknown; field: string }[] = [
      { body: { ...VALID_DECIDE, args: { q: "drop\u0000table" } }, field: "args.q" },
      { body: { ...VALID_DECIDE, args: { list: ["ok", { deep: "a\u0000" }] } }, field: "args.list.1.deep" },
      { body: { ...VALID_DECIDE, args: { ["k\u0000"]: 1 } }, field: "args" }, // named args.k\u0000, escaped
      { body: { ...VALID_DECIDE, session: "s\u0000" }, field: "session" },
      { body: { ...VALID_DECIDE, idempotencyKey: "\u0000" }, field: "idempotencyKey" },
    ];
    for (const c of cases) assertNamedRejection(await post("/api/v1/decide", JSON.stringify(c.body)), c.field);
    // 100,000 levels parse fine and would overflow the recursive JSON serializer of the log row.
    const r = await post("/api/v1/decide", `{"agent":"support-bot","tenant":"acme","session":"s1","tool":"search_kb","args":${"[".repeat(100_000)}1${"]".repeat(100_000)}}`);
    assert.equal(r.status, 400);
    assert.match(r.body.error!.message, /nested deeper than 64 levels/);
    assert.deepEqual(await storeCounts(), before);
    // The log was never handed a row it could not write: the next decision is stored and sealed.
    const ok = await post("/api/v1/decide", JSON.stringify({ ...VALID_DECIDE, args: { q: "fine", nested: [[[1]]] } }));
    assert.equal(ok.status, 200);
    await api.dp.log.flush();
    const row = await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: (ok.body as unknown as { decisionId: string }).decisionId } });
    assert.notEqual(row.batchId, null);
  });
});
