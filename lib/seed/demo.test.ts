import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyChain } from "@/lib/audit/verify";
import { verifyPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/auth/token-secret";
import { DEMO_USERS, demoSecrets, seedDemo, writeCredentialsFile } from "@/lib/seed/demo";
import { openTestStore, type TestStore } from "@/lib/test/store";

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(() => store.close());

describe("demo seed", () => {
  it("seeds tenants, agents, every demo user and role, and the agent tokens from the environment", async () => {
    const secrets = demoSecrets({ password: "demo-password-xyz", supportToken: "gov_agent_from_env_support", opsToken: undefined });
    await seedDemo(store.prisma, secrets);
    assert.deepEqual(
      (await store.prisma.tenant.findMany({ orderBy: { id: "asc" } })).map((t) => [t.id, t.tier]),
      [["acme", "pro"], ["globex", "free"]],
    );
    assert.deepEqual((await store.prisma.agent.findMany({ orderBy: { id: "asc" } })).map((a) => a.id), ["ops-bot", "support-bot"]);
    const users = await store.prisma.user.findMany();
    assert.deepEqual(
      Object.fromEntries(users.map((u) => [u.username, u.role])),
      { admin: "admin", oncall: "operator", editor: "editor", reviewer1: "reviewer", reviewer2: "reviewer", reviewer3: "reviewer", auditor: "auditor", viewer: "viewer" },
    );
    assert.equal(await verifyPassword("demo-password-xyz", users[0]!.passwordHash), true);
    const support = await store.prisma.apiToken.findUnique({ where: { tokenHash: hashToken("gov_agent_from_env_support") } });
    assert.equal(support?.agentId, "support-bot");
    const ops = await store.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(secrets.opsBotToken) } });
    assert.equal(ops?.agentId, "ops-bot");
    assert.equal((await verifyChain(store.prisma)).ok, true);
  });

  it("refuses a non-empty database and changes nothing", async () => {
    const before = await store.prisma.user.count();
    await assert.rejects(seedDemo(store.prisma, demoSecrets({})), /only runs on an empty database/);
    assert.equal(await store.prisma.user.count(), before);
  });

  it("writes only generated secrets, to a file only its owner can read", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gov-cred-"));
    try {
      const secrets = demoSecrets({ password: "from-env-password" });
      const file = writeCredentialsFile(dir, secrets, "http://localhost:3000")!;
      const text = readFileSync(file, "utf8");
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.doesNotMatch(text, /from-env-password/);
      assert.match(text, new RegExp(secrets.supportBotToken));
      assert.match(text, new RegExp(secrets.opsBotToken));
      assert.equal(writeCredentialsFile(dir, demoSecrets({ password: "p", supportToken: "a", opsToken: "b" }), "x"), null);
      assert.equal(DEMO_USERS.length, 8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
