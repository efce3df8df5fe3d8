import { expect, test, type Page } from "@playwright/test";
import { E2E_SUPPORT_TOKEN, login, newClient } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const SHOTS = "test-results/rollouts";

/** A draft change set made through the API, as another editor would: globex moves to the pro tier. */
async function draftChangeSet(page: Page, reason: string): Promise<string> {
  const { head } = (await (await page.request.get("/api/v1/admin/policy")).json()) as { head: number };
  const created = await page.request.post("/api/v1/admin/changesets", {
    headers: { origin: BASE },
    data: { baseVersion: head, reason, ops: [{ op: "set", key: "tenants.globex.tier", value: "pro" }] },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/**
 * Agent traffic on distinct sessions, so the sticky hash spreads them over both cohorts. globex
 * is on the free tier in the baseline (refund_payment denied) and on pro in the candidate.
 */
async function driveTraffic(page: Page, tag: string, n: number): Promise<void> {
  const tools = ["search_kb", "refund_payment", "search_kb", "send_email"];
  for (let start = 0; start < n; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - start) }, async (_, k) => {
        const i = start + k;
        const res = await page.request.post("/api/v1/decide", {
          headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` },
          data: { agent: "support-bot", tenant: "globex", session: `e2e-${tag}-${i}`, tool: tools[i % tools.length] },
        });
        expect(res.ok()).toBe(true);
        const d = (await res.json()) as { decision: string; decisionId: string };
        if (d.decision === "allow") {
          const out = await page.request.post("/api/v1/outcomes", {
            headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` },
            data: { decisionId: d.decisionId, outcome: i % 10 === 0 ? "failure" : "success" },
          });
          // The decision log is written in the background; an outcome for a decision not yet
          // written is refused with 404, which only costs this one report.
          expect([200, 404]).toContain(out.status());
        }
      }),
    );
  }
}

let cleanup: (() => Promise<void>) | null = null;
test.afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

interface Metrics {
  rollout: { status: string };
  totals: Record<"stable" | "canary", { decisions: number }>;
  comparisons: { metric: string; verdict: string }[];
  events: { kind: string; reason: string }[];
}
const metricsOf = async (page: Page, id: string) => (await (await page.request.get(`/api/v1/admin/rollouts/${id}/metrics?minutes=60`)).json()) as Metrics;

