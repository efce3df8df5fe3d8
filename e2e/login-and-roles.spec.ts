import { expect } from "@playwright/test";
import { login, newClient, test } from "./helpers";

const ALL = ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "Audit", "Admin", "API"];
const EXPECTED: Record<string, { role: string; sees: string[] }> = {
  admin: { role: "admin", sees: ALL },
  oncall: { role: "operator", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
  editor: { role: "editor", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
  reviewer1: { role: "reviewer", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
  reviewer2: { role: "reviewer", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
  reviewer3: { role: "reviewer", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
  auditor: { role: "auditor", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "Audit", "API"] },
  viewer: { role: "viewer", sees: ["Overview", "Policy", "Rollouts", "Approvals", "Controls", "Runtime model", "Agents", "Calibration", "API"] },
};

test("an anonymous visitor is sent to the login page", async ({ browser }) => {
  const page = await newClient(browser);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

for (const [username, { role, sees }] of Object.entries(EXPECTED)) {
  test(`${username} signs in and sees only what the ${role} role allows`, async ({ browser }) => {
    const page = await newClient(browser);
    await login(page, username);
    await expect(page.getByTestId("role-badge").first()).toHaveText(role);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(sees);

    for (const [section, path] of [["Audit", "/audit"], ["Admin", "/admin"]] as const) {
      await page.goto(path);
      if (sees.includes(section)) await expect(page.getByTestId("forbidden")).toHaveCount(0);
      else await expect(page.getByTestId("forbidden")).toBeVisible();
    }
    if (sees.includes("Admin")) {
      await page.goto("/admin");
      await expect(page.getByTestId("users-table")).toContainText("reviewer3");
    }
    if (sees.includes("Audit")) {
      await page.goto("/audit");
      await expect(page.getByTestId("audit-table")).toContainText(`user:${username}`);
    }
  });
}

test("a wrong password gets a clear message", async ({ browser }) => {
  const page = await newClient(browser);
  await page.goto("/login");
  await page.getByLabel("Username").fill("editor");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("the 6th quick wrong attempt is throttled with a time to retry", async ({ browser }) => {
  const page = await newClient(browser);
  await page.goto("/login");
  // An account no other spec signs in with: throttling locks the account for 5 minutes.
  for (let i = 1; i <= 6; i++) {
    await page.getByLabel("Username").fill("throttle-target");
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const alert = page.getByTestId("login-error");
    if (i < 6) await expect(alert).toHaveText("Wrong username or password.");
    else await expect(alert).toHaveText(/Too many failed sign-in attempts .*Try again at \d\d:\d\d:\d\d UTC \(in \d+ min/);
  }
});

test("signing out ends the session", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "auditor");
  await page.getByRole("button", { name: /Aiko Auditor/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/login/);
});
