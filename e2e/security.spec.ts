// Security review checks against the built app and the real server.ts: response headers on a
// console page and on data-plane answers, a console that renders with no CSP violation, and no
// secret in any client bundle Next built (.next/static).
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect } from "@playwright/test";
import { E2E_OPS_TOKEN, E2E_PASSWORD, E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const COMMON = { "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin" };

test("a console page carries a nonce CSP, frame-ancestors 'none' and the other headers", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  for (const [name, value] of Object.entries(COMMON)) expect(first.headers()[name], name).toBe(value);
  const csp = first.headers()["content-security-policy"]!;
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  const nonce = /script-src 'self' 'nonce-([^']+)' 'strict-dynamic'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  // A fresh nonce per response, stamped on every script tag of the page.
  expect(second.headers()["content-security-policy"]).not.toContain(nonce!);
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
});

test("data-plane and admin API answers carry the headers and a deny-all CSP", async ({ request }) => {
  const answers = [
    await request.get("/api/health"),
    await request.get("/api/v1/policy/generation", { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` } }),
    await request.post("/api/v1/decide", { headers: { authorization: `Bearer ${E2E_OPS_TOKEN}` }, data: { agent: "support-bot", tenant: "acme", session: "sec", tool: "search_kb" } }),
    await request.get("/api/v1/admin/me"),
  ];
  expect(answers.map((a) => a.status())).toEqual([200, 200, 403, 401]);
  for (const a of answers) {
    for (const [name, value] of Object.entries(COMMON)) expect(a.headers()[name], `${a.url()} ${name}`).toBe(value);
    expect(a.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  }
});

test("every console page renders with no Content-Security-Policy violation", async ({ browser }) => {
  // Ten pages, each waited on until the network is idle (several poll every 2 s): more than the
  // default 30 s budget on a busy machine (a full run took 35 s here).
  test.setTimeout(90_000);
  const page = await newClient(browser);
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => violations.push(`${page.url()}: page error ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await login(page, "admin", E2E_PASSWORD);
  for (const url of ["/", "/policy", "/policy/history", "/approvals", "/approvals/history", "/controls", "/audit", "/admin", "/api-docs", "/rollouts"]) {
    await page.goto(url);
    await expect(page.getByTestId("current-user")).toBeVisible();
    await expect(page.locator("main h1").first()).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  expect(violations).toEqual([]);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test("no secret reaches a client bundle", () => {
  const root = path.resolve(".next/static");
  const chunks = files(root).filter((f) => /\.(js|css|json|map|txt|html)$/.test(f));
  expect(chunks.length, "run next build first").toBeGreaterThan(10);
  const patterns: [string, RegExp][] = [
    ["an agent token", /gov_agent_[A-Za-z0-9_-]{12,}/],
    ["a personal token", /gov_pat_[A-Za-z0-9_-]{12,}/],
    ["the session secret variable", /GOVERNOR_SECRET|NEXTAUTH_SECRET/],
    ["the OIDC client secret", /GOVERNOR_OIDC_CLIENT_SECRET/],
    ["a database URL", /DATABASE_URL|postgres(ql)?:\/\/[^"'\s]*@/],
    ["PEM key material", /-----BEGIN [A-Z ]*(PRIVATE )?KEY-----/],
    ["the demo secrets' variables", /GOVERNOR_DEMO_(PASSWORD|AGENT_TOKEN|OPS_AGENT_TOKEN)|GOVERNOR_AUDIT_KEY_FILE/],
    ["the e2e secrets", new RegExp([E2E_PASSWORD, E2E_SUPPORT_TOKEN, E2E_OPS_TOKEN, "e2e-session-secret"].join("|"))],
    ["the test secrets", /test-secret-for-session-cookies|correct-horse-battery|multi-instance-test-secret/],
  ];
  const found: string[] = [];
  for (const file of chunks) {
    const text = readFileSync(file, "utf8");
    for (const [what, re] of patterns) {
      const m = re.exec(text);
      if (m) found.push(`${path.relative(root, file)}: ${what} ("${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20)}")`);
    }
  }
  expect(found).toEqual([]);
});
