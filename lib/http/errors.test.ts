import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sendError } from "@/lib/http/node-http";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, type World } from "@/lib/test/world";

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

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(api.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${world.tokens.admin}`, "content-type": "application/json", ...headers },
    body,
  });

describe("errors map to HTTP in one place", () => {
  it("malformed JSON is a 400 that says so", async () => {
    const res = await post("/api/v1/admin/users", "{not json");
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.code, "invalid_json");
    assert.match(body.error.message, /not valid JSON/);
  });

  it("wrong types are a 400 naming each field, and nothing is written", async () => {
    const before = await store.prisma.user.count();
    const res = await post("/api/v1/admin/users", JSON.stringify({ username: 42, displayName: "X", role: "god", password: "short" }));
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.deepEqual(body.error.fields.map((f: { path: string }) => f.path).sort(), ["password", "role", "username"]);
    assert.match(body.error.message, /role: must be one of viewer/);
    assert.match(body.error.message, /password: must be at least 10 characters/);
    assert.equal(await store.prisma.user.count(), before);
  });

  it("a missing field is named as required", async () => {
    const res = await post("/api/v1/admin/users", JSON.stringify({ username: "newbie", role: "viewer", password: "long-enough-pw" }));
    const body = await res.json();
    assert.equal(res.status, 400);
    assert.deepEqual(body.error.fields, [{ path: "displayName", message: "is required (string)" }]);
  });

  it("a body over 1 MiB is a 413", async () => {
    const big = JSON.stringify({ username: "x".repeat(1024 * 1024 + 10) });
    const res = await post("/api/v1/admin/users", big);
    assert.equal(res.status, 413);
    assert.match((await res.json()).error.message, /1 MiB/);
  });

  it("a non-JSON content type is a 415", async () => {
    const res = await post("/api/v1/admin/users", "a=b", { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(res.status, 415);
  });

  it("unknown paths are a JSON 404 and a wrong method names the right one", async () => {
    const nf = await fetch(api.url + "/api/v1/admin/nothing-here", { headers: { authorization: `Bearer ${world.tokens.admin}` } });
    assert.equal(nf.status, 404);
    assert.match((await nf.json()).error.message, /No API endpoint/);
    const wm = await fetch(api.url + "/api/v1/admin/users", { method: "DELETE", headers: { authorization: `Bearer ${world.tokens.admin}` } });
    assert.equal(wm.status, 400);
    assert.match((await wm.json()).error.message, /use GET or POST/);
  });

  it("an unexpected error is a generic 500 with a request id and no detail", async () => {
    const server = http.createServer((_req, res) => sendError(res, new Error("secret internal detail")));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const original = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const text = await res.text();
      assert.equal(res.status, 500);
      assert.doesNotMatch(text, /secret internal detail/);
      const body = JSON.parse(text);
      assert.match(body.error.requestId, /^[0-9a-f-]{36}$/);
      assert.match(String((logged[0] as unknown[])[0]), new RegExp(body.error.requestId));
    } finally {
      console.error = original;
      server.close();
    }
  });

  it("health reports the store and generation", async () => {
    const res = await fetch(api.url + "/api/health");
    const body = await res.json();
    assert.equal(body.status, "ok");
    assert.equal(body.store, store.kind);
    assert.ok(body.generation >= 1);
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  });
});
