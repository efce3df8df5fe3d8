// Bad input on every admin route: garbage path parameters, query strings and bodies get a clear
// 4xx (or, for a query parameter a route does not read, or a body a route does not read, its
// normal answer), never a 500. Routes come from ADMIN_ROUTES, so a new route is probed without
// touching this file. It found a NUL in a path parameter reaching PostgreSQL as a 500 on every
// route that takes one, and a malformed decisions cursor doing the same.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { checkpointTick } from "@/lib/audit/checkpoint";
import { DATA_PLANE_PATHS } from "@/lib/dataplane/routes";
import { ADMIN_ROUTES } from "@/lib/http/admin-routes";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: { url: string; close: () => Promise<void> };

before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
});
after(async () => {
  await api.close();
  await store.close();
});

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// Each path parameter gets values a typo, a script or a probe would send.
// (Raw, as they appear in the URL: "%00" is the NUL character, "%E0%A4%A" a broken escape.)
const PARAMS = ["not-a-uuid", "0", "-1", "99999999999999999999", "1.5", "%00", "%0A", "%E0%A4%A", "..%2F..", "x".repeat(300)];
// Every query parameter some route reads, each with values no route accepts.
const QUERY = [
  "cursor=zz", "cursor=-1", "cursor=1_", "limit=-5", "limit=abc", "limit=1e9", "from=yesterday", "to=2026-13-45", "before=soon",
  "minutes=abc", "minutes=0", "status=bogus", "verdict=maybe", "view=bogus", "agent=", "tool=%00", "q=%00", "n=abc", "stage=x",
];
const BODIES = ["not json", "[]", '"text"', "123", "null", '{"reason":5,"active":"yes","control":[],"id":{}}', "{".repeat(50)];

async function call(method: string, pathname: string, body?: string) {
  const res = await fetch(api.url + pathname, {
    method,
    headers: { authorization: `Bearer ${world.tokens.admin}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe("bad input on every admin route", () => {
  for (const route of ADMIN_ROUTES) {
    const label = `${route.method} ${route.path}`;
    const hasParams = /:[a-zA-Z]+/.test(route.path);
    it(`${label}: never a 500`, async () => {
      const paths = hasParams ? PARAMS.map((p) => route.path.replace(/:[a-zA-Z]+/g, p)) : [route.path];
      const failures: string[] = [];
      // Every bad parameter with one bad query or body, and every bad query or body with the
      // first parameter: each value is tried without multiplying the two lists.
      const probes = [
        ...paths.map((p, i) => [p, MUTATING.has(route.method) ? BODIES[i % BODIES.length]! : QUERY[i % QUERY.length]!] as const),
        ...(MUTATING.has(route.method) ? BODIES : QUERY).map((x) => [paths[0]!, x] as const),
      ];
      for (const [p, x] of probes) {
        const r = MUTATING.has(route.method) ? await call(route.method, p, x) : await call(route.method, `${p}?${x}`);
        if (r.status >= 500) failures.push(`${route.method} ${p} ${MUTATING.has(route.method) ? `body ${x.slice(0, 20)}` : `?${x}`} → ${r.status} ${r.text.slice(0, 200)}`);
      }
      assert.deepEqual(failures, []);
    });
  }

  for (const route of DATA_PLANE_PATHS.filter((r) => r.path !== "/api/v1/policy/stream")) {
    it(`${route.method} ${route.path} (data plane, agent token): never a 500`, async () => {
      const failures: string[] = [];
      const send = async (suffix: string, body?: string) => {
        const res = await fetch(api.url + route.path + suffix, {
          method: route.method,
          headers: { authorization: `Bearer ${SUPPORT_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body,
        });
        const text = await res.text();
        if (res.status >= 500) failures.push(`${route.path}${suffix} ${body?.slice(0, 20) ?? ""} → ${res.status} ${text.slice(0, 200)}`);
      };
      if (route.method === "GET") for (const q of [...QUERY, "tenant=%00", "session=%00", "tenant=" + "x".repeat(5000)]) await send(`?${q}`);
      else for (const body of BODIES) await send("", body);
      assert.deepEqual(failures, []);
    });
  }

  it("a bad path parameter is a 400 naming it, on the admin API and the data plane alike", async () => {
    const nul = await call("GET", "/api/v1/admin/approvals/%00");
    assert.equal(nul.status, 400);
    assert.deepEqual(JSON.parse(nul.text).error.fields, [{ path: "id", message: "must not contain control characters" }]);
    const broken = await call("GET", "/api/v1/admin/agents/%E0%A4%A");
    assert.equal(broken.status, 400);
    assert.deepEqual(JSON.parse(broken.text).error.fields, [{ path: "name", message: "is not validly percent-encoded" }]);
    const agent = await fetch(`${api.url}/api/v1/approvals/%00`, { headers: { authorization: `Bearer ${SUPPORT_TOKEN}` } });
    assert.equal(agent.status, 400);
    assert.match(((await agent.json()) as { error: { message: string } }).error.message, /^id: must not contain control characters/);
  });
});

