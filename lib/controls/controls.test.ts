import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setControl } from "@/lib/controls/controls";
import { cancelRecovery, confirmRecovery } from "@/lib/controls/recovery";
import { updateSettings } from "@/lib/controls/settings";
import { verifyChain } from "@/lib/audit/verify";
import type { Principal } from "@/lib/auth/principal";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";
import { readGeneration } from "@/lib/db/generation";
import { adminClient, draftChangeSet } from "@/lib/test/rollouts";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
});
after(async () => {
  await api.close();
  await store.close();
});

const post = (token: string, path: string, body: unknown) =>
  fetch(api.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

const controlsNow = async () => (await store.prisma.runtimeControl.findMany()).map((c) => `${c.control}:${c.target}`).sort();

describe("runtime controls via POST /api/v1/admin/controls", () => {
  it("an incident bot with a personal token kills and recovers; the answer carries the generation", async () => {
    const kill = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "global_kill", active: true });
    assert.equal(kill.status, 200);
    const body = await kill.json();
    assert.ok(Number.isInteger(body.generation) && body.generation > 0);
    assert.deepEqual(await controlsNow(), ["global_kill:"]);

    const noReason = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "global_kill", active: false });
    assert.equal(noReason.status, 400);
    assert.match((await noReason.json()).error.message, /reason: is required to lift the global kill switch/);
    assert.deepEqual(await controlsNow(), ["global_kill:"]);

    const viewer = await post(world.tokens.viewer, "/api/v1/admin/controls", { control: "global_kill", active: false, reason: "x" });
    assert.equal(viewer.status, 403);

    const recover = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "global_kill", active: false, reason: "root cause fixed" });
    assert.equal(recover.status, 200);
    assert.deepEqual(await controlsNow(), []);
    const audit = await store.prisma.auditEvent.findFirst({ where: { action: "control.deactivate" }, orderBy: { seq: "desc" } });
    assert.equal(audit?.reason, "root cause fixed");
  });

  it("names the missing target for targeted kills and refuses a target on global modes", async () => {
    const r1 = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "tool_kill", active: true });
    assert.equal(r1.status, 400);
    assert.match((await r1.json()).error.message, /target: is required for tool_kill/);
    const r2 = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "read_only", target: "x", active: true });
    assert.match((await r2.json()).error.message, /target: must be omitted for read_only/);
    const r3 = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "read_only", active: false });
    assert.equal(r3.status, 409);
  });
});

