import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { applyChangeSet } from "@/lib/changesets/apply";
import { createChangeSet, editChangeSet } from "@/lib/changesets/changesets";
import type { ChangeOp } from "@/lib/changesets/ops";
import { previewChangeSet } from "@/lib/changesets/preview";
import { revertToVersion } from "@/lib/changesets/revert";
import { voteOnChangeSet } from "@/lib/changesets/votes";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";
import { startApiServer } from "@/lib/test/api-server";
import { agentClient, waitForGeneration } from "@/lib/test/dataplane";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
let support: ReturnType<typeof agentClient>;

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

const head = async () => (await headVersion(store.prisma))!;
async function draft(ops: ChangeOp[], baseVersion?: number, reason = "test change") {
  const { result } = await createChangeSet({ db: store.prisma, principal: world.principals.editor, input: { baseVersion: baseVersion ?? (await head()), reason, ops } });
  return result;
}
async function apply(id: string, input: { reason?: string; acknowledgeStateConflicts?: boolean } = {}) {
  const r = await applyChangeSet({ db: store.prisma, principal: world.principals.editor, id, input: { acknowledgeStateConflicts: false, ...input } });
  await waitForGeneration(api.dp, r.generation);
  return r;
}
const req = (tenant: string, tool: string) => ({ agent: "support-bot", tenant, session: "cs", tool });

