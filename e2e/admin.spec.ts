import { expect } from "@playwright/test";
import { login, newClient, test } from "./helpers";

test("an admin creates an agent token, sees it once, and revokes it after confirming", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "admin");
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Name").fill("e2e support token");
  await form.getByLabel("Agent").selectOption("support-bot");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByTestId("new-token").textContent();
  expect(secret).toMatch(/^gov_agent_/);

  const row = page.getByTestId("tokens-table").getByRole("row", { name: /e2e support token/ });
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: /Revoke "e2e support token"/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("revoked");

  await page.goto("/audit");
  await expect(page.getByTestId("audit-table")).toContainText("token.revoke");
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
});

test("an admin creates a user who can then sign in with that role", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "admin");
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill("newcomer");
  await form.getByLabel("Display name").fill("Nia Newcomer");
  await form.getByLabel("Role").selectOption("auditor");
  await form.getByLabel(/Password/).fill("newcomer-password");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByTestId("users-table")).toContainText("newcomer");

  const other = await newClient(browser);
  await login(other, "newcomer", "newcomer-password");
  await expect(other.getByTestId("role-badge").first()).toHaveText("auditor");
});

test("an admin's settings stay as set: adding a webhook keeps two-person recovery on, and the toggle keeps the webhooks", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "admin");
  const twoPerson = page.locator("li", { hasText: "Two-person recovery" });
  await page.goto("/controls");
  await expect(twoPerson).toContainText("Off:");
  await twoPerson.getByRole("button", { name: "Turn on" }).click();
  await expect(twoPerson).toContainText("On:");

  await page.goto("/approvals/notifications");
  await page.getByLabel("New webhook URL").fill("https://hooks.example/e2e-settings");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("webhook-urls")).toContainText("https://hooks.example/e2e-settings");
  await expect(page.getByText("Unsaved changes.")).toHaveCount(0);

  // Each save sent one setting, and the other was reset to its default: this was off here.
  await page.goto("/controls");
  await expect(twoPerson).toContainText("On:");
  await twoPerson.getByRole("button", { name: "Turn off" }).click();
  await expect(twoPerson).toContainText("Off:");
  await page.goto("/approvals/notifications");
  await expect(page.getByTestId("webhook-urls")).toContainText("https://hooks.example/e2e-settings");
  await page.getByRole("button", { name: "Remove https://hooks.example/e2e-settings" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("no-webhooks")).toBeVisible();
});

test("an admin rotates the audit signing key after confirming; the old key stays published", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "admin");
  const before = (await (await page.request.get("/api/v1/audit/keys")).json()).keys as { keyId: string; retiredAt: string | null }[];
  const active = before.find((k) => k.retiredAt === null)!;
  await page.goto("/admin");
  const table = page.getByTestId("signing-keys");
  await expect(table.getByRole("row", { name: new RegExp(active.keyId) })).toContainText("signing");
  await page.getByTestId("rotate-key").click();
  const dialog = page.getByRole("dialog", { name: "Rotate the audit signing key?" });
  await dialog.getByLabel(/Reason/).fill("x");
  await expect(dialog.getByRole("button", { name: "Rotate key" })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill("e2e yearly rotation");
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${active.keyId} is retired and stays published` })).toBeVisible();
  await expect(table.getByRole("row", { name: new RegExp(active.keyId) })).toContainText("retired");
  const after = (await (await page.request.get("/api/v1/audit/keys")).json()).keys as { keyId: string; retiredAt: string | null }[];
  expect(after).toHaveLength(before.length + 1);
  const signing = after.filter((k) => k.retiredAt === null);
  expect(signing).toHaveLength(1);
  await expect(table.getByRole("row", { name: new RegExp(signing[0]!.keyId) })).toContainText("signing");

  // An auditor reads the keys but cannot rotate them.
  const auditor = await newClient(browser);
  await login(auditor, "auditor");
  const forged = await auditor.request.post("/api/v1/admin/audit/keys/rotate", { data: {}, headers: { origin: new URL(page.url()).origin } });
  expect(forged.status()).toBe(403);
});
