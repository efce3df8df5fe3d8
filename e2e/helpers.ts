import { expect, type Browser, type Page } from "@playwright/test";
import { E2E_OPS_TOKEN, E2E_PASSWORD, E2E_SUPPORT_TOKEN } from "../playwright.config";

export { E2E_OPS_TOKEN, E2E_PASSWORD, E2E_SUPPORT_TOKEN };

let addressCounter = 10;

/** A browser context that looks like its own client address (see GOVERNOR_TRUST_PROXY). */
export async function newClient(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${addressCounter++}` } });
  return context.newPage();
}

export async function login(page: Page, username: string, password = E2E_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}
