import { expect } from "@playwright/test";
import { createGovernor, type Governor } from "../lib/sdk";
import { E2E_OPS_TOKEN, E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
let support: Governor;
let ops: Governor;

// Two agents running the SDK inside the test, deciding as live agents would.
test.beforeAll(() => {
  support = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 2000 });
  ops = createGovernor({ url: BASE, token: E2E_OPS_TOKEN, agent: "ops-bot", timeoutMs: 2000 });
});
test.afterAll(async () => {
  await support.close();
  await ops.close();
});

const CALLS = [
  () => support.decide({ tenant: "acme", session: "e2e", tool: "search_kb" }),
  () => support.decide({ tenant: "acme", session: "e2e", tool: "send_email" }),
  () => support.decide({ tenant: "acme", session: "e2e", tool: "refund_payment" }),
  () => ops.decide({ tenant: "acme", session: "e2e", tool: "restart_service" }),
  () => ops.decide({ tenant: "acme", session: "e2e", tool: "drop_table" }),
];

async function decideAll() {
  const out = await Promise.all(CALLS.map((c) => c()));
  for (const d of out) expect(d.failsafe ?? false, "decided by the server, not the failsafe").toBe(false);
  return out;
}

test("oncall presses the kill switch: every tool is denied, every page shows the banner, recovery restores", async ({ browser }) => {
  expect((await decideAll()).map((d) => d.decision)).toEqual(["allow", "allow", "pending", "allow", "pending"]);

  const page = await newClient(browser);
  await login(page, "oncall");
  await page.getByRole("button", { name: /Kill switch/ }).click();
  const dialog = page.getByRole("dialog", { name: "Stop every agent now?" });
  // The whole explanation is readable: the dialog once inherited the header's no-wrap and
  // clipped it to its first line.
  const explanation = dialog.getByText(/is a deny with primitive/);
  await expect(explanation).toBeVisible();
  expect(await explanation.evaluate((p) => p.scrollWidth <= p.clientWidth && getComputedStyle(p).whiteSpace !== "nowrap")).toBe(true);
  // Typed reason, then Enter: what someone does in a hurry.
  await dialog.getByLabel("Reason (optional)").fill("e2e incident drill");
  await dialog.getByLabel("Reason (optional)").press("Enter");
  await expect(page.getByTestId("control-banner")).toContainText("Global kill switch");

  await expect.poll(async () => (await decideAll()).map((d) => `${d.decision}:${d.primitive}`), { timeout: 2000 }).toEqual(Array(CALLS.length).fill("deny:kill_switch"));

  for (const path of ["/", "/policy", "/rollouts", "/approvals", "/controls", "/api-docs"]) {
    await page.goto(path);
    const banner = page.getByTestId("control-banner");
    await expect(banner).toContainText("GLOBAL KILL SWITCH", { ignoreCase: true });
    await expect(banner).toContainText("by oncall");
    await expect(banner).toContainText("e2e incident drill");
  }

  await page.getByTestId("control-banner").getByRole("button", { name: "Recover" }).click();
  const recover = page.getByRole("dialog", { name: /Lift Global kill switch/ });
  await recover.getByRole("button", { name: "Recover" }).click();
  await expect(recover).toContainText("Say why it is safe to resume");
  await recover.getByLabel(/Reason/).fill("drill finished");
  await recover.getByRole("button", { name: "Recover" }).click();
  await expect(page.getByTestId("control-banner")).toHaveCount(0);
  await expect.poll(async () => (await decideAll())[0]!.decision, { timeout: 2000 }).toBe("allow");
});

test("viewer has no usable kill control, and a forged request from viewer's session gets 403", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "viewer");
  await expect(page.getByRole("button", { name: /Kill switch/ })).toHaveCount(0);
  await page.goto("/controls");
  await expect(page.getByRole("button", { name: /Stop|Turn on/ })).toHaveCount(0);
  const forged = await page.request.post("/api/v1/admin/controls", { data: { control: "global_kill", active: true }, headers: { origin: BASE } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.message).toContain("controls.write");
  expect((await decideAll())[0]!.decision).toBe("allow");
});

test("oncall stops one tool from the Controls page and resumes it", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "oncall");
  await page.goto("/controls");
  await page.getByLabel("Find a tool, agent or tenant").fill("send");
  await page.getByRole("button", { name: "Stop send_email" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("kills-tool_kill")).toContainText("stopped by oncall");
  await expect(page.getByTestId("control-banner")).toContainText("send_email");
  await expect.poll(async () => (await decideAll())[1]!.primitive, { timeout: 2000 }).toBe("kill_switch");
  expect((await decideAll())[0]!.decision).toBe("allow");
  await page.getByRole("button", { name: "Resume send_email" }).click();
  await expect(page.getByTestId("control-banner")).toHaveCount(0);
});

test("a kill on a name the policy does not have is refused unless forced, and a forced one is listed and resumable", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "oncall");
  const typo = await page.request.post("/api/v1/admin/controls", { headers: { origin: BASE }, data: { control: "tool_kill", target: "send_emial", active: true } });
  expect(typo.status()).toBe(400);
  expect((await typo.json()).error.message).toContain("Known tools:");
  const forced = await page.request.post("/api/v1/admin/controls", { headers: { origin: BASE }, data: { control: "tool_kill", target: "export_report", active: true, force: true, reason: "e2e: ahead of the release" } });
  expect(forced.status()).toBe(200);
  await page.goto("/controls");
  const row = page.getByTestId("kills-tool_kill").getByRole("listitem").filter({ hasText: "export_report" });
  await expect(row).toContainText("not in the live policy");
  await expect(row).toContainText("stopped by oncall");
  await row.getByRole("button", { name: "Resume export_report" }).click();
  await expect(page.getByTestId("kills-tool_kill")).not.toContainText("export_report");
  await expect(page.getByTestId("control-banner")).toHaveCount(0);
});

test("when the controls cannot be read, the Controls page says their state is unknown rather than showing them off", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "oncall");
  await page.goto("/controls");
  await expect(page.getByTestId("mode-global_kill")).toContainText("off");
  // The server's answer while its database is unreachable, injected in the browser: the e2e
  // server's embedded database cannot be taken away from under it (lib/reliability's PostgreSQL
  // tests cover the server side of an outage).
  const outage = { error: { code: "unavailable", message: "The database is unreachable; try again shortly." } };
  await page.route("**/api/v1/admin/controls", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify(outage) }));
  await expect(page.getByTestId("controls-load-error")).toContainText("may be out of date", { timeout: 15_000 });
  await expect(page.getByTestId("controls-load-error")).toContainText("The database is unreachable");
  // A fresh load during the outage has no last-known state to show.
  await page.reload();
  await expect(page.getByTestId("controls-load-error")).toContainText("state is unknown", { timeout: 15_000 });
  await expect(page.getByTestId("mode-global_kill")).toContainText("state unknown");
  await expect(page.getByTestId("mode-global_kill")).not.toContainText("off");
  await expect(page.getByTestId("mode-global_kill").getByRole("button")).toHaveCount(0);
  await page.unroute("**/api/v1/admin/controls");
  await expect(page.getByTestId("controls-load-error")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId("mode-global_kill")).toContainText("off");
});
