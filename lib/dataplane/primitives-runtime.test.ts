// The primitives of issue #9 through the real HTTP data plane and admin API: blast radius from
// the runtime model, trust zones, schema drift, reversibility, advisory vs enforced agents, and
// the calibration figures. Every refusal must carry its primitive, value and bound.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createToken } from "@/lib/auth/tokens";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { publishVersion } from "@/lib/policy/versions";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";
import type { Role } from "@/lib/auth/permissions";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let ops: ReturnType<typeof agentClient>;

const O = { agent: "ops-bot", tenant: "acme", session: "sess-rt" };
const MODEL = {
  services: [
    { name: "payments", share: 0.1, zone: "production" },
    { name: "checkout", share: 0.2, zone: "production" },
    { name: "web", share: 0.5, zone: "production", description: "storefront" },
    { name: "search", share: 0.15, zone: "staging" },
  ],
  edges: [
    { service: "checkout", dependsOn: "payments" },
    { service: "web", dependsOn: "checkout" },
  ],
};
const MIGRATE = { kind: "schema", description: "Apply a schema migration", zone: "production", contract: { database: "orders-db", tables: { orders: ["id", "customer_id"] } } };

async function admin(role: Role, method: string, path: string, body?: unknown) {
  const res = await fetch(api.url + path, {
    method,
    headers: { authorization: `Bearer ${world.tokens[role]}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, any>;
  if (typeof json.generation === "number") await waitForGeneration(api.dp, json.generation);
  return { status: res.status, body: json };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the document freely
async function publish(edit: (d: any) => void) {
  const doc: any = structuredClone(DEMO_POLICY);
  doc.tools.migrate_schema = structuredClone(MIGRATE);
  doc.agents["ops-bot"].allowed_tools.push("migrate_schema");
  doc.tiers.pro.tools.push("migrate_schema");
  edit(doc);
  const r = await publishVersion({ db: store.prisma, principal: world.principals.editor, document: doc, reason: "test" });
  await waitForGeneration(api.dp, r.generation);
}

const reason0 = (r: Record<string, any>) => [r.decision, r.primitive, r.reasons[0]?.value, r.reasons[0]?.bound];

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
  const t = await createToken({ db: store.prisma, principal: world.principals.admin, input: { kind: "agent", name: "ops test", agentId: "ops-bot" } });
  await waitForGeneration(api.dp, t.generation);
  ops = agentClient(api.url, t.secret);
});
after(async () => {
  await api.close();
  await store.close();
});

describe("runtime model admin API", () => {
  it("refuses an import with an edge to an unknown service or a share out of range, naming the field, and changes nothing", async () => {
    const unknown = await admin("editor", "POST", "/api/v1/admin/runtime-model/import", { services: MODEL.services, edges: [{ service: "web", dependsOn: "ghost" }] });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.error.fields, [{ path: "edges.0.dependsOn", message: '"ghost" is not one of the imported services' }]);
    const share = await admin("editor", "POST", "/api/v1/admin/runtime-model/import", { services: [{ name: "web", share: 1.5 }], edges: [] });
    assert.equal(share.status, 400);
    assert.equal(share.body.error.fields[0].path, "services.0.share");
    assert.match(share.body.error.message, /between 0 and 1/);
    const self = await admin("editor", "POST", "/api/v1/admin/runtime-model/edges", { service: "web", dependsOn: "web" });
    assert.equal(self.status, 400);
    assert.equal(self.body.error.fields[0].path, "dependsOn");
    assert.equal(await store.prisma.runtimeService.count(), 0);
    assert.equal((await admin("viewer", "POST", "/api/v1/admin/runtime-model/import", MODEL)).status, 403);
  });

  it("imports a whole model (cycles allowed), edits services and edges, audits each change", async () => {
    const g0 = api.dp.holder.current.generation;
    const imp = await admin("editor", "POST", "/api/v1/admin/runtime-model/import", { ...MODEL, edges: [...MODEL.edges, { service: "payments", dependsOn: "web" }] });
    assert.equal(imp.status, 200, JSON.stringify(imp.body));
    assert.deepEqual([imp.body.services, imp.body.edges], [4, 3]);
    assert.ok(imp.body.generation > g0);
    assert.equal(api.dp.holder.current.runtime.get("payments")!.predicted, 0.8);
    // Remove the cycle edge again, and exercise single edits.
    assert.equal((await admin("editor", "DELETE", "/api/v1/admin/runtime-model/edges/payments/web")).status, 200);
    assert.equal((await admin("editor", "PUT", "/api/v1/admin/runtime-model/services/tmp", { share: 0.01 })).status, 200);
    const edge = await admin("editor", "POST", "/api/v1/admin/runtime-model/edges", { service: "tmp", dependsOn: "search" });
    assert.equal(edge.status, 201);
    const unknownEdge = await admin("editor", "POST", "/api/v1/admin/runtime-model/edges", { service: "tmp", dependsOn: "nowhere" });
    assert.deepEqual([unknownEdge.status, unknownEdge.body.error.fields[0].path], [400, "dependsOn"]);
    const del = await admin("editor", "DELETE", "/api/v1/admin/runtime-model/services/tmp");
    assert.deepEqual([del.status, del.body.edgesRemoved], [200, 1]);
    const list = await admin("viewer", "GET", "/api/v1/admin/runtime-model");
    assert.deepEqual(list.body.services.map((s: { name: string }) => s.name), ["checkout", "payments", "search", "web"]);
    assert.deepEqual(list.body.edges, [{ service: "checkout", dependsOn: "payments" }, { service: "web", dependsOn: "checkout" }]);
    const actions = (await store.prisma.auditEvent.findMany({ where: { action: { startsWith: "runtime_model." } }, orderBy: { seq: "asc" } })).map((e) => e.action);
    assert.deepEqual(actions, ["runtime_model.import", "runtime_model.edge_remove", "runtime_model.service_create", "runtime_model.edge_add", "runtime_model.service_delete"]);
  });

  it("what-if answers the services touched, the share, the bound and the verdict with the engine's code", async () => {
    const r = await admin("viewer", "POST", "/api/v1/admin/runtime-model/what-if", { tool: "restart_service", service: "checkout" });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.affected.map((a: { name: string }) => a.name), ["checkout", "web"]);
    assert.deepEqual([r.body.server, r.body.predicted, r.body.bound, r.body.verdict], [0.7, 0.7, { max: 0.05, source: "tools.restart_service.blast_radius.max" }, "deny"]);
    const bad = await admin("viewer", "POST", "/api/v1/admin/runtime-model/what-if", { tool: "restart_service", service: "ghost" });
    assert.deepEqual([bad.status, bad.body.error.fields[0].path], [400, "service"]);
  });
});

describe("blast_radius through decide", () => {
  it("denies on the server's prediction from the graph, with value, bound and affected services", async () => {
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "payments" } });
    assert.deepEqual(reason0(r), ["deny", "blast_radius", 0.8, 0.05]);
    assert.deepEqual(r.reasons[0].affected, ["checkout", "payments", "web"]);
    assert.match(r.reasons[0].message, /80\.0% exceeds the bound of 5\.0%.*runtime model 80\.0%/);
  });

  it("under the bound allows; an agent's larger prediction wins over the server's", async () => {
    await publish((d) => (d.tools.restart_service.blast_radius.max = 0.5));
    assert.equal((await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } })).decision, "allow");
    const agentWins = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" }, blastRadius: 0.6 });
    assert.deepEqual(reason0(agentWins), ["deny", "blast_radius", 0.6, 0.5]);
    assert.match(agentWins.reasons[0].message, /runtime model 15\.0%, agent 60\.0%/);
    const serverWins = await ops.decide({ ...O, tool: "restart_service", target: { service: "checkout" }, blastRadius: 0.01 });
    assert.deepEqual(reason0(serverWins), ["deny", "blast_radius", 0.7, 0.5]);
    await api.dp.log.flush();
    const row = await store.prisma.decisionLog.findUniqueOrThrow({ where: { id: serverWins.decisionId } });
    assert.deepEqual([row.serverBlastRadius, row.agentBlastRadius, row.enforced], [0.7, 0.01, true]);
  });

  it("a per-service bound is tighter than the tool's and is named", async () => {
    await publish((d) => {
      d.tools.restart_service.blast_radius.max = 0.5;
      d.blast_radius = { services: { search: { max: 0.1 } } };
    });
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.deepEqual(reason0(r), ["deny", "blast_radius", 0.15, 0.1]);
    assert.match(r.reasons[0].message, /bound: blast_radius\.services\.search\.max/);
    assert.equal((await ops.decide({ ...O, tool: "restart_service", target: { service: "payments" }, blastRadius: 0 })).decision, "deny");
  });

  it("a deploy window covering the whole week binds every decision; a looser one lets it through", async () => {
    const week = { time_zone: "Europe/Berlin", ranges: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], from: "00:00", to: "24:00" }] };
    await publish((d) => {
      d.tools.restart_service.blast_radius.max = 0.5;
      d.blast_radius = { windows: { always: { ...week, max: 0.12 } } };
    });
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.deepEqual(reason0(r), ["deny", "blast_radius", 0.15, 0.12]);
    assert.match(r.reasons[0].message, /bound: blast_radius\.windows\.always\.max/);
    await publish((d) => {
      d.tools.restart_service.blast_radius.max = 0.5;
      d.blast_radius = { windows: { always: { ...week, max: 0.2 } } };
    });
    assert.equal((await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } })).decision, "allow");
  });
});

describe("network_boundary through decide", () => {
  it("denies a crossing that is not allowed, taking the target zone from the runtime model", async () => {
    await publish((d) => (d.tools.restart_service.blast_radius.max = 0.9));
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" }, origin: { zone: "staging" } });
    assert.equal(r.decision, "allow", "same zone: search is in staging");
    const bad = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" }, origin: { zone: "external" } });
    assert.deepEqual(reason0(bad), ["deny", "network_boundary", "external>staging", []]);
    const prod = await ops.decide({ ...O, tool: "restart_service", target: { service: "web" }, origin: { zone: "staging" } });
    assert.equal(prod.decision, "allow", "staging>production is an allowed crossing");
  });

  it("sends a disallowed crossing to approval when the policy says so", async () => {
    await publish((d) => {
      d.tools.restart_service.blast_radius.max = 0.9;
      d.zones.on_violation = "approval";
    });
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "web" }, origin: { zone: "infrastructure" } });
    assert.deepEqual(reason0(r), ["pending", "network_boundary", "infrastructure>production", []]);
    assert.match(r.approvalId, /^[0-9a-f-]{36}$/);
    const fromInternal = await ops.decide({ ...O, tool: "restart_service", target: { zone: "infrastructure" }, origin: { zone: "internal" } });
    assert.deepEqual(reason0(fromInternal), ["pending", "network_boundary", "internal>infrastructure", ["internal>external", "internal>staging", "internal>production"]]);
  });
});

describe("schema_drift through decide", () => {
  const migrate = (args: object) => ops.decide({ ...O, tool: "migrate_schema", args: { database: "orders-db", ...args } });

  it("the report endpoint validates its body and accepts only agent tokens", async () => {
    await publish(() => {});
    const bad = await ops.call("POST", "/api/v1/schema-state", { database: "orders-db", tables: { "a.b": ["id"] } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.fields[0].path, /^tables/);
    const missing = await ops.call("POST", "/api/v1/schema-state", { tables: {} });
    assert.deepEqual([missing.status, missing.body.error.fields[0].path], [400, "database"]);
    const personal = await agentClient(api.url, world.tokens.admin).call("POST", "/api/v1/schema-state", { database: "x", tables: {} });
    assert.equal(personal.status, 403);
    assert.equal(await store.prisma.schemaState.count(), 0);
  });

  it("allows while the contract holds, denies with what is missing once the reported state drifts", async () => {
    assert.equal((await migrate({ changes: [{ op: "add_column", table: "orders", column: "note" }] })).decision, "allow", "nothing reported yet");
    const rep = await ops.call("POST", "/api/v1/schema-state", { database: "orders-db", tables: { orders: ["id", "customer_id", "note"] } });
    assert.deepEqual([rep.status, rep.body.recorded, rep.body.tables], [200, true, 1]);
    await waitForGeneration(api.dp, rep.body.generation);
    assert.equal((await migrate({ changes: [{ op: "add_column", table: "orders", column: "total" }] })).decision, "allow");

    const declared = await migrate({ preconditions: { tables: { orders: ["legacy_id"], invoices: ["id"] } } });
    assert.deepEqual(reason0(declared), ["deny", "schema_drift", ["orders.legacy_id", "invoices (table)"], { database: "orders-db", tables: { orders: ["id", "customer_id", "legacy_id"], invoices: ["id"] } }]);

    const drift = await ops.call("POST", "/api/v1/schema-state", { database: "orders-db", tables: { orders: ["id", "note"] } });
    await waitForGeneration(api.dp, drift.body.generation);
    const r = await migrate({ changes: [{ op: "add_column", table: "orders", column: "total" }] });
    assert.deepEqual(reason0(r), ["deny", "schema_drift", ["orders.customer_id"], { database: "orders-db", tables: { orders: ["id", "customer_id"] } }]);
    assert.match(r.reasons[0].message, /missing orders\.customer_id/);
    const other = await migrate({ database: "other-db" });
    assert.equal(other.decision, "allow", "a database nobody reported is not compared");
  });

  it("a destructive change always goes to human approval, with no rule and approval-all off", async () => {
    const fixed = await ops.call("POST", "/api/v1/schema-state", { database: "orders-db", tables: { orders: ["id", "customer_id", "note"] } });
    await waitForGeneration(api.dp, fixed.body.generation);
    assert.equal(api.dp.holder.current.controls.approvalAll, null);
    assert.equal(api.dp.holder.current.tools.get("migrate_schema")!.approval, undefined);
    for (const [change, desc] of [
      [{ op: "drop_column", table: "orders", column: "note" }, "drop_column orders.note"],
      [{ op: "rename", table: "orders", column: "note", to: "memo" }, "rename orders.note"],
      [{ op: "narrow_type", table: "orders", column: "note", type: "varchar(10)" }, "narrow_type orders.note"],
      [{ op: "drop_table", table: "orders" }, "drop_table orders"],
      [{ op: "truncate_everything", table: "orders" }, "truncate_everything orders"],
    ] as const) {
      const r = await migrate({ changes: [{ op: "add_column", table: "orders", column: "x" }, change] });
      assert.deepEqual(reason0(r), ["pending", "schema_drift", [desc], "explicit human approval"], desc);
      assert.match(r.approvalId, /^[0-9a-f-]{36}$/);
    }
    const req = await store.prisma.actionRequest.findFirstOrThrow({ where: { tool: "migrate_schema" }, orderBy: { createdAt: "desc" } });
    assert.deepEqual([req.source, req.quorum], ["schema_drift", 1]);
  });
});

describe("reversibility through decide", () => {
  it("a reversal-required tool without a reversal is refused with value and bound", async () => {
    await publish((d) => {
      d.tools.restart_service.blast_radius.max = 0.9;
      d.tools.restart_service.reversal_required = true;
    });
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.deepEqual(reason0(r), ["deny", "reversibility", null, "reversal required"]);
    assert.equal((await ops.decide({ ...O, tool: "restart_service", target: { service: "search" }, reversal: "roll back to the previous build" })).decision, "allow");
  });

  it("reversible by default: a destructive tool needs a reversal unless its policy opts out", async () => {
    await publish((d) => {
      d.tools.purge_cache = { kind: "destructive", description: "Purge a CDN cache" };
      d.tools.purge_logs = { kind: "destructive", description: "Purge old logs", reversal_required: false };
      d.agents["ops-bot"].allowed_tools.push("purge_cache", "purge_logs");
      d.tiers.pro.tools.push("purge_cache", "purge_logs");
    });
    assert.deepEqual(reason0(await ops.decide({ ...O, tool: "purge_cache" })), ["deny", "reversibility", null, "reversal required"]);
    assert.equal((await ops.decide({ ...O, tool: "purge_cache", reversal: "re-warm from origin" })).decision, "allow");
    assert.equal((await ops.decide({ ...O, tool: "purge_logs" })).decision, "allow");
  });
});

describe("phased adoption", () => {
  it("changing a stage needs a reason and policy.write; it is audited", async () => {
    const none = await admin("editor", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory" });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.fields[0].path, "reason");
    const blank = await admin("editor", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory", reason: "  " });
    assert.deepEqual([blank.status, blank.body.error.fields[0].path], [400, "reason"]);
    const stage = await admin("editor", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "autonomous", reason: "x" });
    assert.deepEqual([stage.status, stage.body.error.fields[0].path], [400, "stage"]);
    assert.equal((await admin("operator", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory", reason: "x" })).status, 403);
    assert.equal((await admin("editor", "POST", "/api/v1/admin/agents/nobody/stage", { stage: "advisory", reason: "x" })).status, 404);
    assert.equal((await store.prisma.agent.findUniqueOrThrow({ where: { id: "ops-bot" } })).stage, "enforced");

    await publish((d) => (d.tools.restart_service.blast_radius.max = 0.5));
    const ok = await admin("editor", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory", reason: "calibrate before promoting" });
    assert.deepEqual([ok.status, ok.body.agent], [200, { id: "ops-bot", stage: "advisory" }]);
    const ev = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "agent.stage" } });
    assert.deepEqual([ev.target, ev.reason, ev.before, ev.after], ["agent:ops-bot", "calibrate before promoting", { stage: "enforced" }, { stage: "advisory" }]);
    assert.equal((await admin("editor", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory", reason: "again" })).status, 409);
  });

  it("advisory: the real verdict with enforced:false, and a deny opens a request for reviewers", async () => {
    const deny = await ops.decide({ ...O, tool: "restart_service", target: { service: "checkout" } });
    assert.deepEqual([...reason0(deny), deny.enforced], ["deny", "blast_radius", 0.7, 0.5, false]);
    assert.match(deny.approvalId, /^[0-9a-f-]{36}$/);
    const req = await store.prisma.actionRequest.findUniqueOrThrow({ where: { id: deny.approvalId } });
    assert.deepEqual([req.source, req.decisionId], ["advisory", deny.decisionId]);
    const allow = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.deepEqual([allow.decision, allow.enforced], ["allow", false]);
    const pending = await ops.decide({ ...O, tool: "drop_table" });
    assert.deepEqual([pending.decision, pending.primitive, pending.enforced], ["pending", "approval", false]);
  });

  it("binds even in advisory mode: a kill switch and a destructive schema change", async () => {
    const destructive = await ops.decide({ ...O, tool: "migrate_schema", args: { database: "orders-db", changes: [{ op: "drop_table", table: "orders" }] } });
    assert.deepEqual([destructive.decision, destructive.primitive, destructive.enforced], ["pending", "schema_drift", true]);
    await admin("operator", "POST", "/api/v1/admin/controls", { control: "agent_kill", target: "ops-bot", active: true, reason: "drill" });
    const killed = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.deepEqual([killed.decision, killed.primitive, killed.enforced], ["deny", "kill_switch", true]);
    assert.equal(killed.approvalId, undefined);
    await admin("operator", "POST", "/api/v1/admin/controls", { control: "agent_kill", target: "ops-bot", active: false });
  });

  it("agreement: reviewers' votes and rolled-back outcomes against the advisory verdicts", async () => {
    // Two advisory denies: reviewers reject one (agree) and approve the other (disagree).
    const d1 = await ops.decide({ ...O, tool: "restart_service", target: { service: "payments" } });
    const d2 = await ops.decide({ ...O, tool: "restart_service", target: { service: "checkout" } });
    const v1 = await admin("reviewer", "POST", `/api/v1/admin/approvals/${d1.approvalId}/votes`, { vote: "reject" });
    assert.equal(v1.status, 200, JSON.stringify([d1, v1.body]));
    assert.equal((await admin("reviewer", "POST", `/api/v1/admin/approvals/${d2.approvalId}/votes`, { vote: "approve" })).status, 200);
    // Two advisory allows: one stands (agree), one is rolled back by a human (disagree).
    const a1 = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    const a2 = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" } });
    assert.equal((await ops.call("POST", "/api/v1/outcomes", { decisionId: a1.decisionId, outcome: "success", observedBlastRadius: 0.2 })).status, 200);
    assert.equal((await ops.call("POST", "/api/v1/outcomes", { decisionId: a2.decisionId, outcome: "rolled_back", observedBlastRadius: 0.1 })).status, 200);
    await api.dp.log.flush();
    const r = await admin("viewer", "GET", "/api/v1/admin/agents/ops-bot");
    assert.equal(r.body.agent.stage, "advisory");
    const a = r.body.agreement;
    // Earlier advisory decisions in this file: one deny (undecided), two allows without outcome, one pending.
    assert.deepEqual(a.byVerdict, { allow: { run: 1, stop: 1, undecided: 1 }, deny: { run: 1, stop: 1, undecided: 1 }, pending: { run: 0, stop: 0, undecided: 1 } });
    assert.deepEqual([a.decided, a.agreed, a.disagreed, a.agreementRate], [4, 2, 2, 0.5]);
    assert.deepEqual(r.body.history.map((h: { from: string; to: string; reason: string }) => [h.from, h.to, h.reason]), [["enforced", "advisory", "calibrate before promoting"]]);
  });

  it("enforced again: the verdict binds", async () => {
    const back = await admin("admin", "POST", "/api/v1/admin/agents/ops-bot/stage", { stage: "enforced", reason: "agreement reviewed" });
    assert.equal(back.status, 200);
    const r = await ops.decide({ ...O, tool: "restart_service", target: { service: "checkout" } });
    assert.deepEqual([r.decision, r.enforced, r.approvalId], ["deny", true, undefined]);
    const list = await admin("viewer", "GET", "/api/v1/admin/agents");
    assert.deepEqual(list.body.agents.map((x: { id: string; stage: string }) => [x.id, x.stage]), [["ops-bot", "enforced"], ["support-bot", "enforced"]]);
  });
});

describe("calibration", () => {
  it("serves predicted against observed blast radius with the error summary", async () => {
    const d = await ops.decide({ ...O, tool: "restart_service", target: { service: "search" }, blastRadius: 0.05 });
    assert.equal((await ops.call("POST", "/api/v1/outcomes", { decisionId: d.decisionId, outcome: "partial", observedBlastRadius: 0.35 })).status, 200);
    await api.dp.log.flush();
    const r = await admin("viewer", "GET", "/api/v1/admin/calibration?agent=ops-bot");
    const points = r.body.blast.points.map((p: { predicted: number; observed: number; server: number }) => [p.server, p.predicted, p.observed]);
    // search is predicted at 15% by the model; observed 0.2, 0.1 (advisory allows above) and 0.35.
    assert.deepEqual(points, [[0.15, 0.15, 0.35], [0.15, 0.15, 0.1], [0.15, 0.15, 0.2]]);
    // Each point names what the chart's tooltip shows; the service comes from the stored request.
    const { at, ...first } = r.body.blast.points[0];
    assert.deepEqual(first, { decisionId: d.decisionId, agent: "ops-bot", tool: "restart_service", service: "search", outcome: "partial", server: 0.15, agentPredicted: 0.05, predicted: 0.15, observed: 0.35 });
    assert.ok(Math.abs(Date.parse(at) - Date.now()) < 60_000, `at: ${at}`);
    const s = r.body.blast.summary;
    assert.equal(s.n, 3);
    assert.ok(Math.abs(s.meanAbsoluteError - (0.2 + 0.05 + 0.05) / 3) < 1e-9);
    assert.ok(Math.abs(s.bias - (-0.2 + 0.05 - 0.05) / 3) < 1e-9);
    assert.ok(Math.abs(s.underPredicted - 2 / 3) < 1e-9);
    assert.equal(r.body.agreement[0].agent, "ops-bot");
    // The agent page's summary is computed in the store; it must say the same.
    const page = await admin("viewer", "GET", "/api/v1/admin/agents/ops-bot");
    assert.equal(page.body.blast.n, s.n);
    for (const k of ["meanAbsoluteError", "bias", "underPredicted"] as const) assert.ok(Math.abs(page.body.blast[k] - s[k]) < 1e-12, `${k}: ${page.body.blast[k]} against ${s[k]}`);
    assert.deepEqual((await admin("viewer", "GET", "/api/v1/admin/agents/support-bot")).body.blast, { n: 0, meanAbsoluteError: null, bias: null, underPredicted: null });
  });
});
