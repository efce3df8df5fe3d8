import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "@playwright/test";
import { E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const run = promisify(execFile);

/** Runs the offline verifier the way an outside auditor would, and returns its exit code and output. */
async function verifyOffline(bundle: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", bundle], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? String(e) };
  }
}

test("an auditor filters the log, shares the view, verifies it and exports a bundle that verifies offline", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await newClient(browser);
  await login(page, "auditor");
  await page.goto("/audit");
  await expect(page.getByTestId("audit-table")).toBeVisible();

  const filters = page.getByRole("search", { name: "Filter audit events" });
  await filters.getByLabel("Action").fill("auth.login");
  await filters.getByLabel("Actor").fill("auditor");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=auth\.login/);
  await expect(page).toHaveURL(/actor=auditor/);

  const table = page.getByTestId("audit-table");
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toContainText("auth.login");
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await expect(rows.nth(i)).toContainText("auth.login");
    await expect(rows.nth(i)).toContainText("user:auditor");
  }

  // The filtered view survives a reload: the address carries it.
  await page.reload();
  await expect(page.getByRole("search", { name: "Filter audit events" }).getByLabel("Action")).toHaveValue("auth.login");
  await expect(rows).toHaveCount(count);

  // Detail: the key-by-key view and the hashes.
  await rows.first().getByRole("button", { name: /Details/ }).click();
  const detail = page.getByTestId("event-detail");
  await expect(detail).toContainText("Hash");
  await expect(detail.getByTestId("event-hash")).toHaveText(/^[0-9a-f]{64}$/);

  // Verify the loaded range, with the checkpoint that covers it.
  await page.getByRole("button", { name: "Verify chain" }).click();
  const result = page.getByTestId("verify-result");
  await expect(result).toContainText("Chain intact");
  await expect(result.getByTestId("verify-checkpoint")).toContainText("valid (Ed25519)");

  // Export the filtered bundle and check it as an outside auditor would.
  const dir = await mkdtemp(path.join(tmpdir(), "governor-e2e-audit-"));
  try {
    const downloading = page.waitForEvent("download", { timeout: 60_000 });
    await page.getByRole("button", { name: "Export bundle" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.tar\.gz$/);
    const file = path.join(dir, "bundle.tar.gz");
    await download.saveAs(file);
    expect((await stat(file)).size).toBeGreaterThan(100);
    await expect(page.getByTestId("export-status")).toContainText("Saved");

    const verified = await verifyOffline(file);
    expect(verified.stderr, verified.stdout).not.toContain("FAILED");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("Audit bundle OK");
    // The bundle matched exactly the events the filtered view shows.
    expect(verified.stdout).toMatch(new RegExp(`; ${count} matched the export's filters`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a recorded decision shows its inclusion proof and the audit event that sealed it", async ({ browser }) => {
  const page = await newClient(browser);
  const session = `e2e-audit-${Date.now()}`;
  const decided = await page.request.post("/api/v1/decide", {
    headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` },
    data: { agent: "support-bot", tenant: "acme", session, tool: "search_kb" },
  });
  expect(decided.ok()).toBe(true);
  const { decisionId } = (await decided.json()) as { decisionId: string };

  await login(page, "auditor");
  // Decisions are written and sealed in the background, about once a second.
  await expect.poll(async () => (await page.request.get(`/api/v1/admin/audit/decisions/${decisionId}/proof`)).status(), { timeout: 15_000 }).toBe(200);

  await page.goto("/audit?tab=decisions&agent=support-bot&tool=search_kb");
  await expect(page.getByRole("tab", { name: "Decisions" })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("button", { name: `Details and proof of decision ${decisionId}` }).click();
  const proof = page.getByTestId("inclusion-proof");
  await expect(proof).toContainText("Leaf index");
  await expect(proof.getByTestId("proof-root-check")).toContainText("recompute to the batch root");
  await expect(proof).toContainText(/Audit event #\d+ carries this root/);
});

test("an editor has no audit page or export, and a forged export request is refused", async ({ browser }) => {
  const page = await newClient(browser);
  await login(page, "editor");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("button", { name: "Export bundle" })).toHaveCount(0);

  const forged = await page.request.get("/api/v1/admin/audit/export");
  expect(forged.status()).toBe(403);
  const filtered = await page.request.get("/api/v1/admin/audit/export?action=auth.login");
  expect(filtered.status()).toBe(403);
});
