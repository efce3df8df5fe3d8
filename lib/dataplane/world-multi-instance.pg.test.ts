// The observed world (runtime model, schema reports, agent stages) changed through one instance
// reaches the decisions of another through the generation bump and NOTIFY, like a policy change.
// PostgreSQL only: PGlite has one owner process by design.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Store } from "@/lib/db/store";
import type { ServerProcess } from "@/lib/test/server-process";
import { startTwoInstances, type TwoInstances } from "@/lib/test/two-instances";

const OPS_TOKEN = "gov_agent_world_multi_instance_ops_0001";
const BASE_ENV = {
  NODE_ENV: "production",
  GOVERNOR_CONSOLE: "off",
  GOVERNOR_ALLOW_SEED: "1",
  GOVERNOR_SECRET: "world-multi-instance-secret-0123456789",
  GOVERNOR_DEMO_PASSWORD: "world-multi-instance-pw",
  GOVERNOR_DEMO_OPS_AGENT_TOKEN: OPS_TOKEN,
};

let instances: TwoInstances | undefined;
let a: ServerProcess;
let b: ServerProcess;
let store: Store;
let editorToken: string;

async function call(server: ServerProcess, token: string, path: string, body: unknown) {
  const res = await fetch(server.url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Asks B until `ok` holds for its answer, within `limitMs`. */
async function untilB(req: object, ok: (d: Record<string, any>) => boolean, limitMs = 2000) {
  const start = performance.now();
  for (;;) {
    const d = (await call(b, OPS_TOKEN, "/api/v1/decide", { agent: "ops-bot", tenant: "acme", session: "w1", ...req })).body;
    if (ok(d)) return d;
    if (performance.now() - start > limitMs) assert.fail(`instance B still answers ${JSON.stringify(d)} after ${limitMs} ms`);
  }
}

before(async () => {
  instances = await startTwoInstances(BASE_ENV, "model import");
  ({ a, b, store, editorToken } = instances);
});
after(async () => instances?.stop());

describe("the observed world across two instances", () => {
  it("a model import, a schema report and a stage change on A apply to B's next decisions", async () => {
    const restart = { tool: "restart_service", target: { service: "payments" } };
    assert.equal((await untilB(restart, () => true)).decision, "allow", "no model yet: nothing predicted");
    const imp = await call(a, editorToken, "/api/v1/admin/runtime-model/import", { services: [{ name: "payments", share: 0.1 }, { name: "web", share: 0.4 }], edges: [{ service: "web", dependsOn: "payments" }] });
    assert.equal(imp.status, 200, JSON.stringify(imp.body));
    const denied = await untilB(restart, (d) => d.decision === "deny");
    assert.deepEqual([denied.primitive, denied.reasons[0].value, denied.reasons[0].bound], ["blast_radius", 0.5, 0.05]);

    const drop = { tool: "drop_table", args: { database: "main", preconditions: { tables: { orders: ["id"] } } } };
    const rep = await call(a, OPS_TOKEN, "/api/v1/schema-state", { database: "main", tables: { invoices: ["id"] } });
    assert.equal(rep.status, 200, JSON.stringify(rep.body));
    const drift = await untilB(drop, (d) => d.primitive === "schema_drift");
    assert.deepEqual([drift.decision, drift.reasons[0].value], ["deny", ["orders (table)"]]);

    const stage = await call(a, editorToken, "/api/v1/admin/agents/ops-bot/stage", { stage: "advisory", reason: "multi-instance test" });
    assert.equal(stage.status, 200, JSON.stringify(stage.body));
    const advisory = await untilB(restart, (d) => d.enforced === false);
    assert.deepEqual([advisory.decision, advisory.primitive], ["deny", "blast_radius"]);
  });
});
