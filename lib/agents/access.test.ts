import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentAccess, type AgentAccess } from "@/lib/agents/access";
import { canaryDifferences } from "@/lib/agents/canary-diff";
import { compile } from "@/lib/policy/compile";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { PolicyDocument } from "@/lib/policy/document";
import type { ControlState, Overlay } from "@/lib/policy/overlay";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const snap = (overlay: Partial<Overlay> = {}) => compile(PolicyDocument.parse(DEMO_POLICY), { controls: [], grants: [], ...overlay }, { policyVersion: 7, generation: 42 });
const control = (c: ControlState["control"], target = ""): ControlState => ({ control: c, target, reason: "incident 7", setBy: "oncall", setAt: "2026-11-29T11:59:00Z" });
/** tool → tenant → "decision primitive" */
const grid = (a: AgentAccess) => Object.fromEntries(a.tools.map((t) => [t.tool, Object.fromEntries(t.tenants.map((c) => [c.tenant, `${c.decision} ${c.primitive ?? "-"}`]))]));

describe("an agent's access, per tool and tenant", () => {
  it("gives the engine's verdict on a plain call of each tool the agent may call", () => {
    const a = agentAccess(snap(), "support-bot", NOW);
    assert.equal(a.inPolicy, true);
    assert.deepEqual([a.policyVersion, a.generation], [7, 42]);
    assert.deepEqual(a.tenants, ["acme", "globex"]);
    assert.deepEqual(grid(a), {
      refund_payment: { acme: "pending approval", globex: "deny not_allowed" },
      search_kb: { acme: "allow -", globex: "allow -" },
      send_email: { acme: "allow -", globex: "allow -" },
    });
    const globexRefund = a.tools.find((t) => t.tool === "refund_payment")!.tenants.find((c) => c.tenant === "globex")!;
    assert.equal(globexRefund.message, '"refund_payment" is not in tier "free" of tenant "globex"');
    const acmeRefund = a.tools.find((t) => t.tool === "refund_payment")!.tenants.find((c) => c.tenant === "acme")!;
    assert.equal(acmeRefund.message, '"refund_payment" needs 2 approval(s) from group "reviewers"');
  });

  it("shows each tenant's own limits in its cell and the tool's conditions once", () => {
    const a = agentAccess(snap(), "support-bot", NOW);
    const email = a.tools.find((t) => t.tool === "send_email")!;
    assert.deepEqual(email.tenants.map((c) => [c.tenant, c.limits]), [["acme", ["1,000 per hour"]], ["globex", ["100 per hour"]]]);
    assert.deepEqual([email.zone, email.conditions], ["external", []]);
    const restart = agentAccess(snap(), "ops-bot", NOW).tools.find((t) => t.tool === "restart_service")!;
    assert.ok(restart.conditions.includes("blast radius at most 5%"), restart.conditions.join("; "));
    const drop = agentAccess(snap(), "ops-bot", NOW).tools.find((t) => t.tool === "drop_table")!;
    assert.ok(drop.conditions.includes("a destructive schema change always needs explicit approval"));
  });

  it("follows kill switches and modes, as the data plane does", () => {
    const toolStopped = grid(agentAccess(snap({ controls: [control("tool_kill", "send_email")] }), "support-bot", NOW));
    assert.deepEqual(toolStopped.send_email, { acme: "deny kill_switch", globex: "deny kill_switch" });
    assert.equal(toolStopped.search_kb!.acme, "allow -");

    const tenantStopped = grid(agentAccess(snap({ controls: [control("tenant_kill", "globex")] }), "support-bot", NOW));
    assert.deepEqual(Object.values(tenantStopped).map((t) => t.globex), ["deny kill_switch", "deny kill_switch", "deny kill_switch"]);
    assert.equal(tenantStopped.search_kb!.acme, "allow -");

    const readOnly = grid(agentAccess(snap({ controls: [control("read_only")] }), "support-bot", NOW));
    assert.deepEqual([readOnly.search_kb!.acme, readOnly.send_email!.acme, readOnly.refund_payment!.acme], ["allow -", "deny read_only", "deny read_only"]);

    const approvalAll = grid(agentAccess(snap({ controls: [control("approval_all")] }), "support-bot", NOW));
    assert.equal(approvalAll.search_kb!.acme, "pending approval");

    const stopped = agentAccess(snap({ controls: [control("agent_kill", "support-bot")] }), "support-bot", NOW);
    assert.ok(stopped.tools.every((t) => t.tenants.every((c) => c.decision === "deny" && c.primitive === "kill_switch")));
    assert.equal(stopped.tools[0]!.tenants[0]!.message, 'Agent "support-bot" is stopped by oncall: incident 7');
    // Limits are the policy's, still shown while a kill refuses the call.
    assert.deepEqual(stopped.tools.find((t) => t.tool === "send_email")!.tenants[1]!.limits, ["100 per hour"]);
  });

  it("says so when the live policy does not have the agent", () => {
    const a = agentAccess(snap(), "billing-bot", NOW);
    assert.equal(a.inPolicy, false);
    assert.deepEqual(a.tools, []);
  });
});

