// Every data-plane route checks that the token's agent is the one the request is about: another
// agent's token gets 403 (and changes nothing), a personal token gets 403, no token gets 401.
// The last test fails when a route is added to lib/dataplane/routes.ts without a case here.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createToken } from "@/lib/auth/tokens";
import { DATA_PLANE_PATHS } from "@/lib/dataplane/routes";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;
let ops: ReturnType<typeof agentClient>;
const S = { agent: "support-bot", tenant: "acme", session: "scope-1" };
const covered = new Set<string>();

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
  const opsToken = await createToken({ db: store.prisma, principal: world.principals.admin, input: { kind: "agent", name: "ops scope test", agentId: "ops-bot" } });
  ops = agentClient(api.url, opsToken.secret);
});
after(async () => {
  await api.close();
  await store.close();
});

/** 403 naming the token's agent. */
function refused(r: { status: number; body: Record<string, any> }, what: string) {
  assert.equal(r.status, 403, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.error.code, "forbidden", what);
}

describe("a token acts only for its own agent", () => {
  it("POST /api/v1/decide", async () => {
    covered.add("/api/v1/decide");
    refused(await ops.call("POST", "/api/v1/decide", { ...S, tool: "search_kb" }), "ops-bot deciding for support-bot");
    assert.equal((await support.call("POST", "/api/v1/decide", { ...S, tool: "search_kb" })).status, 200);
  });

  it("GET /api/v1/tools", async () => {
    covered.add("/api/v1/tools");
    refused(await ops.call("GET", "/api/v1/tools?tenant=acme&agent=support-bot"), "ops-bot listing support-bot's tools");
    const own = await ops.call("GET", "/api/v1/tools?tenant=acme");
    assert.deepEqual(own.body.tools.map((t: { name: string }) => t.name).sort(), ["drop_table", "restart_service"]);
  });

  it("POST /api/v1/outcomes", async () => {
    covered.add("/api/v1/outcomes");
    const d = await support.decide({ ...S, tool: "search_kb" });
    refused(await ops.call("POST", "/api/v1/outcomes", { decisionId: d.decisionId, outcome: "failure" }), "ops-bot reporting on support-bot's decision");
    assert.equal(await store.prisma.decisionOutcome.count({ where: { decisionId: d.decisionId } }), 0);
  });

  it("POST /api/v1/failsafe-reports", async () => {
    covered.add("/api/v1/failsafe-reports");
    const id = "11111111-1111-4111-8111-111111111111";
    const report = { decisionId: id, at: new Date().toISOString(), request: { ...S, tool: "send_email" }, decision: "allow", failsafe: "operational" };
    refused(await ops.call("POST", "/api/v1/failsafe-reports", { decisions: [report] }), "ops-bot filing support-bot's failsafe decisions");
    await api.dp.log.flush();
    assert.equal(await store.prisma.decisionLog.count({ where: { id } }), 0);
  });

  it("GET /api/v1/approvals/:id and POST /api/v1/approvals/:id/execute", async () => {
    covered.add("/api/v1/approvals/:id");
    const pending = await support.decide({ ...S, session: "scope-2", tool: "refund_payment", args: { amount: 5 } });
    assert.equal(pending.decision, "pending");
    refused(await ops.call("GET", `/api/v1/approvals/${pending.approvalId}`), "ops-bot reading support-bot's approval");
    refused(await ops.call("POST", `/api/v1/approvals/${pending.approvalId}/execute`), "ops-bot executing support-bot's approval");
    assert.equal((await support.call("GET", `/api/v1/approvals/${pending.approvalId}`)).body.status, "pending");
    const row = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: pending.approvalId } });
    assert.equal(row.executedAt, null);
  });

  it("POST /api/v1/schema-state records for the token's own agent only", async () => {
    covered.add("/api/v1/schema-state");
    // The body names no agent: a report is always the token's own, so ops-bot cannot speak for
    // support-bot, and a body that tries to name one is refused as an unknown field.
    const named = await ops.call("POST", "/api/v1/schema-state", { agent: "support-bot", database: "scope-db", tables: { users: ["id"] } });
    assert.equal(named.status, 400, JSON.stringify(named.body));
    assert.equal((await ops.call("POST", "/api/v1/schema-state", { database: "scope-db", tables: { users: ["id"] } })).status, 200);
    const rows = await store.prisma.schemaState.findMany({ where: { database: "scope-db" } });
    assert.deepEqual(rows.map((r) => r.agentId), ["ops-bot"]);
    refused(await agentClient(api.url, world.tokens.admin).call("POST", "/api/v1/schema-state", { database: "scope-db", tables: {} }), "personal token reporting schema state");
  });

  // Generation, snapshot and stream concern no one agent: the whole policy is what the SDK
  // compiles locally (docs/SECURITY.md). They still need an agent token, never a personal one.
  for (const path of ["/api/v1/policy/generation", "/api/v1/policy/snapshot", "/api/v1/policy/stream"]) {
    it(`GET ${path} needs an agent token`, async () => {
      covered.add(path);
      assert.equal((await fetch(api.url + path)).status, 401);
      refused(await agentClient(api.url, world.tokens.admin).call("GET", path), `personal token on ${path}`);
    });
  }

  it("public: GET /api/v1/audit/keys and /api/v1/openapi.json answer without a token", async () => {
    for (const path of ["/api/v1/audit/keys", "/api/v1/openapi.json"]) {
      covered.add(path);
      assert.equal((await fetch(api.url + path)).status, 200, path);
    }
  });

  it("covers every data-plane route", () => {
    const missing = DATA_PLANE_PATHS.map((r) => r.path).filter((p) => !covered.has(p));
    assert.deepEqual(missing, []);
    const unlisted = DATA_PLANE_PATHS.filter((r) => r.public).map((r) => r.path).sort();
    assert.deepEqual(unlisted, ["/api/v1/audit/keys", "/api/v1/openapi.json"], "a new public route needs a reason in docs/SECURITY.md");
  });
});