describe("targets that nothing names", () => {
  const kill = (body: Record<string, unknown>) => post(world.tokens.operator, "/api/v1/admin/controls", { active: true, reason: "INC-7", ...body });
  const auditCount = () => store.prisma.auditEvent.count();

  it("refuses to stop a tool, agent or tenant the policy does not name, naming the field and the known names, and changes nothing", async () => {
    const before = { controls: await controlsNow(), generation: await readGeneration(store.prisma), audit: await auditCount() };
    const typo = await kill({ control: "tool_kill", target: "refund_paymnet" });
    assert.equal(typo.status, 400);
    const body = (await typo.json()).error;
    assert.equal(body.code, "validation_failed");
    assert.deepEqual(body.fields.map((f: { path: string }) => f.path), ["target"]);
    assert.match(body.message, /target: "refund_paymnet" is not a tool in the live policy \(version \d+\)/);
    assert.match(body.message, /Known tools: drop_table, refund_payment, restart_service, search_kb, send_email\./);
    assert.match(body.message, /"force": true/);
    for (const [control, target] of [["agent_kill", "supprt-bot"], ["tenant_kill", "initech"]] as const) {
      const r = await kill({ control, target });
      assert.equal(r.status, 400, `${control} ${target}`);
      assert.match((await r.json()).error.message, new RegExp(`"${target}" is not ${control === "agent_kill" ? "an agent" : "a tenant"} in the live policy`));
    }
    assert.deepEqual({ controls: await controlsNow(), generation: await readGeneration(store.prisma), audit: await auditCount() }, before);
  });

  it("stops an unnamed target with force, and lifts it without", async () => {
    const forced = await kill({ control: "tool_kill", target: "export_report", force: true });
    assert.equal(forced.status, 200);
    assert.ok((await controlsNow()).includes("tool_kill:export_report"));
    const audited = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "control.activate", target: "control:tool_kill:export_report" }, orderBy: { seq: "desc" } });
    assert.deepEqual(audited.after, { control: "tool_kill", target: "export_report", active: true, forced: true });
    const lifted = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "tool_kill", target: "export_report", active: false });
    assert.equal(lifted.status, 200);
    assert.ok(!(await controlsNow()).includes("tool_kill:export_report"));
    const badForce = await kill({ control: "tool_kill", target: "search_kb", force: "yes" });
    assert.equal(badForce.status, 400);
    assert.match((await badForce.json()).error.message, /force: must be true or false/);
  });

  it("knows the tools of an active rollout's candidate and registered agents the policy does not list", async () => {
    const id = await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tools.export_report", value: { kind: "read", description: "Export a report.", zone: "internal", failsafe: "operational" } }]);
    const start = await adminClient(api.url, world.tokens.editor)("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 10, minDurationSec: 3600 }, { percent: 100 }], reason: "new tool" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    try {
      const r = await kill({ control: "tool_kill", target: "export_report" });
      assert.equal(r.status, 200, JSON.stringify(await r.clone().json()));
      assert.ok((await controlsNow()).includes("tool_kill:export_report"));
      await post(world.tokens.operator, "/api/v1/admin/controls", { control: "tool_kill", target: "export_report", active: false });
    } finally {
      await adminClient(api.url, world.tokens.editor)("POST", `/api/v1/admin/rollouts/${start.body.id}/abort`, { reason: "test over" });
    }
    await store.prisma.agent.create({ data: { id: "billing-bot", name: "billing-bot" } });
    const agent = await kill({ control: "agent_kill", target: "billing-bot" });
    assert.equal(agent.status, 200);
    await post(world.tokens.operator, "/api/v1/admin/controls", { control: "agent_kill", target: "billing-bot", active: false });
  });
});

describe("two-person recovery", () => {
  it("the first operator's recovery waits for a different operator; the requester cannot confirm", async () => {
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { recovery_two_person: true } });
    await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "global_kill", active: true } });

    const first = await post(world.tokens.operator, "/api/v1/admin/controls", { control: "global_kill", active: false, reason: "all clear" });
    assert.equal(first.status, 202);
    const { recoveryId, status } = await first.json();
    assert.equal(status, "awaiting_confirmation");
    assert.deepEqual(await controlsNow(), ["global_kill:"], "the kill stays until confirmed");

    await assert.rejects(confirmRecovery({ db: store.prisma, principal: world.principals.operator, recoveryId }), /a second operator must confirm/);
    const second = await post(world.tokens.admin, `/api/v1/admin/controls/recoveries/${recoveryId}/confirm`, {});
    assert.equal(second.status, 200);
    assert.deepEqual(await controlsNow(), []);
    const again = await post(world.tokens.admin, `/api/v1/admin/controls/recoveries/${recoveryId}/confirm`, {});
    assert.equal(again.status, 409);
    assert.match((await again.json()).error.message, /already confirmed by admin/);
    const actions = (await store.prisma.auditEvent.findMany({ where: { action: { startsWith: "control.recovery" } }, orderBy: { seq: "asc" } })).map((e) => `${e.action}:${e.actorName}`);
    assert.deepEqual(actions, ["control.recovery_requested:oncall", "control.recovery_confirmed:admin"]);
  });

  it("a cancelled request leaves the kill on", async () => {
    await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "global_kill", active: true } });
    const { result } = await setControl({ db: store.prisma, principal: world.principals.admin, input: { control: "global_kill", active: false, reason: "try" } });
    assert.equal(result.status, "awaiting_confirmation");
    await cancelRecovery({ db: store.prisma, principal: world.principals.operator, recoveryId: (result as { recoveryId: string }).recoveryId });
    assert.deepEqual(await controlsNow(), ["global_kill:"]);
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { recovery_two_person: false } });
    await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "global_kill", active: false, reason: "done" } });
  });
});