describe("an agent's access to a tool that needs a sandbox grant", () => {
  const withGrantTool = () => {
    const doc = PolicyDocument.parse(DEMO_POLICY);
    doc.tools.purge_cache = { kind: "destructive", description: "Purge a CDN cache", failsafe: "operational", sandbox_grant_required: true };
    doc.agents["ops-bot"]!.allowed_tools.push("purge_cache");
    for (const tier of Object.values(doc.tiers)) tier.tools.push("purge_cache");
    return doc;
  };
  const grant = (resourcePattern: string | null, expiresAt = "2026-11-29T13:00:00Z") => ({ id: `g-${resourcePattern}`, agentId: "ops-bot", tools: ["purge_cache"], resourcePattern, expiresAt, revokeOnFailure: false });
  const access = (grants: ReturnType<typeof grant>[]) =>
    agentAccess(compile(withGrantTool(), { controls: [], grants }, { policyVersion: 2, generation: 3 }), "ops-bot", NOW).tools.find((t) => t.tool === "purge_cache")!;

  it("is refused without a grant, and the tool says it needs one", () => {
    const t = access([]);
    assert.deepEqual(t.tenants.map((c) => `${c.decision} ${c.primitive}`), ["deny sandbox_grant", "deny sandbox_grant"]);
    assert.match(t.tenants[0]!.message!, /needs an active sandbox grant for agent "ops-bot"/);
    assert.ok(t.conditions.some((c) => c.startsWith("needs an active sandbox grant")));
    assert.ok(t.conditions.includes("needs a declared reversal path"));
  });

  it("is allowed under a grant for any resource, and names the pattern of a narrower one", () => {
    assert.deepEqual(access([grant(null)]).tenants.map((c) => c.decision), ["allow", "allow"]);
    const narrow = access([grant("cdn-eu-*")]);
    assert.equal(narrow.tenants[0]!.primitive, "sandbox_grant");
    assert.equal(narrow.tenants[0]!.message, 'A sandbox grant covers "purge_cache" only on resources matching "cdn-eu-*".');
    // An expired grant covers nothing.
    assert.match(access([grant("cdn-eu-*", "2026-11-29T11:00:00Z")]).tenants[0]!.message!, /needs an active sandbox grant/);
  });
});

describe("what a rollout's candidate changes", () => {
  it("lists the cells it answers differently, the tools it drops, and the tools it adds", () => {
    const live = agentAccess(snap(), "support-bot", NOW);
    const doc = PolicyDocument.parse(DEMO_POLICY);
    doc.tenants.globex!.tier = "pro";
    doc.agents["support-bot"]!.allowed_tools = ["search_kb", "refund_payment", "restart_service"];
    const candidate = agentAccess(compile(doc, { controls: [], grants: [] }, { policyVersion: 8, generation: 42 }), "support-bot", NOW);
    const diff = canaryDifferences(live, candidate);
    assert.deepEqual(
      diff.cells.map((d) => `${d.tool}/${d.tenant}: ${d.canary ? `${d.canary.decision} ${d.canary.primitive}` : d.why}`),
      ["refund_payment/globex: pending approval", "send_email/acme: off its allow list", "send_email/globex: off its allow list"],
    );
    assert.deepEqual(diff.added, ["restart_service"]);
    assert.deepEqual(canaryDifferences(live, live), { cells: [], added: [] });
  });
});