describe("a filter a list does not take", () => {
  const fields = (r: { text: string }) => JSON.parse(r.text).error.fields as { path: string; message: string }[];

  it("is a 400 naming it, and says which list takes it, instead of answering with the unfiltered set", async () => {
    const events = await call("GET", "/api/v1/admin/audit?primitive=failsafe");
    assert.equal(events.status, 400, events.text);
    assert.deepEqual(fields(events), [{ path: "primitive", message: "filters recorded decisions, not audit events: use GET /api/v1/admin/audit/decisions" }]);
    const decisions = await call("GET", "/api/v1/admin/audit/decisions?action=policy.");
    assert.equal(decisions.status, 400, decisions.text);
    assert.match(fields(decisions)[0]!.message, /use GET \/api\/v1\/admin\/audit$/);
    // A typo names the parameters the endpoint does take.
    const typo = await call("GET", "/api/v1/admin/approvals?tol=send_email");
    assert.equal(typo.status, 400, typo.text);
    assert.deepEqual(fields(typo).map((f) => f.path), ["tol"]);
    assert.match(fields(typo)[0]!.message, /it takes status, tool, agent, tenant, q, before, view/);
    // The preview a bulk reject is counted from, likewise.
    const preview = await call("GET", "/api/v1/admin/approvals/bulk-reject?agnet=support-bot");
    assert.equal(preview.status, 400, preview.text);
    // A filter given twice would keep only its last value.
    const twice = await call("GET", "/api/v1/admin/audit/decisions?tool=search_kb&tool=send_email");
    assert.equal(twice.status, 400, twice.text);
    assert.deepEqual(fields(twice), [{ path: "tool", message: "is given more than once; give it once" }]);
    // The parameters each list does take still work.
    for (const ok of ["/api/v1/admin/audit?tool=search_kb&limit=5", "/api/v1/admin/audit/decisions?verdict=deny&primitive=not_allowed", "/api/v1/admin/approvals?status=pending&tool=refund_payment"]) {
      assert.equal((await call("GET", ok)).status, 200, ok);
    }
  });

  it("refuses an export with a decision filter before anything is exported or audited", async () => {
    const exportsBefore = await store.prisma.auditEvent.count({ where: { action: "audit.export" } });
    const r = await call("GET", "/api/v1/admin/audit/export?verdict=deny");
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(fields(r).map((f) => f.path), ["verdict"]);
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "audit.export" } }), exportsBefore);
    // The same export without it goes through (so the 400 above was the filter's doing).
    await checkpointTick(store.prisma);
    const ok = await fetch(`${api.url}/api/v1/admin/audit/export?from=2000-01-01T00:00:00Z`, { headers: { authorization: `Bearer ${world.tokens.admin}` } });
    await ok.arrayBuffer();
    assert.equal(ok.status, 200);
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "audit.export" } }), exportsBefore + 1);
  });
});