describe("webhooks for stops and recoveries", () => {
  it("tells the team channel about every committed flip and recovery step, and nothing about a refused one", async () => {
    await store.prisma.webhookDelivery.deleteMany();
    await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: ["https://hooks.example/incidents"], recovery_two_person: true } });
    try {
      const op = world.principals.operator;
      // Deliveries in the order of the steps: each step's are read before the next (createdAt
      // is to the millisecond, too coarse to order steps that follow each other closely).
      const sent: { event: string; url: string; text: string; control: string; target: string | null }[] = [];
      const seen = new Set<string>();
      const step = async (run: () => Promise<unknown>) => {
        await run();
        for (const d of await store.prisma.webhookDelivery.findMany()) {
          if (seen.has(d.id)) continue;
          seen.add(d.id);
          sent.push({ event: d.event, url: d.url, ...(d.payload as { text: string; control: string; target: string | null }) });
        }
      };
      await step(() => setControl({ db: store.prisma, principal: op, input: { control: "agent_kill", target: "support-bot", active: true, reason: "INC-40 refund loop" } }));
      await step(() => setControl({ db: store.prisma, principal: op, input: { control: "agent_kill", target: "support-bot", active: false, reason: "fixed" } }));
      await step(() => assert.rejects(setControl({ db: store.prisma, principal: op, input: { control: "tool_kill", target: "search_kb", active: false } }), /not active/));
      await step(() => setControl({ db: store.prisma, principal: op, input: { control: "global_kill", active: true, reason: "INC-41" } }));
      let recoveryId = "";
      await step(async () => {
        const asked = await setControl({ db: store.prisma, principal: op, input: { control: "global_kill", active: false, reason: "all clear" } });
        recoveryId = (asked.result as { recoveryId: string }).recoveryId;
      });
      await step(() => cancelRecovery({ db: store.prisma, principal: world.principals.admin, recoveryId }));
      await step(async () => {
        const again = await setControl({ db: store.prisma, principal: op, input: { control: "global_kill", active: false, reason: "really clear" } });
        recoveryId = (again.result as { recoveryId: string }).recoveryId;
      });
      await step(() => confirmRecovery({ db: store.prisma, principal: world.principals.admin, recoveryId }));

      assert.ok(sent.every((d) => d.url === "https://hooks.example/incidents"));
      assert.deepEqual(sent.map((d) => [d.event, d.control, d.target, d.text]), [
        ["control.activated", "agent_kill", "support-bot", ":rotating_light: Agent *support-bot* stopped: its calls are denied (by oncall)"],
        ["control.lifted", "agent_kill", "support-bot", ":large_green_circle: Agent *support-bot* resumed (by oncall)"],
        ["control.activated", "global_kill", null, ":rotating_light: Global kill switch: every agent's calls are denied (by oncall)"],
        ["control.recovery_requested", "global_kill", null, ":hourglass: oncall asked to lift the global kill switch; a second operator must confirm"],
        ["control.recovery_cancelled", "global_kill", null, ":no_entry: The request to lift the global kill switch was cancelled by admin; the kill stays"],
        ["control.recovery_requested", "global_kill", null, ":hourglass: oncall asked to lift the global kill switch; a second operator must confirm"],
        ["control.lifted", "global_kill", null, ":large_green_circle: Global kill switch lifted: agents resume (by admin (confirming oncall))"],
      ]);
      // The reason rides along in the Slack block, as for approvals.
      const first = (await store.prisma.webhookDelivery.findFirstOrThrow({ where: { event: "control.activated" }, orderBy: { createdAt: "asc" } })).payload as { blocks: { text: { text: string } }[] };
      assert.match(first.blocks[0]!.text.text, /\nINC-40 refund loop$/);
    } finally {
      await updateSettings({ db: store.prisma, principal: world.principals.admin, input: { approval_webhooks: [], recovery_two_person: false } });
      await store.prisma.webhookDelivery.deleteMany();
    }
  });
});

