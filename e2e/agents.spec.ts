import { expect, type Page } from "@playwright/test";
import { E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const decide = (page: Page, tool: string, tenant = "acme") =>
  page.request
    .post("/api/v1/decide", { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: { agent: "support-bot", tenant, session: "e2e-agents", tool } })
    .then((r) => r.json() as Promise<{ decision: string; primitive: string | null }>);

test("oncall sees what an agent is doing and may call, stops it from its page, and resumes it", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newClient(browser);
  await login(page, "oncall");
  expect((await decide(page, "search_kb")).decision).toBe("allow");
  expect((await decide(page, "restart_service")).primitive).toBe("not_allowed");
  expect((await decide(page, "refund_payment")).decision).toBe("pending");

  // The list shows the traffic: decisions are logged in the background, about every 250 ms.
  await page.goto("/agents");
  const row = page.getByTestId("agent-row-support-bot");
  await expect(row).toContainText("● running");
  await expect(row).toContainText(/\d+ allowed/);
  await expect(row).not.toContainText("never");
  await row.getByRole("link", { name: "support-bot" }).click();

  await expect(page.getByTestId("agent-status")).toContainText("Running");
  await expect(page.getByTestId("agent-status")).toContainText("Last asked");
  await expect(page.getByTestId("agent-approvals")).toContainText(/\d+ approval requests? waiting for reviewers\./);
  await expect(page.getByRole("heading", { name: "Decisions by support-bot" })).toBeVisible();
  const refund = page.getByTestId("access-row-refund_payment");
  await expect(refund.getByTestId("access-acme")).toContainText("needs approval");
  await expect(refund.getByTestId("access-acme")).toContainText('needs 2 approval(s) from group "reviewers"');
  await expect(refund.getByTestId("access-globex")).toContainText("not available");
  await expect(page.getByTestId("access-row-send_email").getByTestId("access-globex")).toContainText("limit 100 per hour");
  await expect(page.getByTestId("access-row-search_kb").getByTestId("access-acme")).toContainText("allowed");
  const latest = page.getByTestId("agent-decisions");
  await expect(latest.locator("tr", { hasText: "restart_service" }).first()).toContainText('may not call "restart_service"');
  await page.getByRole("group", { name: "Verdict" }).getByRole("button", { name: "Allowed" }).click();
  await expect(latest.locator("tbody tr").first()).toContainText("allow");
  await expect(latest).not.toContainText("restart_service");

  await page.getByRole("button", { name: "Stop support-bot" }).click();
  const dialog = page.getByRole("dialog", { name: "Stop support-bot?" });
  await dialog.getByLabel(/Reason/).fill("e2e: runaway refunds");
  await dialog.getByLabel(/Reason/).press("Enter");
  await expect(page.getByTestId("agent-status")).toContainText("Stopped by oncall");
  await expect(page.getByTestId("agent-status")).toContainText("e2e: runaway refunds");
  await expect(page.getByTestId("agent-approvals")).toContainText("will not run while it is stopped; a reviewer can reject them together from the queue");
  await expect(page.getByTestId("agent-approvals").getByRole("link")).toHaveAttribute("href", "/approvals?agent=support-bot");
  await expect(page.getByTestId("access-row-search_kb").getByTestId("access-acme")).toContainText("stopped", { timeout: 15_000 });
  await expect.poll(async () => (await decide(page, "search_kb")).primitive, { timeout: 5000 }).toBe("kill_switch");

  await page.goto("/agents");
  await expect(page.getByTestId("agent-row-support-bot")).toContainText("stopped");
  await expect(page.getByTestId("agent-row-ops-bot")).toContainText("running");

  await page.goto("/agents/support-bot");
  await page.getByRole("button", { name: "Resume support-bot" }).click();
  await expect(page.getByTestId("agent-status")).toContainText("Running");
  await expect.poll(async () => (await decide(page, "search_kb")).decision, { timeout: 5000 }).toBe("allow");
});

test("a viewer sees the agent page without stop or stage buttons", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "viewer");
  await page.goto("/agents/support-bot");
  await expect(page.getByTestId("access-matrix")).toBeVisible();
  await expect(page.getByRole("button", { name: /Stop support-bot|Demote|Promote/ })).toHaveCount(0);
  await expect(page.getByTestId("agent-decisions")).toBeVisible();
  await expect(page.getByRole("link", { name: "Audit → Decisions" })).toHaveCount(0);
});

test("an admin follows the agent's latest decisions into the audit browser, filtered to the agent", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "admin");
  expect((await decide(page, "search_kb")).decision).toBe("allow");
  await page.goto("/agents/support-bot");
  await page.getByRole("link", { name: "Audit → Decisions" }).click();
  await expect(page).toHaveURL(/\/audit\?tab=decisions&agent=support-bot$/);
  await expect(page.getByRole("tab", { name: "Decisions" })).toHaveAttribute("aria-selected", "true");
});
