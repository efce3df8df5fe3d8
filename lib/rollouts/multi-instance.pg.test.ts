// Two server processes on one PostgreSQL: each counts the decisions it serves, the buckets add
// up across instances, the evaluator (one instance acts) rolls back once the summed canary
// metrics cross a threshold that neither instance reaches alone, and both instances' next
// decisions are on the baseline. PostgreSQL only: PGlite has one owner process by design.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Store } from "@/lib/db/store";
import { sessionIn } from "@/lib/test/rollouts";
import type { ServerProcess } from "@/lib/test/server-process";
import { startTwoInstances, type TwoInstances } from "@/lib/test/two-instances";

const AGENT_TOKEN = "gov_agent_rollout_multi_support_0001";
const BASE_ENV = {
  NODE_ENV: "production",
  GOVERNOR_CONSOLE: "off",
  GOVERNOR_ALLOW_SEED: "1",
  GOVERNOR_SECRET: "rollout-multi-instance-secret-0123456789",
  GOVERNOR_DEMO_PASSWORD: "rollout-multi-pw",
  GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
};

let instances: TwoInstances | undefined;
let a: ServerProcess;
let b: ServerProcess;
let store: Store;
let editorToken: string;

async function call(server: ServerProcess, method: string, path: string, body: unknown, token: string) {
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read loosely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
/** Canary answers seen, to compare with what the buckets summed. */
let canaryAnswers = 0;
async function decide(server: ServerProcess, session: string) {
  const d = (await call(server, "POST", "/api/v1/decide", { agent: "support-bot", tenant: "acme", session, tool: "search_kb" }, AGENT_TOKEN)).body;
  if (d.cohort === "canary") canaryAnswers++;
  return d;
}

before(async () => {
  instances = await startTwoInstances(BASE_ENV, "rollout bot");
  ({ a, b, store, editorToken } = instances);
});
after(async () => instances?.stop());

describe("a rollout across two instances", () => {
  it("sums both instances' buckets, rolls back once, and both answer from the baseline", async () => {
    const cs = await call(a, "POST", "/api/v1/admin/changesets", { baseVersion: 1, reason: "drop search_kb", ops: [{ op: "set", key: "agents.support-bot.allowed_tools", value: ["send_email", "refund_payment"] }] }, editorToken);
    assert.equal(cs.status, 201, JSON.stringify(cs.body));
    // 100 canary decisions are needed; each instance serves 60, so only the sum crosses it.
    const started = await call(a, "POST", "/api/v1/admin/rollouts", { changeSetId: cs.body.id, strategy: "canary", stages: [{ percent: 50, minDurationSec: 3600 }, { percent: 100 }], triggers: { minCanaryDecisions: 100, minRuntimeSec: 0 } }, editorToken);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const rid = started.body.id as string;
    const canary = sessionIn(rid, 50, "canary", "mc");
    const stable = sessionIn(rid, 50, "stable", "ms");
    for (const server of [a, b]) {
      const deadline = Date.now() + 5000;
      while ((await decide(server, canary)).cohort !== "canary") assert.ok(Date.now() < deadline, `${server.url} never routed to the canary`);
    }
    const burst = async (server: ServerProcess) => {
      for (let i = 0; i < 60; i++) {
        assert.equal((await decide(server, canary)).decision, "deny");
        assert.equal((await decide(server, stable)).decision, "allow");
      }
    };
    await Promise.all([burst(a), burst(b)]);
    const sent = performance.now();
    const rolled = async (server: ServerProcess) => {
      for (;;) {
        const d = await decide(server, canary);
        if (d.cohort === "stable" && d.policyVersion === 1) return performance.now() - sent;
        assert.ok(performance.now() - sent < 20_000, `${server.url} still routes to the canary`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const [msA, msB] = await Promise.all([rolled(a), rolled(b)]);
    console.log(`last bad decision → baseline on A ${msA.toFixed(0)} ms, on B ${msB.toFixed(0)} ms`);

    const r = await store.prisma.rollout.findUniqueOrThrow({ where: { id: rid } });
    assert.equal(r.status, "rolled_back");
    assert.equal(await store.prisma.rolloutEvent.count({ where: { rolloutId: rid, kind: "rollback" } }), 1, "exactly one instance acted");
    const ev = await store.prisma.rolloutEvent.findFirstOrThrow({ where: { rolloutId: rid, kind: "rollback" } });
    assert.equal((ev.detail as { metric: string }).metric, "deny_rate_delta");
    // Every decision either instance served during the rollout is in the summed buckets.
    const deadline = Date.now() + 5000;
    for (;;) {
      const sum = await store.prisma.metricBucket.aggregate({ where: { rolloutId: rid, cohort: "canary" }, _sum: { decisions: true, denies: true } });
      if (sum._sum.decisions === canaryAnswers) {
        assert.equal(sum._sum.denies, canaryAnswers);
        break;
      }
      assert.ok(Date.now() < deadline, `canary decisions summed to ${sum._sum.decisions}, but the instances answered ${canaryAnswers} on the canary`);
      await new Promise((r2) => setTimeout(r2, 100));
    }
    assert.equal((await store.prisma.policyHead.findUniqueOrThrow({ where: { id: 1 } })).version, 1);
  });
});
