import { expect } from "@playwright/test";
import { createGovernor } from "../lib/sdk";
import { E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

test("the overview chart counts new denials live and names what refused them", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "viewer");
  const denied = page.getByTestId("decision-totals").locator("div", { hasText: "Denied" }).locator("dd");
  const readDenied = async () => ((await denied.count()) ? Number((await denied.innerText()).replace(/\D/g, "")) : 0);
  // Read the starting count only once the card has loaded: totals, or the empty state a fresh
  // run shows before any traffic (earlier specs may already have made denials).
  await expect(page.getByRole("heading", { name: "Decisions" })).toBeVisible();
  await expect(page.getByTestId("decision-totals").or(page.getByText("No decisions in this range"))).toBeVisible();
  const before = await readDenied();

  const agent = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 2000 });
  try {
    // support-bot may not call drop_table: three denials by `not_allowed`.
    for (let i = 0; i < 3; i++) {
      const d = await agent.decide({ tenant: "acme", session: `overview-${i}`, tool: "drop_table" });
      expect(`${d.decision}:${d.primitive}`).toBe("deny:not_allowed");
    }
  } finally {
    await agent.close();
  }

  // The card refreshes itself every 5 s; no reload.
  await expect.poll(readDenied, { timeout: 15_000 }).toBe(before + 3);
  await expect(page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "15 min" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("Refused by")).toBeVisible();
  await expect(page.locator("li", { hasText: "not_allowed" })).toBeVisible();
  await page.getByRole("button", { name: "24 h" }).click();
  await expect(page.getByRole("button", { name: "24 h" })).toHaveAttribute("aria-pressed", "true");
  await expect.poll(readDenied).toBeGreaterThanOrEqual(before + 3);
});

test("the overview tiles show the live policy and count a new approval request, and open its page", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "viewer");
  await expect(page.getByTestId("glance-policy")).toContainText(/Version \d+/);
  const approvals = page.getByTestId("glance-approvals");
  await expect(approvals).toContainText(/\d/);
  const readWaiting = async () => Number((await approvals.locator("span").nth(1).innerText()).replace(/\D/g, ""));
  const before = await readWaiting();
  const agent = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 2000 });
  try {
    expect((await agent.decide({ tenant: "acme", session: "overview-tiles", tool: "refund_payment" })).decision).toBe("pending");
  } finally {
    await agent.close();
  }
  // The tiles refresh themselves every 5 s.
  await expect.poll(readWaiting, { timeout: 15_000 }).toBe(before + 1);
  await expect(approvals).toContainText("the first expires in");
  await approvals.click();
  await expect(page).toHaveURL(/\/approvals(\?status=pending)?$/);
  await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
});

test("loading a page renders no other section on the server; the nav prefetches a section on hover", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "viewer");
  const rendered: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.searchParams.has("_rsc")) rendered.push(url.pathname);
  });
  await page.reload();
  await expect(page.getByRole("heading", { name: "Decisions" })).toBeVisible();
  await page.waitForTimeout(1500);
  expect(rendered, "sections prefetched on sight").toEqual([]);

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Policy", exact: true }).hover();
  await expect.poll(() => rendered).toContain("/policy");
  await nav.getByRole("link", { name: "Policy", exact: true }).click();
  await expect(page).toHaveURL(/\/policy$/);
  await expect(page.getByRole("heading", { level: 1, name: "Policy" })).toBeVisible();
});
