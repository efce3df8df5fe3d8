import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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

const asAdmin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(api.url + path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${world.tokens.admin}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

describe("API tokens", () => {
  it("shows a personal token once, stores only its hash, and carries its user's role", async () => {
    const res = await asAdmin("/api/v1/admin/tokens", { method: "POST", body: { kind: "personal", name: "incident bot", userId: world.userIds.operator } });
    assert.equal(res.status, 201);
    const { secret, token } = await res.json();
    assert.match(secret, /^gov_pat_/);
    const row = await store.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    assert.notEqual(row.tokenHash, secret);
    assert.doesNotMatch(JSON.stringify(row), new RegExp(secret));
    const list = await (await asAdmin("/api/v1/admin/tokens")).json();
    assert.doesNotMatch(JSON.stringify(list), new RegExp(secret));

    const me = await (await fetch(api.url + "/api/v1/admin/me", { headers: { authorization: `Bearer ${secret}` } })).json();
    assert.deepEqual({ role: me.role, via: me.via, name: me.actor.name }, { role: "operator", via: "personal_token", name: "oncall" });
    // A user's role change applies to their tokens at once.
    await asAdmin(`/api/v1/admin/users/${world.userIds.operator}`, { method: "PATCH", body: { role: "viewer" } });
    const after = await (await fetch(api.url + "/api/v1/admin/me", { headers: { authorization: `Bearer ${secret}` } })).json();
    assert.equal(after.role, "viewer");
    await asAdmin(`/api/v1/admin/users/${world.userIds.operator}`, { method: "PATCH", body: { role: "operator" } });
  });

  it("records last use, and a revoked token gets 401 on its next request", async () => {
    const { secret, token } = await (await asAdmin("/api/v1/admin/tokens", { method: "POST", body: { kind: "personal", name: "short-lived", userId: world.userIds.auditor } })).json();
    const me = () => fetch(api.url + "/api/v1/admin/me", { headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await me()).status, 200);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await store.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt);

    const revoked = await asAdmin(`/api/v1/admin/tokens/${token.id}/revoke`, { method: "POST", body: { reason: "rotated" } });
    assert.equal(revoked.status, 200);
    const res = await me();
    assert.equal(res.status, 401);
    assert.match((await res.json()).error.message, /was revoked at/);
    const again = await asAdmin(`/api/v1/admin/tokens/${token.id}/revoke`, { method: "POST", body: {} });
    assert.equal(again.status, 409);
    const audit = await store.prisma.auditEvent.findFirst({ where: { action: "token.revoke", target: `token:${token.id}` } });
    assert.equal(audit?.reason, "rotated");
  });

  it("binds an agent token to its agent and refuses an unknown agent", async () => {
    const bad = await asAdmin("/api/v1/admin/tokens", { method: "POST", body: { kind: "agent", name: "x", agentId: "ghost-bot" } });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /agentId: no agent named "ghost-bot"/);
    const ok = await asAdmin("/api/v1/admin/tokens", { method: "POST", body: { kind: "agent", name: "ops", agentId: "ops-bot" } });
    const { token, secret } = await ok.json();
    assert.equal(token.agentId, "ops-bot");
    assert.match(secret, /^gov_agent_/);
  });

  it("refuses an unknown or malformed bearer token with 401 and a message", async () => {
    for (const auth of ["Bearer gov_pat_doesnotexist", "Bearer something-else", "Basic abc"]) {
      const res = await fetch(api.url + "/api/v1/admin/me", { headers: { authorization: auth } });
      assert.equal(res.status, 401, auth);
      assert.ok((await res.json()).error.message.length > 10);
    }
  });

  it("never lets the last active admin be demoted or disabled", async () => {
    const res = await asAdmin(`/api/v1/admin/users/${world.userIds.admin}`, { method: "PATCH", body: { disabled: true } });
    assert.equal(res.status, 409);
    assert.match((await res.json()).error.message, /last active admin/);
  });
});
