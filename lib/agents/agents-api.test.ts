// The agents pages' API through the real HTTP server and data plane: each agent's recent
// verdicts, and what it may call now per tool and tenant, following controls and rollouts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readGeneration } from "@/lib/db/generation";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { adminClient, draftChangeSet } from "@/lib/test/rollouts";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let viewer: ReturnType<typeof adminClient>;
let operator: ReturnType<typeof adminClient>;
let editor: ReturnType<typeof adminClient>;

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  viewer = adminClient(api.url, world.tokens.viewer);
  operator = adminClient(api.url, world.tokens.operator);
  editor = adminClient(api.url, world.tokens.editor);
});
after(async () => {
  await api.close();
  await store.close();
});

const synced = async () => waitForGeneration(api.dp, await readGeneration(store.prisma));
type Cell = { tenant: string; decision: string; primitive: string | null };
type ToolRow = { tool: string; tenants: Cell[] };
const cell = (tools: ToolRow[], tool: string, tenant: string) => {
  const c = tools.find((t) => t.tool === tool)?.tenants.find((x) => x.tenant === tenant);
  return c && `${c.decision} ${c.primitive ?? "-"}`;
};

describe("agents API", () => {
  it("lists each agent with its verdicts over the last 15 minutes and when it last asked", async () => {
    const before = (await viewer("GET", "/api/v1/admin/agents")).body;
    assert.equal(before.recentMinutes, 15);
    const idle = before.agents.find((a: { id: string }) => a.id === "ops-bot");
    assert.deepEqual(idle.recent, { allow: 0, deny: 0, pending: 0, lastDecisionAt: null });

    const support = agentClient(api.url, SUPPORT_TOKEN);
    const S = { agent: "support-bot", tenant: "acme", session: "agents-api" };
    const t0 = Date.now();
    const verdicts = [
      await support.decide({ ...S, tool: "search_kb" }),
      await support.decide({ ...S, tool: "search_kb" }),
      await support.decide({ ...S, tool: "refund_payment" }),
      await support.decide({ ...S, tool: "restart_service" }),
    ].map((r) => r.decision);
    assert.deepEqual(verdicts, ["allow", "allow", "pending", "deny"]);
    await api.dp.log.flush();

    const list = (await viewer("GET", "/api/v1/admin/agents")).body;
    const s = list.agents.find((a: { id: string }) => a.id === "support-bot");
    assert.deepEqual([s.recent.allow, s.recent.pending, s.recent.deny], [2, 1, 1]);
    assert.ok(Date.parse(s.recent.lastDecisionAt) >= t0 - 1000, s.recent.lastDecisionAt);
    assert.equal(list.agents.find((a: { id: string }) => a.id === "ops-bot").recent.lastDecisionAt, null);
  });

  it("lists the agent's latest decisions with what it was told, without the call's arguments", async () => {
    const all = await viewer("GET", "/api/v1/admin/agents/support-bot/decisions");
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.decisions.map((d: { tool: string; decision: string }) => `${d.tool} ${d.decision}`), ["restart_service deny", "refund_payment pending", "search_kb allow", "search_kb allow"]);
    const deny = all.body.decisions[0];
    assert.deepEqual([deny.primitive, deny.message, deny.tenant, deny.session, deny.failsafe], ["not_allowed", 'Agent "support-bot" may not call "restart_service"', "acme", "agents-api", false]);
    assert.equal("request" in deny || "args" in deny, false, "arguments stay in the audit browser");
    const pending = await viewer("GET", "/api/v1/admin/agents/support-bot/decisions?verdict=pending");
    assert.deepEqual(pending.body.decisions.map((d: { tool: string }) => d.tool), ["refund_payment"]);
    const page1 = await viewer("GET", "/api/v1/admin/agents/support-bot/decisions?limit=3");
    assert.equal(page1.body.decisions.length, 3);
    const page2 = await viewer("GET", `/api/v1/admin/agents/support-bot/decisions?limit=3&cursor=${page1.body.nextCursor}`);
    assert.deepEqual([page2.body.decisions.length, page2.body.nextCursor], [1, null]);
    assert.equal((await viewer("GET", "/api/v1/admin/agents/ops-bot/decisions")).body.decisions.length, 0);
    assert.equal((await viewer("GET", "/api/v1/admin/agents/nobody/decisions")).status, 404);
    const bad = await viewer("GET", "/api/v1/admin/agents/support-bot/decisions?verdict=maybe&limit=500");
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields.map((f: { path: string }) => f.path).sort(), ["limit", "verdict"]);
  });

  it("shows what the agent may call per tool and tenant, and follows a kill switch at once", async () => {
    const detail = (await viewer("GET", "/api/v1/admin/agents/support-bot")).body;
    const stable = detail.access.stable;
    assert.equal(stable.inPolicy, true);
    assert.deepEqual(stable.tenants, ["acme", "globex"]);
    assert.equal(cell(stable.tools, "refund_payment", "acme"), "pending approval");
    assert.equal(cell(stable.tools, "refund_payment", "globex"), "deny not_allowed");
    assert.equal(cell(stable.tools, "send_email", "globex"), "allow -");
    assert.equal(detail.access.canary, null);

    const kill = await operator("POST", "/api/v1/admin/controls", { control: "tool_kill", target: "send_email", active: true, reason: "spam wave" });
    assert.equal(kill.status, 200, JSON.stringify(kill.body));
    const killed = (await viewer("GET", "/api/v1/admin/agents/support-bot")).body.access.stable;
    assert.equal(cell(killed.tools, "send_email", "acme"), "deny kill_switch");
    assert.equal(killed.generation, kill.body.generation);
    await operator("POST", "/api/v1/admin/controls", { control: "tool_kill", target: "send_email", active: false });
    await synced();
  });

  it("during a rollout, shows what the candidate gives the canary sessions", async () => {
    const id = await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tenants.globex.tier", value: "pro" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 20, minDurationSec: 3600 }, { percent: 100 }], reason: "globex upgrades to pro" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    await synced();
    const access = (await viewer("GET", "/api/v1/admin/agents/support-bot")).body.access;
    assert.equal(cell(access.stable.tools, "refund_payment", "globex"), "deny not_allowed");
    assert.deepEqual([access.canary.rolloutId, access.canary.percent, access.canary.policyVersion], [start.body.id, 20, start.body.candidateVersion]);
    assert.equal(cell(access.canary.tools, "refund_payment", "globex"), "pending approval");
    await editor("POST", `/api/v1/admin/rollouts/${start.body.id}/abort`, { reason: "test over" });
  });

  it("filters the activity chart by agent and refuses a bad agent name, naming the field", async () => {
    const ops = (await viewer("GET", "/api/v1/admin/decisions/activity?minutes=15&agent=ops-bot")).body;
    assert.deepEqual(ops.totals, { allow: 0, deny: 0, pending: 0, failsafe: 0 });
    const support = (await viewer("GET", "/api/v1/admin/decisions/activity?minutes=15&agent=support-bot")).body;
    assert.deepEqual([support.totals.allow, support.totals.pending, support.totals.deny], [2, 1, 1]);
    const bad = await viewer("GET", `/api/v1/admin/decisions/activity?agent=${"x".repeat(200)}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields[0].path, "agent");
    const missing = await viewer("GET", "/api/v1/admin/agents/nobody");
    assert.equal(missing.status, 404);
  });
});