test("an editor releases a change set as a canary, watches canary against control live, pauses with a reason and aborts", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await newClient(browser);
  await login(page, "editor");
  const csId = await draftChangeSet(page, "e2e: globex to pro, released as a canary");

  // The change set page offers the release; it pre-fills the start form.
  await page.goto(`/policy/changesets/${csId}`);
  await page.getByRole("link", { name: "Release as rollout…" }).click();
  await expect(page).toHaveURL(new RegExp(`/rollouts\\?changeSet=${csId}$`));
  await expect(page.getByLabel("Change set id")).toHaveValue(csId);
  await expect(page.getByTestId("stage-row")).toHaveCount(3);
  await expect(page.getByLabel("Stage 1 percent of sessions")).toHaveValue("5");
  await page.screenshot({ path: `${SHOTS}/list-light.png`, fullPage: true });

  // Half the sessions on the candidate, and stages long enough that nothing advances by itself.
  await page.getByLabel("Stage 1 percent of sessions").fill("50");
  await page.getByLabel("Stage 2 percent of sessions").fill("80");
  for (const i of [1, 2, 3]) await page.getByLabel(`Stage ${i} minimum duration in minutes`).fill("30");
  await page.getByLabel("Reason (required)").fill("e2e: canary of the globex tier change");
  await page.getByRole("button", { name: "Review and start…" }).click();
  const confirm = page.getByRole("dialog", { name: "Start this rollout?" });
  await expect(confirm).toContainText("50% → 80% → 100%");
  await confirm.getByRole("button", { name: "Start rollout" }).click();
  await expect(page).toHaveURL(/\/rollouts\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  // Only one rollout may be active: if this test fails midway, do not leave it running.
  test.info().annotations.push({ type: "rollout", description: id });
  cleanup = async () => {
    if ((await metricsOf(page, id)).rollout.status === "running" || (await metricsOf(page, id)).rollout.status === "paused") {
      await page.request.post(`/api/v1/admin/rollouts/${id}/abort`, { headers: { origin: BASE }, data: { reason: "e2e: cleanup after a failure" } });
    }
  };

  const dash = page.getByTestId("rollout-dashboard");
  await expect(dash.getByTestId("rollout-status").first()).toHaveText(/Running/);
  for (const m of ["deny_rate", "error_rate", "task_completion", "latency", "srm"]) await expect(page.getByTestId(`tile-${m}`)).toBeVisible();
  await expect(page.getByTestId("tile-deny_rate").getByTestId("verdict")).toHaveText(/Not enough data/);
  await expect(page.getByTestId("rollout-chart").first()).toContainText("No decisions yet in this rollout");
  await expect(page.getByTestId("stage").first()).toHaveAttribute("data-status", "current");

  await driveTraffic(page, `ro-${Date.now().toString(36)}`, 240);
  // Metrics buckets are flushed in the background; the page polls every 2.5 s by itself.
  await expect.poll(async () => { const m = await metricsOf(page, id); return Math.min(m.totals.canary.decisions, m.totals.stable.decisions); }, { timeout: 30_000 }).toBeGreaterThanOrEqual(60);
  // globex on pro no longer has refund_payment denied: the canary denies less, and says so.
  await expect(page.getByTestId("tile-deny_rate").getByTestId("verdict")).toHaveText(/Better/, { timeout: 15_000 });
  await expect(page.getByTestId("tile-deny_rate")).toContainText(/95% CI\s*[−+±][\d.]+ pp to [−+±][\d.]+ pp/);
  await expect(page.getByTestId("tile-srm").getByTestId("srm-verdict")).toHaveText(/Split as configured/);
  await expect(page.getByTestId("rollout-chart").first().locator(".recharts-line-dot").first()).toBeVisible();
  await expect(page.getByTestId("criterion").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/dashboard-light.png`, fullPage: true });

  // Pause needs a reason; without one the dialog says so and nothing is sent.
  await page.getByRole("button", { name: "Pause" }).click();
  const pause = page.getByRole("dialog", { name: "Pause this rollout?" });
  await pause.getByRole("button", { name: "Pause" }).click();
  await expect(pause.getByRole("alert")).toHaveText(/reason is required/);
  await pause.getByLabel(/Reason/).fill("e2e: checking the deny-rate drop");
  await pause.getByRole("button", { name: "Pause" }).click();
  await expect(dash.getByTestId("rollout-status").first()).toHaveText(/Paused/);
  await expect(page.getByTestId("rollout-event").first()).toHaveText(/Paused by [^:]+: e2e: checking the deny-rate drop/);
  // The pause is drawn on every chart as an annotated reference line.
  const firstChart = page.getByTestId("rollout-chart").first();
  await expect(firstChart.locator("text").filter({ hasText: /^pause$/ })).toBeVisible();
  await expect(firstChart.locator(".recharts-reference-line-line")).toHaveCount(2);
  expect((await metricsOf(page, id)).events.map((e) => e.kind)).toEqual(["start", "pause"]);

  await page.getByRole("button", { name: "Switch to dark mode" }).click();
  await page.screenshot({ path: `${SHOTS}/dashboard-dark.png`, fullPage: true });
  await page.getByRole("button", { name: "Switch to light mode" }).click();

  // Abort is the dangerous one: its confirm step says what happens.
  await page.getByRole("button", { name: "Abort…" }).click();
  const abort = page.getByRole("dialog", { name: "Abort this rollout?" });
  await expect(abort).toContainText("back to the baseline");
  await abort.getByLabel(/Reason/).fill("e2e: done looking");
  await abort.getByRole("button", { name: "Abort" }).click();
  await expect(dash.getByTestId("rollout-status").first()).toHaveText(/Aborted/);
  await expect(page.getByTestId("rollout-outcome")).toHaveText(/Aborted by [^:]+: e2e: done looking/);
  await expect(page.getByRole("group", { name: "Rollout controls" })).toHaveCount(0);

  await page.goto("/rollouts");
  await expect(page.getByTestId("rollout-row").first()).toContainText("Aborted");
  await expect(page.getByTestId("active-rollout")).toHaveCount(0);
});

test("a viewer sees a running rollout with no controls, and a forged pause from their session gets 403", async ({ browser }) => {
  const admin = await newClient(browser);
  await login(admin, "admin");
  const viewerName = `viewer-ro-${Date.now().toString(36)}`;
  const seeded = await admin.request.post("/api/v1/admin/users", { headers: { origin: BASE }, data: { username: viewerName, displayName: "E2E Rollout Viewer", role: "viewer", password: "viewer-e2e-password" } });
  expect(seeded.status()).toBe(201);

  const editor = await newClient(browser);
  await login(editor, "editor");
  const csId = await draftChangeSet(editor, "e2e: a rollout a viewer may only watch");
  const started = await editor.request.post("/api/v1/admin/rollouts", {
    headers: { origin: BASE },
    data: { changeSetId: csId, strategy: "canary", stages: [{ percent: 10, minDurationSec: 1800 }, { percent: 100, minDurationSec: 1800 }], reason: "e2e: viewer check" },
  });
  expect(started.status(), await started.text()).toBe(201);
  const { id } = (await started.json()) as { id: string };

  try {
    const viewer = await newClient(browser);
    await login(viewer, viewerName, "viewer-e2e-password");
    await viewer.goto("/rollouts");
    await expect(viewer.getByTestId("active-rollout")).toBeVisible();
    await expect(viewer.getByRole("form", { name: "Start a rollout" })).toHaveCount(0);
    await viewer.getByRole("link", { name: "Open dashboard" }).click();
    await expect(viewer.getByTestId("rollout-status").first()).toHaveText(/Running/);
    await expect(viewer.getByTestId("tile-srm")).toBeVisible();
    await expect(viewer.getByRole("button", { name: /pause|resume|advance|promote|abort/i })).toHaveCount(0);

    const forged = await viewer.request.post(`/api/v1/admin/rollouts/${id}/pause`, { headers: { origin: BASE }, data: { reason: "forged" } });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).error.message).toContain("rollouts.write");
    const after = await metricsOf(viewer, id);
    expect(after.rollout.status).toBe("running");
    expect(after.events.map((e) => e.kind)).toEqual(["start"]);
  } finally {
    const aborted = await editor.request.post(`/api/v1/admin/rollouts/${id}/abort`, { headers: { origin: BASE }, data: { reason: "e2e: cleanup" } });
    expect(aborted.status()).toBe(200);
  }
});

test("a canary whose tasks fail is rolled back automatically; the dashboard explains why and the next decisions use the baseline", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await newClient(browser);
  await login(page, "editor");
  const csId = await draftChangeSet(page, "e2e: a candidate whose tasks fail");
  const started = await page.request.post("/api/v1/admin/rollouts", {
    headers: { origin: BASE },
    data: { changeSetId: csId, strategy: "canary", stages: [{ percent: 50, minDurationSec: 1800 }, { percent: 100, minDurationSec: 1800 }], reason: "e2e: automatic rollback" },
  });
  expect(started.status(), await started.text()).toBe(201);
  const { id, candidateVersion } = (await started.json()) as { id: string; candidateVersion: number };
  cleanup = async () => {
    const status = (await metricsOf(page, id)).rollout.status;
    if (status === "running" || status === "paused") await page.request.post(`/api/v1/admin/rollouts/${id}/abort`, { headers: { origin: BASE }, data: { reason: "e2e: cleanup after a failure" } });
  };
  await page.goto(`/rollouts/${id}`);
  await expect(page.getByTestId("rollout-status").first()).toHaveText(/Running/);

  // Agents on both cohorts; those on the candidate report failed tasks, the others success.
  const tag = `rb-${Date.now().toString(36)}`;
  const decided: { decisionId: string; cohort: string; policyVersion: number }[] = [];
  for (let start = 0; start < 160; start += 20) {
    decided.push(
      ...(await Promise.all(
        Array.from({ length: 20 }, async (_, k) => {
          const res = await page.request.post("/api/v1/decide", {
            headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` },
            data: { agent: "support-bot", tenant: "acme", session: `e2e-${tag}-${start + k}`, tool: "search_kb" },
          });
          expect(res.ok()).toBe(true);
          return (await res.json()) as { decisionId: string; cohort: string; policyVersion: number };
        }),
      )),
    );
  }
  const canary = decided.filter((d) => d.cohort === "canary");
  expect(canary.length).toBeGreaterThanOrEqual(40);
  expect(canary.every((d) => d.policyVersion === candidateVersion)).toBe(true);
  for (const d of decided) {
    // The decision log is written in the background: an outcome may arrive before its decision.
    await expect
      .poll(async () => (await page.request.post("/api/v1/outcomes", { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: { decisionId: d.decisionId, outcome: d.cohort === "canary" ? "failure" : "success" } })).status(), { timeout: 10_000 })
      .toBe(200);
  }

  // The evaluator runs every few seconds; the page follows by itself.
  await expect(page.getByTestId("rollout-status").first()).toHaveText(/Rolled back/, { timeout: 30_000 });
  await expect(page.getByTestId("rollout-outcome")).toHaveText(/Rolled back automatically: task_completion_ratio 0% < 90% over the last 5 min/);
  await expect(page.getByTestId("rollout-event").first()).toContainText("AUTO");
  await expect(page.getByTestId("tile-task_completion").getByTestId("verdict")).toHaveText(/Worse/);
  await expect(page.getByRole("group", { name: "Rollout controls" })).toHaveCount(0);
  await expect(page.getByTestId("rollout-chart").first().locator("text").filter({ hasText: /^rollback \(auto\)$/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/rolled-back-light.png`, fullPage: true });

  // Every session, including those that were on the canary, now decides on the baseline.
  const { rollout } = (await metricsOf(page, id)) as Metrics & { rollout: { baselineVersion: number } };
  for (const i of [0, 1, 2, 3, 4, 5]) {
    const res = await page.request.post("/api/v1/decide", { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: { agent: "support-bot", tenant: "acme", session: `e2e-${tag}-${i}`, tool: "search_kb" } });
    const d = (await res.json()) as { cohort: string; policyVersion: number };
    expect([d.cohort, d.policyVersion]).toEqual(["stable", rollout.baselineVersion]);
  }
});