describe("change sets", () => {
  it("applies several keys as one version: tenant tier and the tier's tools together", async () => {
    assert.equal((await support.decide(req("globex", "refund_payment"))).primitive, "not_allowed");
    const cs = await draft([
      { op: "set", key: "tenants.globex.tier", value: "pro" },
      { op: "set", key: "tiers.pro.rate_limits.send_email", value: { count: 500, window_s: 3600 } },
    ]);
    assert.equal(cs.status, "draft");
    const r = await apply(cs.id, { reason: "globex upgraded" });
    assert.equal(r.version, 2);
    assert.deepEqual(r.changes.map((c) => c.key), ["tenants.globex.tier", "tiers.pro.rate_limits.send_email.count"]);
    assert.equal((await support.decide(req("globex", "refund_payment"))).decision, "pending");
    const audit = await store.prisma.auditEvent.findFirstOrThrow({ where: { action: "policy.apply_changeset" } });
    assert.equal(audit.reason, "globex upgraded");
    assert.deepEqual((audit.after as { changes: unknown[] }).changes[0], { key: "tenants.globex.tier", from: "free", to: "pro" });
    assert.equal(audit.generation, r.generation);
  });

  it("the documented key paths mean what they say", async () => {
    const cs = await draft([
      { op: "set", key: "agents.support-bot.allowed_tools", value: ["search_kb", "send_email"] },
      { op: "set", key: "tiers.free.tools", value: ["search_kb", "send_email", "restart_service", "drop_table"] },
      { op: "set", key: "tools.send_email.rate_limit", value: { count: 10000, window_s: 60 } },
    ]);
    await apply(cs.id);
    assert.equal((await support.decide(req("acme", "refund_payment"))).primitive, "not_allowed");
    const doc = await loadVersionDocument(store.prisma, await head());
    assert.deepEqual(doc.tools.send_email!.rate_limit, { count: 10000, window_s: 60 });
  });

  it("rebases onto a moved head when no key overlaps, and refuses overlapping keys naming them", async () => {
    const base = await head();
    const a = await draft([{ op: "set", key: "tenants.acme.tier", value: "free" }], base);
    const b = await draft([{ op: "set", key: "tools.search_kb.description", value: "Search articles" }], base);
    const c = await draft([{ op: "set", key: "tenants.acme", value: { tier: "pro" } }], base);
    await apply(a.id);
    const rb = await apply(b.id);
    assert.equal(rb.rebasedFrom, base);
    const doc = await loadVersionDocument(store.prisma, rb.version);
    assert.equal(doc.tenants.acme!.tier, "free", "the first change is kept");
    assert.equal(doc.tools.search_kb!.description, "Search articles");

    await assert.rejects(apply(c.id), (e: Error & { code?: string; details?: { keys: { key: string; version: number }[] } }) => {
      assert.equal(e.code, "conflict");
      assert.deepEqual(e.details?.keys, [{ key: "tenants.acme.tier", version: rb.version - 1 }]);
      assert.match(e.message, /tenants\.acme\.tier \(changed in version \d+\)/);
      return true;
    });
    assert.equal((await store.prisma.changeSet.findUniqueOrThrow({ where: { id: c.id } })).status, "conflicted");
  });

  it("refuses emergent conflicts with the compiler's key paths (422)", async () => {
    const removed = await draft([{ op: "unset", key: "tools.search_kb" }]);
    await assert.rejects(apply(removed.id), (e: Error & { code?: string; fields?: { path: string }[] }) => {
      assert.equal(e.code, "unprocessable");
      assert.ok(e.fields?.some((f) => f.path === "agents.support-bot.allowed_tools.0"), JSON.stringify(e.fields));
      return true;
    });
    const deadlock = await draft([{ op: "set", key: "tiers.pro.rate_limits.refund_payment", value: { count: 0, window_s: 60 } }]);
    await assert.rejects(apply(deadlock.id), /deadlock/);
  });

  it("reports a state conflict when a lowered limit is below counters in use, and applies once acknowledged", async () => {
    await apply((await draft([{ op: "set", key: "tiers.free.rate_limits.send_email", value: { count: 5, window_s: 3600 } }, { op: "set", key: "tenants.globex.tier", value: "free" }])).id);
    for (let i = 0; i < 4; i++) assert.equal((await support.decide(req("globex", "send_email"))).decision, "allow");
    await api.dp.limiter.flush();
    const lower = await draft([{ op: "set", key: "tiers.free.rate_limits.send_email.count", value: 2 }]);
    const preview = await previewChangeSet(store.prisma, lower.id);
    assert.equal(preview.stateConflicts[0]?.path, "tiers.free.rate_limits.send_email");
    assert.match(preview.stateConflicts[0]!.message, /from 5 to 2, but 4 calls are already counted/);
    await assert.rejects(apply(lower.id), /State conflict/);
    const r = await apply(lower.id, { acknowledgeStateConflicts: true });
    assert.ok(r.version > 0);
    assert.equal((await support.decide(req("globex", "send_email"))).primitive, "rate_limit");
  });

  it("sensitive keys need reviewer approval; an edit voids it; applied change sets cannot be edited", async () => {
    const cs = await draft([{ op: "set", key: "tools.refund_payment.approval.quorum", value: 1 }]);
    assert.equal(cs.status, "pending_approval");
    assert.match(cs.sensitivity[0]!, /tools\.refund_payment\.approval\.quorum matches sensitive key pattern "tools\.\*\.approval"/);
    await assert.rejects(apply(cs.id), /needs reviewer approval/);
    await assert.rejects(voteOnChangeSet({ db: store.prisma, principal: world.principals.viewer, id: cs.id, input: { vote: "approve" } }), /approvals\.vote/);
    const v = await voteOnChangeSet({ db: store.prisma, principal: world.principals.reviewer, id: cs.id, input: { vote: "approve" } });
    assert.equal(v.result.changeSetStatus, "approved");
    await assert.rejects(voteOnChangeSet({ db: store.prisma, principal: world.principals.reviewer, id: cs.id, input: { vote: "approve" } }), /pending approval/);

    const edited = await editChangeSet({ db: store.prisma, principal: world.principals.editor, id: cs.id, input: { ops: [{ op: "set", key: "tools.refund_payment.approval.quorum", value: 3 }] } });
    assert.deepEqual([edited.result.status, edited.result.approvalsVoided], ["pending_approval", 1]);
    await voteOnChangeSet({ db: store.prisma, principal: world.principals.reviewer, id: cs.id, input: { vote: "approve" } });
    await apply(cs.id);
    await assert.rejects(editChangeSet({ db: store.prisma, principal: world.principals.editor, id: cs.id, input: { reason: "again" } }), /can never be edited/);
  });

  it("granting a write tool is sensitive too", async () => {
    const cs = await draft([{ op: "set", key: "agents.support-bot.allowed_tools", value: ["search_kb", "send_email", "refund_payment", "restart_service"] }]);
    assert.equal(cs.status, "pending_approval");
    assert.ok(cs.sensitivity.some((r) => /grants write tool "restart_service"/.test(r)));
  });

  it("revert makes a new version equal to an older one, through the same checks", async () => {
    const { result } = await revertToVersion({ db: store.prisma, principal: world.principals.editor, version: 1 });
    // Version 1 has other approval quorums than the live one, so the revert is sensitive.
    assert.equal(result.status, "pending_approval");
    await voteOnChangeSet({ db: store.prisma, principal: world.principals.reviewer, id: result.id, input: { vote: "approve" } });
    const r = await apply(result.id);
    const [v1, now] = await Promise.all([store.prisma.policyVersion.findUniqueOrThrow({ where: { number: 1 } }), store.prisma.policyVersion.findUniqueOrThrow({ where: { number: r.version } })]);
    assert.equal(now.sha256, v1.sha256);
  });

  it("previews the diff and the impact on recorded decisions", async () => {
    for (let i = 0; i < 5; i++) await support.decide(req("acme", "search_kb"));
    await api.dp.log.flush();
    const cs = await draft([{ op: "set", key: "agents.support-bot.allowed_tools", value: ["send_email", "refund_payment"] }]);
    const p = await previewChangeSet(store.prisma, cs.id);
    assert.deepEqual(p.diff, [{ key: "agents.support-bot.allowed_tools", from: ["search_kb", "send_email", "refund_payment"], to: ["send_email", "refund_payment"] }]);
    assert.deepEqual(p.errors, []);
    const impact = p.impact!;
    assert.ok(impact.replayed >= 5);
    assert.ok((impact.byTool.search_kb ?? 0) >= 5, JSON.stringify(impact.byTool));
    assert.ok((impact.byDirection["allow → deny"] ?? 0) >= 5);
    assert.equal(impact.byPrimitive.not_allowed, impact.flipped);
    assert.equal(impact.examples[0]?.to.primitive, "not_allowed");
  });
});
