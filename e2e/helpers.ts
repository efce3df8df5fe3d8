import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_OPS_TOKEN, E2E_PASSWORD, E2E_SUPPORT_TOKEN } from "../playwright.config";

export { E2E_OPS_TOKEN, E2E_PASSWORD, E2E_SUPPORT_TOKEN };

let addressCounter = 10;
const openContexts = new Set<BrowserContext>();

/**
 * The specs' `test`: every context made by newClient is closed when its test ends. The browser
 * is shared by the whole run, so without this each console page stayed open and kept polling
 * the server; by the policy-editor spec CI had 37 of them, and timing-bound steps failed.
 */
export const test = base.extend<{ closeClients: void }>({
  closeClients: [
    async ({}, use) => {
      await use();
      await Promise.all([...openContexts].map((c) => c.close()));
      openContexts.clear();
    },
    { auto: true },
  ],
});

/** A browser context that looks like its own client address (see GOVERNOR_TRUST_PROXY). */
export async function newClient(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${addressCounter++}` } });
  openContexts.add(context);
  return context.newPage();
}

export async function login(page: Page, username: string, password = E2E_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}
