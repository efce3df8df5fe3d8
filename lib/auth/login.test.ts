import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { WRONG_CREDENTIALS, loginWithPassword } from "@/lib/auth/login";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { can } from "@/lib/auth/permissions";
import { MAX_FAILURES, THROTTLE_WINDOW_MS, assertNotThrottled } from "@/lib/auth/throttle";
import { isAppError } from "@/lib/errors";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { TEST_PASSWORD, seedWorld } from "@/lib/test/world";

let store: TestStore;
before(async () => {
  store = await openTestStore();
  await seedWorld(store);
});
after(() => store.close());

const attempt = (username: string, password: string, ip = "192.0.2.1") =>
  loginWithPassword(store.prisma, { username, password, request: { ip, userAgent: "test" } });

describe("passwords", () => {
  it("hashes with scrypt and a salt, and verifies only the right password", async () => {
    const a = await hashPassword("s3cret-password");
    const b = await hashPassword("s3cret-password");
    assert.match(a, /^scrypt\$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword("s3cret-password", a), true);
    assert.equal(await verifyPassword("s3cret-passwork", a), false);
    assert.equal(await verifyPassword("anything", null), false);
  });
});

describe("permission table", () => {
  it("fails closed on an unknown role or permission", () => {
    assert.equal(can("admin", "users.manage"), true);
    assert.equal(can("root", "console.read"), false);
    assert.equal(can(undefined, "console.read"), false);
    assert.equal(can("admin", "users.nuke"), false);
    assert.equal(can("viewer", "controls.write"), false);
    assert.equal(can("operator", "controls.write"), true);
  });
});

describe("login", () => {
  it("signs a demo user in and audits it", async () => {
    const user = await attempt("oncall", TEST_PASSWORD);
    assert.equal(user.role, "operator");
    const events = await store.prisma.auditEvent.findMany({ where: { action: "auth.login", target: "user:oncall" } });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.requestIp, "192.0.2.1");
  });

  it("refuses a wrong password with one message for unknown users and wrong passwords", async () => {
    await assert.rejects(attempt("editor", "nope"), { message: WRONG_CREDENTIALS });
    await assert.rejects(attempt("nobody", "nope", "192.0.2.9"), { message: WRONG_CREDENTIALS });
    assert.equal(await store.prisma.auditEvent.count({ where: { action: "auth.login_failed" } }), 2);
  });

  it("throttles the 6th failure on an account inside 5 minutes, even with the right password", async () => {
    for (let i = 0; i < 4; i++) await assert.rejects(attempt("editor", `wrong-${i}`, `198.51.100.${i}`), { message: WRONG_CREDENTIALS });
    // editor now has 5 failures (one from the previous test): the next attempt is refused.
    const err = await attempt("editor", TEST_PASSWORD, "198.51.100.77").catch((e) => e);
    assert.ok(isAppError(err));
    assert.equal(err.code, "too_many_requests");
    assert.match(err.message, /Too many failed sign-in attempts for this account\. Try again at \d\d:\d\d:\d\d UTC \(in [45] min/);
    assert.ok(err.retryAfterSeconds! > 0 && err.retryAfterSeconds! <= 300);
  });

  it("throttles per IP across accounts", async () => {
    const ip = "203.0.113.50";
    const users = ["reviewer1", "reviewer2", "reviewer3", "auditor", "viewer"];
    for (const u of users) await assert.rejects(attempt(u, "wrong", ip), { message: WRONG_CREDENTIALS });
    await assert.rejects(attempt("admin", TEST_PASSWORD, ip), /from this address/);
    // The same account from another address still works: the IP was throttled, not admin.
    assert.equal((await attempt("admin", TEST_PASSWORD, "203.0.113.51")).role, "admin");
  });

  it("keeps the audit chain intact through all of it", async () => {
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });
});

describe("login throttling boundaries", () => {
  const key = (k: string) => `account:boundary-${k}`;
  const fail = (k: string, at: Date) => store.prisma.loginFailure.create({ data: { key: key(k), at } });
  const check = (k: string, now: Date) => assertNotThrottled(store.prisma, [key(k)], now);

  it("tolerates five failures and refuses the sixth attempt, with the time the oldest counted failure ages out", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < 4; i++) await fail("a", new Date(t0.getTime() + i * 10_000));
    await check("a", new Date(t0.getTime() + 60_000)); // 4 failures: the 5th attempt may proceed
    await fail("a", new Date(t0.getTime() + 40_000));
    const err = await check("a", new Date(t0.getTime() + 60_000)).catch((e) => e);
    assert.ok(isAppError(err) && err.code === "too_many_requests");
    // Unlocks 5 minutes after the first of the five failures: 10:05:00, 4 min from 10:01:00.
    assert.equal(err.retryAfterSeconds, 240);
    assert.match(err.message, /Try again at 10:05:00 UTC \(in 4 min 0 s\)/);
    // One second after that the oldest failure left the window: allowed again.
    await check("a", new Date(t0.getTime() + THROTTLE_WINDOW_MS + 1000));
  });

  it("per IP: the sixth attempt from one address is refused with its retry time, other addresses are not", async () => {
    const ip = "192.0.2.200";
    for (let i = 0; i < MAX_FAILURES; i++) await assert.rejects(attempt(`nobody-${i}`, "wrong", ip), { message: WRONG_CREDENTIALS });
    const err = await attempt("viewer", TEST_PASSWORD, ip).catch((e) => e);
    assert.ok(isAppError(err) && err.code === "too_many_requests");
    assert.match(err.message, /from this address\. Try again at \d\d:\d\d:\d\d UTC \(in [45] min/);
    assert.ok(err.retryAfterSeconds! > 240 && err.retryAfterSeconds! <= 300, String(err.retryAfterSeconds));
    assert.equal((await attempt("viewer", TEST_PASSWORD, "192.0.2.201")).role, "viewer");
  });
});
