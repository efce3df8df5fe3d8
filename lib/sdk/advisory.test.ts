// Phased adoption in the SDK, against a real Governor: an advisory agent's refusals come back
// with `enforced: false` and guard() runs the call anyway (reporting the verdict); once the agent
// is enforced the same call is refused and never runs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGovernor, DeniedError, type Decision, type Governor } from "@/lib/sdk/index";
import { countingFetch, openSdkWorld, waitFor, type SdkWorld } from "@/lib/sdk/test-support";

let w: SdkWorld;
const open: Governor[] = [];
const ops = (opts: Partial<Parameters<typeof createGovernor>[0]> = {}) => {
  const g = createGovernor({ url: w.url, token: w.opsToken, agent: "ops-bot", timeoutMs: 2000, ...opts });
  open.push(g);
  return g;
};
const OVER = { tenant: "acme", session: "adv-1", tool: "restart_service", blastRadius: 0.2 };

async function setStage(stage: "advisory" | "enforced") {
  const res = await fetch(`${w.url}/api/v1/admin/agents/ops-bot/stage`, {
    method: "POST",
    headers: { authorization: `Bearer ${w.world.tokens.editor}`, "content-type": "application/json" },
    body: JSON.stringify({ stage, reason: `sdk test: ${stage}` }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { generation } = (await res.json()) as { generation: number };
  await waitFor("the server's snapshot reload", () => w.dp.holder.source.generation >= generation);
}

before(async () => {
  w = await openSdkWorld();
});
after(async () => {
  await Promise.all(open.map((g) => g.close()));
  await w.close();
});

describe("SDK and advisory agents", () => {
  it("guard runs the call on an advisory deny, reports the verdict, and records the outcome", async () => {
    await setStage("advisory");
    const seen: Decision[] = [];
    const g = ops({ onAdvisory: (d) => seen.push(d) });
    let ran = 0;
    const result = await g.guard(OVER, (d) => {
      ran += 1;
      return d.decisionId;
    });
    assert.equal(ran, 1);
    assert.deepEqual(seen.map((d) => [d.decision, d.primitive, d.enforced, d.reasons[0]?.bound]), [["deny", "blast_radius", false, 0.05]]);
    assert.equal(result, seen[0]!.decisionId);
    await g.flush();
    const outcome = await w.store.prisma.decisionOutcome.findFirstOrThrow({ where: { decisionId: result } });
    assert.equal(outcome.outcome, "success");
  });

  it("local mode sends an advisory agent's deny to the server, which records it", async () => {
    const net = countingFetch();
    const g = ops({ mode: "local", fetch: net.fetch });
    await g.ready();
    await waitFor("the advisory stage in the SDK's snapshot", () => g.snapshot?.agentStages.get("ops-bot") === "advisory");
    const d = await g.decide(OVER);
    assert.deepEqual([d.decision, d.enforced, d.local], ["deny", false, undefined]);
    assert.equal(net.count("/api/v1/decide"), 1);
  });

  it("once enforced, guard throws DeniedError and never runs the call", async () => {
    await setStage("enforced");
    const seen: Decision[] = [];
    const g = ops({ onAdvisory: (d) => seen.push(d) });
    let ran = false;
    await assert.rejects(
      g.guard(OVER, () => void (ran = true)),
      (err) => err instanceof DeniedError && err.primitive === "blast_radius" && err.decision === "deny",
    );
    assert.equal(ran, false);
    assert.deepEqual(seen, []);
  });
});
