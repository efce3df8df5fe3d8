// Every primitive on its allow and its deny path, through the real HTTP data plane. Each deny
// must name its primitive and carry the value and the bound that decided it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setControl } from "@/lib/controls/controls";
import { createGrant } from "@/lib/grants/grants";
import { createToken } from "@/lib/auth/tokens";
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
let ops: ReturnType<typeof agentClient>;

const S = { agent: "support-bot", tenant: "acme", session: "sess-1" };
const O = { agent: "ops-bot", tenant: "acme", session: "sess-2" };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the document freely
async function publish(mutate: (d: any) => void) {
  const doc: any = structuredClone(DEMO_POLICY);
  mutate(doc);
  const r = await publishVersion({ db: store.prisma, principal: world.principals.editor, document: doc, reason: "test" });
  await waitForGeneration(api.dp, r.generation);
  return r;
}

async function control(input: Parameters<typeof setControl>[0]["input"]) {
  const r = await setControl({ db: store.prisma, principal: world.principals.operator, input });
  await waitForGeneration(api.dp, r.generation);
}

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  support = agentClient(api.url, SUPPORT_TOKEN);
  const opsToken = await createToken({ db: store.prisma, principal: world.principals.admin, input: { kind: "agent", name: "ops test", agentId: "ops-bot" } });
  ops = agentClient(api.url, opsToken.secret);
});
after(async () => {
  await api.close();
  await store.close();
});

describe("authentication on the data plane", () => {
  it("401 without a token, 403 for another agent's name or a personal token", async () => {
    const none = await fetch(api.url + "/api/v1/decide", { method: "POST", body: "{}" });
    assert.equal(none.status, 401);
    assert.match((await none.json()).error.message, /Bearer gov_agent_/);
    const other = await support.call("POST", "/api/v1/decide", { ...O, tool: "restart_service" });
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /belongs to agent "support-bot" and cannot act for "ops-bot"/);
    const personal = await agentClient(api.url, world.tokens.admin).call("POST", "/api/v1/decide", { ...S, tool: "search_kb" });
    assert.equal(personal.status, 403);
  });
});

