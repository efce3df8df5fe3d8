// Every admin route × every role: allowed roles get past authorization, every other role gets
// 403, and nobody unauthenticated gets anything but 401. Routes come from ADMIN_ROUTES itself,
// so a new route is covered without touching this file.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ROLES, can } from "@/lib/auth/permissions";
import { ADMIN_ROUTES } from "@/lib/http/admin-routes";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const concretePath = (p: string) => p.replace(/:[a-zA-Z]+/g, "00000000-0000-0000-0000-000000000000");

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

async function call(method: string, pathname: string, headers: Record<string, string>) {
  const res = await fetch(api.url + pathname, {
    method,
    headers: { ...(MUTATING.has(method) ? { "content-type": "application/json" } : {}), ...headers },
    body: MUTATING.has(method) ? "{}" : undefined,
  });
  // Most routes answer JSON; the evidence export answers a .tar.gz.
  const json = res.headers.get("content-type")?.includes("json");
  return { status: res.status, body: (json ? await res.json() : { bytes: (await res.arrayBuffer()).byteLength }) as { error?: { code: string; message: string } } };
}

describe("permission matrix over every admin route", () => {
  it("lists at least one mutating route, and every route names a permission from the table", () => {
    assert.ok(ADMIN_ROUTES.some((r) => MUTATING.has(r.method)));
    for (const r of ADMIN_ROUTES) assert.ok(ROLES.some((role) => can(role, r.permission)), `${r.path}: ${r.permission}`);
  });

  for (const route of ADMIN_ROUTES) {
    const label = `${route.method} ${route.path}`;
    it(`${label}: 401 without credentials`, async () => {
      const r = await call(route.method, concretePath(route.path), {});
      assert.equal(r.status, 401);
      assert.match(r.body.error!.message, /Sign in|token/);
    });
    it(`${label}: 403 for an agent token`, async () => {
      const r = await call(route.method, concretePath(route.path), { authorization: `Bearer ${SUPPORT_TOKEN}` });
      assert.equal(r.status, 403);
    });
    for (const role of ROLES) {
      const allowed = can(role, route.permission);
      it(`${label}: ${allowed ? "allowed" : "403"} for ${role} (personal token and session cookie)`, async () => {
        const viaToken = await call(route.method, concretePath(route.path), { authorization: `Bearer ${world.tokens[role]}` });
        const viaCookie = await call(route.method, concretePath(route.path), { cookie: world.cookies[role], origin: api.url });
        for (const r of [viaToken, viaCookie]) {
          if (allowed) assert.ok(r.status !== 401 && r.status !== 403, `${role} got ${r.status}: ${r.body.error?.message}`);
          else {
            assert.equal(r.status, 403, `${role} should be refused but got ${r.status}`);
            assert.match(r.body.error!.message, new RegExp(route.permission.replace(".", "\\.")));
          }
        }
      });
    }
    if (MUTATING.has(route.method)) {
      it(`${label}: a cookie without a same-origin Origin header is refused`, async () => {
        const none = await call(route.method, concretePath(route.path), { cookie: world.cookies.admin });
        const cross = await call(route.method, concretePath(route.path), { cookie: world.cookies.admin, origin: "https://evil.example" });
        assert.equal(none.status, 403);
        assert.equal(cross.status, 403);
        assert.match(cross.body.error!.message, /Cross-origin/);
      });
    }
  }
});

describe("no mutation outside the route table", () => {
  // next-auth's own handler is the one mutating route Governor does not define.
  const ALLOWED_NEXT_ROUTES = new Set([path.join("app", "api", "auth", "[...nextauth]", "route.ts")]);
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));

  it("app/ has no other mutating route handler and no server action", () => {
    const offenders: string[] = [];
    for (const f of files("app").filter((f) => /\.(ts|tsx)$/.test(f))) {
      const src = readFileSync(f, "utf8");
      if (/["']use server["']/.test(src)) offenders.push(`${f}: server action`);
      if (/route\.ts$/.test(f) && !ALLOWED_NEXT_ROUTES.has(f) && /export\s+(async\s+)?(function|const)\s+(POST|PUT|PATCH|DELETE)\b|as (POST|PUT|PATCH|DELETE)\b/.test(src)) {
        offenders.push(`${f}: mutating route handler`);
      }
    }
    assert.deepEqual(offenders, [], "add mutations to lib/http/admin-routes.ts so the permission matrix covers them");
  });
});