describe("concurrent flips", () => {
  it("the final state is the last committed flip and the audit shows every flip in commit order", async () => {
    const operators: Principal[] = [world.principals.operator, world.principals.admin];
    const flips = Array.from({ length: 30 }, (_, i) => ({ principal: operators[i % 2]!, active: i % 3 !== 0 }));
    const before = (await store.prisma.auditEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0;
    const results = await Promise.allSettled(
      flips.map((f) => setControl({ db: store.prisma, principal: f.principal, input: { control: "tool_kill", target: "send_email", active: f.active } })),
    );
    const committed = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof setControl>>>).value);
    // Turning off a control that is already off is refused (409), so not every flip commits.
    assert.ok(committed.length >= 15, `only ${committed.length} flips committed`);
    const events = await store.prisma.auditEvent.findMany({ where: { seq: { gt: before }, target: "control:tool_kill:send_email" }, orderBy: { seq: "asc" } });
    assert.equal(events.length, committed.length);
    // Commit order = audit order = generation order.
    const gens = events.map((e) => e.generation!);
    assert.deepEqual(gens, [...gens].sort((x, y) => x - y));
    const last = events[events.length - 1]!;
    const active = (await controlsNow()).includes("tool_kill:send_email");
    assert.equal(active, last.action === "control.activate");
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });
});

describe("PATCH /api/v1/admin/settings", () => {
  const patch = (body: unknown) =>
    fetch(api.url + "/api/v1/admin/settings", { method: "PATCH", headers: { authorization: `Bearer ${world.tokens.admin}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const auditCount = () => store.prisma.auditEvent.count();
  const settingsNow = async () => Object.fromEntries((await store.prisma.setting.findMany()).map((s) => [s.key, s.value]));

  it("changes only the setting it names: adding a webhook leaves two-person recovery on", async () => {
    assert.equal((await patch({ recovery_two_person: true })).status, 200);
    const hooks = await patch({ approval_webhooks: ["https://hooks.example/approvals"] });
    assert.equal(hooks.status, 200);
    assert.deepEqual((await hooks.json()).settings, { recovery_two_person: true, approval_webhooks: ["https://hooks.example/approvals"] });
    // And the other way round: the console's two-person toggle keeps the webhooks.
    assert.equal((await patch({ recovery_two_person: false })).status, 200);
    assert.deepEqual(await settingsNow(), { recovery_two_person: false, approval_webhooks: ["https://hooks.example/approvals"] });
    const audit = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { seq: "desc" } });
    assert.deepEqual([audit.before, audit.after], [{ recovery_two_person: true, approval_webhooks: ["https://hooks.example/approvals"] }, { recovery_two_person: false, approval_webhooks: ["https://hooks.example/approvals"] }]);
  });

  it("refuses a misspelt or empty patch, naming the field, and changes nothing", async () => {
    const before = { settings: await settingsNow(), generation: await readGeneration(store.prisma), audit: await auditCount() };
    const typo = await patch({ recovery_two_persn: true });
    assert.equal(typo.status, 400);
    assert.deepEqual((await typo.json()).error.fields, [{ path: "recovery_two_persn", message: "is not a known field" }, { path: "(body)", message: "must change at least one setting" }]);
    const empty = await patch({});
    assert.equal(empty.status, 400);
    assert.match((await empty.json()).error.message, /must change at least one setting/);
    assert.deepEqual({ settings: await settingsNow(), generation: await readGeneration(store.prisma), audit: await auditCount() }, before);
  });
});