describe("primitives", () => {
  it("allow: a permitted read names no primitive and reports version, generation and cohort", async () => {
    // On PostgreSQL an earlier test's change may still be arriving by NOTIFY: the answer carries
    // the generation the server held when it decided, between the ones seen before and after.
    const before = api.dp.holder.current.generation;
    const r = await support.decide({ ...S, tool: "search_kb" });
    assert.deepEqual({ d: r.decision, p: r.primitive, c: r.cohort, e: r.enforced, v: r.policyVersion }, { d: "allow", p: null, c: "stable", e: true, v: 1 });
    assert.ok(r.generation >= before && r.generation <= api.dp.holder.current.generation, `generation ${r.generation} outside ${before}…${api.dp.holder.current.generation}`);
    assert.match(r.decisionId, /^[0-9a-f-]{36}$/);
  });

  it("not_allowed: unknown tool, unknown tenant, tool off the agent's list, tool outside the tier", async () => {
    const cases = [
      [{ ...S, tool: "wire_money" }, /not in the tool registry/, "wire_money", undefined],
      [{ ...S, tenant: "umbrella", tool: "search_kb" }, /Tenant "umbrella" is not in the policy/, "umbrella", undefined],
      [{ ...S, tool: "restart_service" }, /may not call "restart_service"/, "restart_service", ["search_kb", "send_email", "refund_payment"]],
      [{ ...S, tenant: "globex", tool: "refund_payment" }, /not in tier "free" of tenant "globex"/, "refund_payment", "free"],
    ] as const;
    for (const [req, message, value, bound] of cases) {
      const r = await support.decide(req);
      assert.equal(r.decision, "deny");
      assert.equal(r.primitive, "not_allowed");
      assert.match(r.reasons[0].message, message);
      assert.deepEqual([r.reasons[0].value, r.reasons[0].bound], [value, bound]);
    }
  });

  it("kill_switch: global, agent, tenant and tool kills deny; lifting restores", async () => {
    for (const [input, req] of [
      [{ control: "global_kill", active: true, reason: "incident 42" }, { ...S, tool: "search_kb" }],
      [{ control: "agent_kill", target: "support-bot", active: true }, { ...S, tool: "search_kb" }],
      [{ control: "tenant_kill", target: "acme", active: true }, { ...S, tool: "search_kb" }],
      [{ control: "tool_kill", target: "search_kb", active: true }, { ...S, tool: "search_kb" }],
    ] as const) {
      await control(input);
      const r = await support.decide(req);
      assert.equal(r.decision, "deny", JSON.stringify(input));
      assert.equal(r.primitive, "kill_switch");
      assert.deepEqual([r.reasons[0].value, r.reasons[0].bound], [input.control, "target" in input ? input.target : "all"]);
      assert.match(r.reasons[0].message, /stopped by oncall/);
      await control({ ...input, active: false });
      assert.equal((await support.decide(req)).decision, "allow");
    }
    const g = await support.decide({ ...S, tool: "search_kb" });
    assert.equal(g.decision, "allow");
  });

  it("read_only: denies send, write, destructive and schema tools; reads still pass", async () => {
    await control({ control: "read_only", active: true, reason: "maintenance" });
    const send = await support.decide({ ...S, tool: "send_email" });
    assert.deepEqual([send.decision, send.primitive, send.reasons[0].value, send.reasons[0].bound], ["deny", "read_only", "send", "read"]);
    assert.equal((await support.decide({ ...S, tool: "search_kb" })).decision, "allow");
    const tools = await support.call("GET", "/api/v1/tools?tenant=acme&session=s");
    assert.deepEqual(tools.body.tools.map((t: { name: string }) => t.name), ["search_kb"]);
    await control({ control: "read_only", active: false });
    assert.equal((await support.decide({ ...S, tool: "send_email" })).decision, "allow");
  });

  it("approval: a rule or approval-all mode makes the call pending", async () => {
    const r = await support.decide({ ...S, tool: "refund_payment" });
    assert.deepEqual([r.decision, r.primitive, r.reasons[0].value, r.reasons[0].bound], ["pending", "approval", 0, 2]);
    await control({ control: "approval_all", active: true });
    const all = await support.decide({ ...S, tool: "search_kb" });
    assert.deepEqual([all.decision, all.primitive], ["pending", "approval"]);
    assert.match(all.reasons[0].message, /Approval-all mode is on/);
    await control({ control: "approval_all", active: false });
  });

  it("blast_radius: over the bound denies with value and bound; under passes", async () => {
    const over = await ops.decide({ ...O, tool: "restart_service", blastRadius: 0.12 });
    assert.deepEqual([over.decision, over.primitive, over.reasons[0].value, over.reasons[0].bound], ["deny", "blast_radius", 0.12, 0.05]);
    assert.match(over.reasons[0].message, /12\.0% exceeds the bound of 5\.0%/);
    assert.equal((await ops.decide({ ...O, tool: "restart_service", blastRadius: 0.02 })).decision, "allow");
  });

  it("network_boundary: a crossing that is not allowed denies; an allowed one passes", async () => {
    const bad = await ops.decide({ ...O, tool: "restart_service", origin: { zone: "external" } });
    assert.deepEqual([bad.decision, bad.primitive, bad.reasons[0].value], ["deny", "network_boundary", "external>production"]);
    assert.equal((await ops.decide({ ...O, tool: "restart_service", origin: { zone: "internal" } })).decision, "allow");
  });

  it("reversibility: a reversal-required tool needs a declared reversal path", async () => {
    await publish((d) => {
      d.tools.restart_service.reversal_required = true;
    });
    const r = await ops.decide({ ...O, tool: "restart_service" });
    assert.deepEqual([r.decision, r.primitive, r.reasons[0].bound], ["deny", "reversibility", "reversal required"]);
    assert.equal((await ops.decide({ ...O, tool: "restart_service", reversal: "restart the previous build" })).decision, "allow");
  });

  it("sandbox_grant: denied without a grant, allowed inside its resource pattern, revoked by a failed outcome", async () => {
    await publish((d) => {
      d.tools.run_sql = { kind: "write", description: "Run SQL in a sandbox", sandbox_grant_required: true, failsafe: "security_critical" };
      d.agents["ops-bot"].allowed_tools.push("run_sql");
      d.tiers.pro.tools.push("run_sql");
    });
    const none = await ops.decide({ ...O, tool: "run_sql", target: { resource: "db-staging-1" } });
    assert.deepEqual([none.decision, none.primitive, none.reasons[0].value, none.reasons[0].bound], ["deny", "sandbox_grant", "db-staging-1", "active grant"]);

    const { generation } = await createGrant({
      db: store.prisma,
      principal: world.principals.operator,
      input: { agentId: "ops-bot", tools: ["run_sql"], resourcePattern: "db-staging-*", expiresInMinutes: 30, revokeOnFailure: true, reason: "migration test" },
    });
    await waitForGeneration(api.dp, generation);
    const inside = await ops.decide({ ...O, tool: "run_sql", target: { resource: "db-staging-1" } });
    assert.equal(inside.decision, "allow");
    const outside = await ops.decide({ ...O, tool: "run_sql", target: { resource: "db-prod-1" } });
    assert.deepEqual([outside.decision, outside.primitive], ["deny", "sandbox_grant"]);

    const report = await ops.call("POST", "/api/v1/outcomes", { decisionId: inside.decisionId, outcome: "rolled_back" });
    assert.deepEqual(report.body, { recorded: true, grantRevoked: true });
    await waitForGeneration(api.dp, generation + 1);
    const after = await ops.decide({ ...O, tool: "run_sql", target: { resource: "db-staging-1" } });
    assert.deepEqual([after.decision, after.primitive], ["deny", "sandbox_grant"]);
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "grant.auto_revoke" } }), 1);
  });
});

