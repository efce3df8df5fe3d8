import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { startApiServer } from "@/lib/test/api-server";
import { adminClient, draftChangeSet } from "@/lib/test/rollouts";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";

// The incident CLI as an on-call engineer runs it: a real process against the real admin API.

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

async function cli(args: string[], token: string | null = world.tokens.operator) {
  const { GOVERNOR_TOKEN: _unset, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/governor-cli.ts", ...args], {
      env: { ...env, GOVERNOR_URL: api.url, ...(token ? { GOVERNOR_TOKEN: token } : {}) },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
const active = async () => (await store.prisma.runtimeControl.findMany()).map((c) => `${c.control}:${c.target}`).sort();

describe("npm run governor (the incident CLI)", () => {
  it("refuses a kill whose tool the policy does not name, exit 1, telling how to force it, and stops nothing", async () => {
    const r = await cli(["kill", "--tool", "refund_paymnet", "--reason", "INC-9"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Governor refused \(400\): target: "refund_paymnet" is not a tool in the live policy/);
    assert.match(r.stderr, /Known tools: .*refund_payment/);
    assert.match(r.stderr, /Add --force to stop it anyway/);
    assert.deepEqual(await active(), []);
  });

  it("kills a tool, shows it in status, and recovers it", async () => {
    const kill = await cli(["kill", "--tool", "refund_payment", "--reason", "INC-9: refunds misfiring"]);
    assert.equal(kill.code, 0, kill.stderr);
    assert.match(kill.stdout, /^Stopped \(tool_kill refund_payment\); generation \d+\.$/m);
    assert.deepEqual(await active(), ["tool_kill:refund_payment"]);
    const status = await cli(["status"]);
    assert.match(status.stdout, /^ACTIVE {2}tool_kill refund_payment {2}since \S+ by oncall: INC-9: refunds misfiring$/m);
    const recover = await cli(["recover", "--tool", "refund_payment", "--reason", "fix deployed"]);
    assert.equal(recover.code, 0, recover.stderr);
    assert.match(recover.stdout, /^Recovered \(tool_kill refund_payment\);/m);
    assert.equal((await cli(["status"])).stdout.trim(), "No runtime control is active.");
  });

  it("--force stops a name the policy does not have yet", async () => {
    const r = await cli(["kill", "--tool", "export_report", "--force", "--reason", "before the release"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await active(), ["tool_kill:export_report"]);
    assert.equal((await cli(["recover", "--tool", "export_report", "--reason", "released"])).code, 0);
  });

  it("agents lists each agent's status, and with a name what it may call per tenant and its latest denials", async () => {
    const list = await cli(["agents"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^AGENT +STATUS +STAGE +LAST 15 MIN +LAST ASKED$/m);
    assert.match(list.stdout, /^support-bot +running +enforced +0 \(allow 0, pending 0, deny 0\) +never$/m);

    assert.equal((await cli(["kill", "--agent", "support-bot", "--reason", "INC-12"])).code, 0);
    try {
      assert.match((await cli(["agents"])).stdout, /^support-bot +STOPPED by oncall \(INC-12\) +enforced/m);
      const one = await cli(["agents", "support-bot"]);
      assert.equal(one.code, 0, one.stderr);
      assert.match(one.stdout, /^support-bot: STOPPED by oncall \(INC-12\), enforced; last asked never/m);
      assert.match(one.stdout, /^TOOL +acme +globex$/m);
      assert.match(one.stdout, /^send_email +STOPPED \[1,000 per hour\] +STOPPED \[100 per hour\]$/m);
    } finally {
      assert.equal((await cli(["recover", "--agent", "support-bot", "--reason", "done"])).code, 0);
    }
    const live = await cli(["agents", "support-bot"]);
    assert.match(live.stdout, /^refund_payment +needs approval +not available$/m);
    assert.match(live.stdout, /^No denials logged\.$/m);
    // During a rollout, what the candidate changes for the agent.
    const editor = adminClient(api.url, world.tokens.editor);
    const id = await draftChangeSet(store.prisma, world.principals.editor, [{ op: "set", key: "tenants.globex.tier", value: "pro" }]);
    const start = await editor("POST", "/api/v1/admin/rollouts", { changeSetId: id, strategy: "canary", stages: [{ percent: 10, minDurationSec: 3600 }, { percent: 100 }], reason: "globex to pro" });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    try {
      const during = await cli(["agents", "support-bot"]);
      assert.match(during.stdout, new RegExp(`^A rollout sends 10% of sessions to version ${start.body.candidateVersion}, which answers differently:\n  refund_payment for globex: needs approval$`, "m"));
    } finally {
      await editor("POST", `/api/v1/admin/rollouts/${start.body.id}/abort`, { reason: "test over" });
    }
    const missing = await cli(["agents", "nobody"]);
    assert.deepEqual([missing.code, missing.stderr.trim()], [1, 'Governor refused (404): No agent named "nobody".']);
  });

  it("reject-pending counts first, rejects only with --yes, and says what it did", async () => {
    const now = Date.now();
    const rows = Array.from({ length: 3 }, (_, i) => ({
      id: `00000000-0000-4000-a000-00000000000${i}`, decisionId: `cli-bulk-${i}`, agentId: "ops-bot", tenant: "acme", session: "s", tool: "drop_table",
      source: "rule", quorum: 1, reviewerGroup: "reviewers", policyVersion: 1, generation: 1, createdAt: new Date(now - (10 - i) * 60_000), expiresAt: new Date(now + 3_600_000),
    }));
    await store.prisma.actionRequest.createMany({ data: [...rows, { ...rows[0]!, id: "00000000-0000-4000-a000-000000000009", decisionId: "cli-bulk-9", agentId: "support-bot", tool: "refund_payment" }] });
    const agent = await cli(["agents", "ops-bot"]);
    assert.match(agent.stdout, /^3 approval request\(s\) waiting for reviewers; a reviewer clears them with: npm run governor -- reject-pending --agent ops-bot --reason "…"$/m);
    const dry = await cli(["reject-pending", "--agent", "ops-bot", "--reason", "INC-7 loop"], world.tokens.reviewer);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^3 pending request\(s\) for agent ops-bot as of .*; you may reject 3\.\nNothing was rejected\. Add --yes to reject them\.\n$/);
    assert.equal(await store.prisma.actionRequest.count({ where: { status: "rejected" } }), 0);
    const done = await cli(["reject-pending", "--agent", "ops-bot", "--reason", "INC-7 loop", "--yes"], world.tokens.reviewer);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /3 of 3 done\nRejected 3; 0 more took your reject vote and need more rejections\.\n$/);
    assert.deepEqual((await store.prisma.actionRequest.findMany({ where: { status: "rejected" }, orderBy: { id: "asc" } })).map((r) => r.id), rows.map((r) => r.id));
    const noReason = await cli(["reject-pending", "--agent", "ops-bot"], world.tokens.reviewer);
    assert.deepEqual([noReason.code, noReason.stderr.trim()], [2, 'reject-pending needs --reason "why" (at least 3 characters): it is audited and sent with each rejection.']);
    const operator = await cli(["reject-pending", "--reason", "loop", "--yes"]);
    assert.equal(operator.code, 1);
    assert.match(operator.stderr, /Governor refused \(403\)/);
    assert.equal(await store.prisma.actionRequest.count({ where: { status: "pending" } }), 1);
  });

  it("answers misuse with exit 2 and says what is wrong, before calling Governor", async () => {
    const two = await cli(["kill", "--tool", "a", "--agent", "b"]);
    assert.deepEqual([two.code, two.stderr.trim()], [2, "Give at most one of --tool, --agent, --tenant (got --tool, --agent)."]);
    const noToken = await cli(["status"], null);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /GOVERNOR_TOKEN is not set/);
    const viewer = await cli(["kill", "--reason", "x"], world.tokens.viewer);
    assert.equal(viewer.code, 1);
    assert.match(viewer.stderr, /Governor refused \(403\)/);
    assert.deepEqual(await active(), []);
  });
});
