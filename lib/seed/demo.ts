import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Role } from "@/lib/auth/permissions";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { SYSTEM } from "@/lib/auth/principal";
import { generateTokenSecret, hashToken, tokenDisplayPrefix } from "@/lib/auth/token-secret";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { publishVersion } from "@/lib/policy/versions";

export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: "admin", displayName: "Ada Admin", role: "admin" },
  { username: "oncall", displayName: "Omar On-call", role: "operator" },
  { username: "editor", displayName: "Erin Editor", role: "editor" },
  { username: "reviewer1", displayName: "Rui Reviewer", role: "reviewer" },
  { username: "reviewer2", displayName: "Rita Reviewer", role: "reviewer" },
  { username: "reviewer3", displayName: "Ravi Reviewer", role: "reviewer" },
  { username: "auditor", displayName: "Aiko Auditor", role: "auditor" },
  { username: "viewer", displayName: "Vic Viewer", role: "viewer" },
];

export const DEMO_TENANTS = [
  { id: "acme", name: "Acme Corp", tier: "pro" },
  { id: "globex", name: "Globex", tier: "free" },
];

export const DEMO_AGENTS = [
  { id: "support-bot", name: "Support bot", description: "Answers customer tickets: searches the knowledge base, sends email, refunds." },
  { id: "ops-bot", name: "Ops bot", description: "Keeps services healthy: restarts services, runs schema maintenance." },
];

export interface DemoSecrets {
  /** One password for every demo user (GOVERNOR_DEMO_PASSWORD or generated). */
  password: string;
  supportBotToken: string;
  opsBotToken: string;
  generated: { password: boolean; supportBotToken: boolean; opsBotToken: boolean };
}

export function demoSecrets(env: { password?: string; supportToken?: string; opsToken?: string }): DemoSecrets {
  return {
    password: env.password ?? generatePassword(),
    supportBotToken: env.supportToken ?? generateTokenSecret("agent"),
    opsBotToken: env.opsToken ?? generateTokenSecret("agent"),
    generated: { password: !env.password, supportBotToken: !env.supportToken, opsBotToken: !env.opsToken },
  };
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** Seeds the demo world in one transaction, audited as the system. Refuses a non-empty store. */
export async function seedDemo(db: Db, secrets: DemoSecrets): Promise<void> {
  const passwordHash = await hashPassword(secrets.password);
  await mutate({ db, principal: SYSTEM, permission: null }, async (tx) => {
    if ((await tx.user.count()) > 0) {
      throw new AppError("conflict", "The database already has users; the demo seed only runs on an empty database (use --reset to rebuild it).");
    }
    await tx.tenant.createMany({ data: DEMO_TENANTS });
    await tx.agent.createMany({ data: DEMO_AGENTS });
    await tx.user.createMany({ data: DEMO_USERS.map((u) => ({ ...u, passwordHash })) });
    const tokens = [
      { agentId: "support-bot", secret: secrets.supportBotToken },
      { agentId: "ops-bot", secret: secrets.opsBotToken },
    ];
    await tx.apiToken.createMany({
      data: tokens.map((t) => ({
        kind: "agent",
        name: `${t.agentId} demo token`,
        agentId: t.agentId,
        tokenHash: hashToken(t.secret),
        prefix: tokenDisplayPrefix(t.secret),
      })),
    });
    return {
      result: undefined,
      audit: {
        action: "seed.demo",
        target: "store",
        after: { tenants: DEMO_TENANTS.map((t) => t.id), agents: DEMO_AGENTS.map((a) => a.id), users: DEMO_USERS.map((u) => `${u.username} (${u.role})`) },
        reason: "first start on an empty database",
      },
    };
  });
  await publishVersion({ db, principal: SYSTEM, permission: null, document: DEMO_POLICY, reason: "demo policy, seeded on first start" });
}

/** Writes only the secrets that were generated, once, readable by the owner alone. */
export function writeCredentialsFile(dataDir: string, secrets: DemoSecrets, url: string): string | null {
  const g = secrets.generated;
  if (!g.password && !g.supportBotToken && !g.opsBotToken) return null;
  const file = path.resolve(dataDir, "credentials.txt");
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = [
    "# Governor demo credentials, generated on first start. Keep this file private.",
    `# Console: ${url}`,
    "",
  ];
  if (g.password) {
    lines.push(`Password for every demo user: ${secrets.password}`);
    lines.push(`Users: ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(", ")}`, "");
  }
  if (g.supportBotToken) lines.push(`support-bot agent token: ${secrets.supportBotToken}`);
  if (g.opsBotToken) lines.push(`ops-bot agent token: ${secrets.opsBotToken}`);
  writeFileSync(file, lines.join("\n") + "\n", { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
