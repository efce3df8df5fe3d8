import { expect, type Page } from "@playwright/test";
import { createGovernor } from "../lib/sdk";
import { E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

interface LivePolicy {
  head: number;
  version: { document: { tenants: Record<string, { tier: string }>; tiers: Record<string, { tools: string[]; rate_limits: Record<string, { count: number }> }> } };
}
const livePolicy = async (page: Page) => (await (await page.request.get("/api/v1/admin/policy")).json()) as LivePolicy;
/** A change set applied straight through the API, as another editor's session would. */
async function applyThroughApi(page: Page, ops: unknown[], reason: string): Promise<number> {
  const { head } = await livePolicy(page);
  const created = await page.request.post("/api/v1/admin/changesets", { headers: { origin: BASE }, data: { baseVersion: head, reason, ops } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const applied = await page.request.post(`/api/v1/admin/changesets/${id}/apply`, { headers: { origin: BASE }, data: {} });
  expect(applied.status()).toBe(200);
  return (await applied.json()).version;
}

test("an editor builds a 3-key change set, sees diff and impact, applies it; the history shows it and a reviewed revert restores it", async ({ browser }) => {
  test.setTimeout(120_000);
  // A recorded decision for the impact replay: globex is on the free tier, which lacks refund_payment.
  const support = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 2000 });
  const globexRefund = () => support.decide({ tenant: "globex", session: "e2e-policy", tool: "refund_payment" });
  try {
    expect((await globexRefund()).decision).toBe("deny");

    const page = await newClient(browser);
    await login(page, "editor");
    const before = await livePolicy(page);
    await page.goto("/policy");

    await page.getByLabel("Tier of tenant globex").selectOption("pro");
    await page.getByTestId("grid-tier").getByLabel("free: drop_table").uncheck();
    await page.getByLabel("Calls: send_email, tier pro (per tenant)").fill("500");
    await expect(page.getByTestId("pending-ops").getByRole("listitem")).toHaveCount(3);
    // The draft survives a reload.
    await page.reload();
    await expect(page.getByTestId("pending-ops").getByRole("listitem")).toHaveCount(3);

    const diff = page.getByTestId("pending-diff");
    await expect(diff.getByRole("row")).toHaveCount(4);
    await expect(diff.getByRole("row", { name: /tenants\.globex\.tier/ })).toContainText('"free"');
    await expect(diff.getByRole("row", { name: /tenants\.globex\.tier/ })).toContainText('"pro"');
    await expect(diff.getByRole("row", { name: /tiers\.free\.tools/ })).toContainText("− drop_table");
    await expect(diff.getByRole("row", { name: /tiers\.pro\.rate_limits\.send_email\.count/ })).toContainText("1000→500");

    // Preview needs a reason, and saving the change set for it must not make it sensitive.
    await page.getByRole("button", { name: "Preview impact" }).click();
    await expect(page.getByText("Say why the policy changes")).toBeVisible();
    await page.getByLabel("Reason (required)").fill("e2e: globex upgraded to pro");
    await page.getByRole("button", { name: "Preview impact" }).click();
    const impact = page.getByTestId("impact");
    await expect(impact).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("impact-replayed")).not.toHaveText("0");
    await expect(page.getByTestId("impact-flipped")).not.toHaveText("0");
    await expect(impact).toContainText("deny → pending");
    await expect(page.getByTestId("impact-examples").getByRole("row", { name: /globex/ }).first()).toContainText("refund_payment");
    await expect(page.getByTestId("server-changeset").getByTestId("changeset-status")).toHaveText("draft");

    await page.getByRole("button", { name: "Apply…" }).click();
    const confirm = page.getByRole("dialog", { name: "Apply 3 changes to the live policy?" });
    await expect(confirm).toContainText("e2e: globex upgraded to pro");
    await confirm.getByRole("button", { name: "Apply now" }).click();
    const applied = before.head + 1;
    await expect(page.getByTestId("applied-notice")).toContainText(`Applied as version ${applied}`);
    await expect(page.getByTestId("pending-ops")).toHaveCount(0);

    const live = await livePolicy(page);
    expect(live.head).toBe(applied);
    expect(live.version.document.tenants.globex!.tier).toBe("pro");
    expect(live.version.document.tiers.free!.tools).not.toContain("drop_table");
    expect(live.version.document.tiers.pro!.rate_limits.send_email!.count).toBe(500);
    await expect.poll(async () => (await globexRefund()).decision, { timeout: 5000 }).toBe("pending");

    // History: the new version with its author and reason, and its diff against the parent.
    await page.goto("/policy/history");
    const row = page.getByTestId(`version-${applied}`);
    await expect(row).toContainText("editor");
    await expect(row).toContainText("e2e: globex upgraded to pro");
    await expect(row).toContainText("live");
    await expect(page.getByTestId("version-diff").getByRole("row")).toHaveCount(4);
    await expect(page.getByTestId("version-diff")).toContainText("tenants.globex.tier");

    // Revert re-adds drop_table (a schema tool) to the free tier: a sensitive grant.
    await page.getByRole("button", { name: `Revert to version ${before.head}` }).click();
    await page.getByRole("dialog", { name: `Revert to version ${before.head}?` }).getByRole("button", { name: "Create revert change set" }).click();
    await expect(page).toHaveURL(/\/policy\/changesets\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("changeset-status")).toHaveText("needs approval");
    await expect(page.getByTestId("approval-panel")).toContainText("1 reviewer approval");
    await expect(page.getByTestId("sensitivity")).toContainText('tiers.free.tools grants schema tool "drop_table"');
    await expect(page.getByRole("button", { name: "Apply…" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

    const reviewer = await newClient(browser);
    await login(reviewer, "reviewer1");
    await reviewer.goto(page.url());
    await expect(reviewer.getByRole("button", { name: "Apply…" })).toHaveCount(0);
    await reviewer.getByLabel("Comment (optional)").fill("restores the old tiers");
    await reviewer.getByRole("button", { name: "Approve" }).click();
    await expect(reviewer.getByTestId("changeset-status")).toHaveText("approved");
    await expect(reviewer.getByTestId("votes")).toContainText("Approved by reviewer1");

    // The editor's page picks the vote up by polling.
    await expect(page.getByTestId("changeset-status")).toHaveText("approved", { timeout: 10_000 });
    await page.getByRole("button", { name: "Apply…" }).click();
    await page.getByRole("dialog", { name: "Apply this change set to the live policy?" }).getByRole("button", { name: "Apply now" }).click();
    await expect(page.getByTestId("changeset-status")).toHaveText("applied");

    const reverted = await livePolicy(page);
    expect(reverted.head).toBe(applied + 1);
    const back = await (await page.request.get(`/api/v1/admin/policy/diff?from=${before.head}&to=${reverted.head}`)).json();
    expect(back.changes).toEqual([]);
    await expect.poll(async () => (await globexRefund()).decision, { timeout: 5000 }).toBe("deny");
  } finally {
    await support.close();
  }
});

test("an editor is warned when someone else applies first, sees the 409 keys, and can rebase", async ({ browser }) => {
  test.setTimeout(60_000);
  const page = await newClient(browser);
  await login(page, "editor");
  const other = await newClient(browser);
  await login(other, "admin");
  const { head: base } = await livePolicy(page);

  await page.goto("/policy");
  await page.getByLabel("Tier of tenant globex").selectOption("pro");
  await page.getByLabel("Reason (required)").fill("e2e: race on globex");
  // Preview saves the change set on the current base.
  await page.getByRole("button", { name: "Preview impact" }).click();
  await expect(page.getByTestId("preview")).toBeVisible({ timeout: 15_000 });

  const theirs = await applyThroughApi(other, [{ op: "set", key: "tenants.globex.tier", value: "pro" }], "e2e: someone else upgrades globex");
  const banner = page.getByTestId("head-moved");
  await expect(banner).toContainText(`admin applied version ${theirs}`, { timeout: 10_000 });
  await expect(banner).toContainText(`from version ${base}`);

  await page.getByRole("button", { name: "Apply…" }).click();
  await page.getByRole("dialog", { name: /Apply 1 change/ }).getByRole("button", { name: "Apply now" }).click();
  const conflict = page.getByTestId("apply-conflict");
  await expect(conflict).toContainText(`tenants.globex.tier changed in version ${theirs}`);
  expect((await livePolicy(page)).head).toBe(theirs);

  await banner.getByRole("button", { name: `Rebase onto version ${theirs}` }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByText(`Written against version ${theirs}.`)).toBeVisible();
  // On the new base the operation changes nothing, so the diff is empty.
  await expect(page.getByTestId("pending-diff")).toHaveCount(0);
  await page.getByRole("button", { name: "Discard all" }).click();
  await page.getByRole("dialog", { name: /Discard 1 pending operation/ }).getByRole("button", { name: "Discard" }).click();
  await expect(page.getByTestId("pending-ops")).toHaveCount(0);

  await applyThroughApi(other, [{ op: "set", key: "tenants.globex.tier", value: "free" }], "e2e: put globex back");
});

test("lowering a limit below what is already counted needs an explicit \"apply anyway\"", async ({ browser }) => {
  // A generous timeout: a failsafe allow (the SDK's answer when the server is slow) is not
  // counted by the server, and the conflict below names exactly the three counted calls.
  const support = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 10_000 });
  try {
    for (let i = 0; i < 3; i++) {
      const d = await support.decide({ tenant: "globex", session: "e2e-limit", tool: "send_email" });
      expect(d.decision).toBe("allow");
      expect(d.failsafe).toBeUndefined();
    }
  } finally {
    await support.close();
  }
  const page = await newClient(browser);
  await login(page, "editor");
  const { head } = await livePolicy(page);
  await page.goto("/policy");
  const limit = page.getByLabel("Calls: send_email, tier free (per tenant)");
  const applyNow = async () => {
    await page.getByRole("button", { name: "Apply…" }).click();
    await page.getByRole("dialog", { name: /Apply 1 change/ }).getByRole("button", { name: "Apply now" }).click();
  };

  // The rollout specs rely on the free tier's 100 emails an hour: put it back even on a failure.
  const restoreLimit = async () => {
    if ((await livePolicy(page)).version.document.tiers.free!.rate_limits.send_email!.count !== 100) {
      await applyThroughApi(page, [{ op: "set", key: "tiers.free.rate_limits.send_email.count", value: 100 }], "e2e: restore the free-tier email limit after a failure");
    }
  };
  try {
    await limit.fill("2");
    await page.getByLabel("Reason (required)").fill("e2e: throttle globex email");
    // Straight to apply without a preview: the server refuses with a 422 naming the key path.
    await applyNow();
    const refused = page.getByTestId("apply-unprocessable");
    await expect(refused).toContainText("State conflict");
    await expect(refused).toContainText("tiers.free.rate_limits.send_email");
    await expect(refused).toContainText("3 calls are already counted");
    expect((await livePolicy(page)).head).toBe(head);
    await expect(page.getByRole("button", { name: "Apply…" })).toBeDisabled();
    await page.getByLabel(/Apply anyway/).check();
    await applyNow();
    await expect(page.getByTestId("applied-notice")).toContainText(`Applied as version ${head + 1}`);
    expect((await livePolicy(page)).version.document.tiers.free!.rate_limits.send_email!.count).toBe(2);

    // Raising it back is no state conflict.
    await limit.fill("100");
    await page.getByLabel("Reason (required)").fill("e2e: restore globex email limit");
    await applyNow();
    await expect(page.getByTestId("applied-notice")).toContainText(`Applied as version ${head + 2}`);
  } finally {
    await restoreLimit();
  }
});

test("a viewer sees the policy read-only and a forged apply from their session gets 403", async ({ browser }) => {
  // A viewer of its own: the demo "viewer" may be locked out by the login-throttling spec.
  const admin = await newClient(browser);
  await login(admin, "admin");
  const viewerName = `viewer-${Date.now().toString(36)}`;
  const seeded = await admin.request.post("/api/v1/admin/users", { headers: { origin: BASE }, data: { username: viewerName, displayName: "E2E Viewer", role: "viewer", password: "viewer-e2e-password" } });
  expect(seeded.status()).toBe(201);

  const editor = await newClient(browser);
  await login(editor, "editor");
  const { head } = await livePolicy(editor);
  const created = await editor.request.post("/api/v1/admin/changesets", {
    headers: { origin: BASE },
    data: { baseVersion: head, reason: "e2e: a viewer must not apply this", ops: [{ op: "set", key: "tenants.globex.tier", value: "pro" }] },
  });
  expect(created.status()).toBe(201);
  const { id, status } = await created.json();
  expect(status).toBe("draft");

  const viewer = await newClient(browser);
  await login(viewer, viewerName, "viewer-e2e-password");
  await viewer.goto("/policy");
  await expect(viewer.getByTestId("policy-read-only")).toBeVisible();
  await expect(viewer.getByTestId("tool-registry")).toContainText("refund_payment");
  await expect(viewer.getByRole("checkbox")).toHaveCount(0);
  await expect(viewer.getByRole("tab")).toHaveCount(0);
  await expect(viewer.getByRole("textbox")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /apply|edit|preview|discard/i })).toHaveCount(0);
  await viewer.getByLabel("Search keys and values").fill("globex");
  await expect(viewer.getByTestId("kv-table")).toContainText("tenants.globex.tier");
  await expect(viewer.getByTestId("kv-table")).not.toContainText("tenants.acme.tier");

  await viewer.goto(`/policy/changesets/${id}`);
  await expect(viewer.getByTestId("changeset-ops")).toContainText("tenants.globex.tier");
  await expect(viewer.getByRole("button", { name: /apply|abandon|approve|reject|rebase/i })).toHaveCount(0);
  await viewer.goto("/policy/history");
  await expect(viewer.getByTestId("versions-table")).toBeVisible();
  await expect(viewer.getByRole("button", { name: /revert/i })).toHaveCount(0);

  const forged = await viewer.request.post(`/api/v1/admin/changesets/${id}/apply`, { headers: { origin: BASE }, data: {} });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.message).toContain("policy.write");
  const after = await (await viewer.request.get(`/api/v1/admin/changesets/${id}`)).json();
  expect(after.changeSet.status).toBe("draft");
  expect((await livePolicy(viewer)).head).toBe(head);

  const abandoned = await editor.request.post(`/api/v1/admin/changesets/${id}/abandon`, { headers: { origin: BASE }, data: {} });
  expect(abandoned.status()).toBe(200);
});
