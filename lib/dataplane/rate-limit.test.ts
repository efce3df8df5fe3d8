// Rate limits through the real data plane, on PGlite (in-memory counters written behind) and on
// PostgreSQL (conditional upserts shared by instances), including what a limit change does.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRateLimiter } from "@/lib/dataplane/rate-limiter";
import { limitRule } from "@/lib/policy/compile";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { publishVersion } from "@/lib/policy/versions";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;
const email = { agent: "support-bot", tenant: "globex", session: "s", tool: "send_email" };

async function setEmailLimit(count: number, window_s: number) {
  const doc: any = structuredClone(DEMO_POLICY);
  doc.tiers.free.rate_limits.send_email = { count, window_s };
  const r = await publishVersion({ db: store.prisma, principal: world.principals.editor, document: doc, reason: `limit ${count}/${window_s}s` });
  await waitForGeneration(api.dp, r.generation);
}

async function sendMany(n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await support.decide(email)).decision);
  return out;
}

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
});
after(async () => {
  await api.close();
  await store.close();
});

describe("rate limits", () => {
  it("denies past the limit with the limit, the window and retryAfter; denied calls do not count", async () => {
    await setEmailLimit(3, 3600);
    assert.deepEqual(await sendMany(3), ["allow", "allow", "allow"]);
    const r = await support.decide(email);
    assert.deepEqual([r.decision, r.primitive, r.reasons[0].value, r.reasons[0].bound], ["deny", "rate_limit", 3, 3]);
    assert.match(r.reasons[0].message, /3 of 3 per 3600s used/);
    assert.ok(r.retryAfter > 0 && r.retryAfter <= 3600, `retryAfter ${r.retryAfter}`);
    // Another tenant on another tier has its own counter.
    assert.equal((await support.decide({ ...email, tenant: "acme" })).decision, "allow");
  });

  it("an increase applies at once", async () => {
    await setEmailLimit(5, 3600);
    assert.deepEqual(await sendMany(3), ["allow", "allow", "deny"]);
  });

  it("after a decrease, a counter already over the new limit keeps denying (until its window resets)", async () => {
    await setEmailLimit(2, 3600);
    const r = await support.decide(email);
    assert.deepEqual([r.decision, r.reasons[0].value, r.reasons[0].bound], ["deny", 5, 2]);
  });

  it("a change of window restarts the counters", async () => {
    await setEmailLimit(2, 1800);
    assert.deepEqual(await sendMany(3), ["allow", "allow", "deny"]);
  });

  it("counts exactly under concurrency", async () => {
    await setEmailLimit(25, 600);
    const results = await Promise.all(Array.from({ length: 60 }, () => support.decide({ ...email, tenant: "globex" })));
    assert.equal(results.filter((r) => r.decision === "allow").length, 25);
  });

  it("counters survive a restart of the limiter (persisted in the store)", async () => {
    await api.dp.limiter.flush();
    const rule = limitRule("tenant_tool", "globex:send_email", { count: 25, window_s: 600 });
    const fresh = await openRateLimiter(store);
    const exhausted = await fresh.consume([rule], Date.now());
    await fresh.close();
    assert.equal(exhausted?.count, 25);
  });
});