describe("outcomes", () => {
  it("records an outcome for the agent's own decision and refuses others'", async () => {
    const d = await support.decide({ ...S, tool: "search_kb" });
    const ok = await support.call("POST", "/api/v1/outcomes", { decisionId: d.decisionId, outcome: "success", latencyMs: 120 });
    assert.deepEqual(ok.body, { recorded: true, grantRevoked: false });
    const foreign = await ops.call("POST", "/api/v1/outcomes", { decisionId: d.decisionId, outcome: "failure" });
    assert.equal(foreign.status, 403);
    const unknown = await support.call("POST", "/api/v1/outcomes", { decisionId: "00000000-0000-4000-8000-000000000000", outcome: "success" });
    assert.equal(unknown.status, 404);
  });
});

describe("decision log", () => {
  it("records every decision with verdict, primitive, version, generation, cohort and latency", async () => {
    const d = await support.decide({ ...S, tool: "send_email", args: { to: "a@b.c" } });
    await api.dp.log.flush();
    const row = await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: d.decisionId } });
    assert.deepEqual(
      { decision: row.decision, tool: row.tool, tenant: row.tenant, version: row.policyVersion, gen: row.generation, cohort: row.cohort, failsafe: row.failsafe },
      { decision: "allow", tool: "send_email", tenant: "acme", version: d.policyVersion, gen: d.generation, cohort: "stable", failsafe: false },
    );
    assert.ok(row.latencyUs >= 0);
    assert.deepEqual((row.request as { args: unknown }).args, { to: "a@b.c" });
    assert.ok((await store.prisma.decisionLog.count()) > 20);
  });
});
