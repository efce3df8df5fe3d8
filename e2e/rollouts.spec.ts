import { expect, type Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { E2E_OPS_TOKEN, E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const SHOTS = "test-results/rollouts";

const GLOBEX_TO_PRO = [{ op: "set", key: "tenants.globex.tier", value: "pro" }];
/** The free tier loses send_email: a candidate that denies more, with no approvals involved. */
const FREE_WITHOUT_EMAIL = [{ op: "set", key: "tiers.free.tools", value: ["search_kb", "restart_service", "drop_table"] }];

/** A draft change set made through the API, as another editor would. */
async function draftChangeSet(page: Page, reason: string, ops: unknown[] = GLOBEX_TO_PRO): Promise<string> {
  const { head } = (await (await page.request.get("/api/v1/admin/policy")).json()) as { head: number };
  const created = await page.request.post("/api/v1/admin/changesets", {
    headers: { origin: BASE },
    data: { baseVersion: head, reason, ops },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/**
 * Agent traffic of globex (free tier) on distinct sessions, so the sticky hash spreads them over
 * both cohorts. Only tools that need no approval, so every decision is answered at once.
 */
async function driveTraffic(page: Page, tag: string, n: number): Promise<void> {
  const tools = ["search_kb", "send_email"];
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
            // Every allowed call succeeds, so task completion is equal in both cohorts and its
            // rollback cannot fire. With one failure in ten it could: the canary reports about 60
            // outcomes (its send_email calls are denied), and in one full e2e run the sessions'
            // split gave it 83% completion against control's 93%, which passed the z-test.
            data: { decisionId: d.decisionId, outcome: "success" },
          });
          // Accepted even before the decision log is written: the writer remembers recent ids.
          expect(out.status()).toBe(200);
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
  const csId = await draftChangeSet(page, "e2e: free tier without send_email, released as a canary", FREE_WITHOUT_EMAIL);

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
  await page.getByLabel("Stage 2 percent of sessions").fill("40");
  for (const i of [1, 2, 3]) await page.getByLabel(`Stage ${i} minimum duration in minutes`).fill("30");
  await page.getByLabel("Reason (required)").fill("e2e: canary of the free-tier change");
  // A stage smaller than the one before is refused by the server, naming the field.
  await page.getByRole("button", { name: "Review and start…" }).click();
  await page.getByRole("dialog", { name: "Start this rollout?" }).getByRole("button", { name: "Start rollout" }).click();
  await expect(page.getByTestId("start-error")).toContainText("stages.1.percent");
  await expect(page.getByTestId("start-error")).toContainText("larger than the previous stage's 50");
  await expect(page).toHaveURL(/\/rollouts\?changeSet=/);
  await page.getByLabel("Stage 2 percent of sessions").fill("80");
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
  // The candidate denies send_email on the free tier: the canary denies more, and the tile says so.
  await expect(page.getByTestId("tile-deny_rate").getByTestId("verdict")).toHaveText(/Worse/, { timeout: 15_000 });
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
  await pause.getByLabel(/Reason/).fill("e2e: checking the deny-rate rise");
  await pause.getByRole("button", { name: "Pause" }).click();
  await expect(dash.getByTestId("rollout-status").first()).toHaveText(/Paused/);
  await expect(page.getByTestId("rollout-event").first()).toHaveText(/Paused by [^:]+: e2e: checking the deny-rate rise/);
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

test("an editor starts a canary, the bad-canary simulation runs, the dashboard shows the regression and the automatic rollback restores the baseline", async ({ browser }) => {
  test.setTimeout(150_000);
  const page = await newClient(browser);
  await login(page, "editor");
  const csId = await draftChangeSet(page, "e2e: the candidate the bad-canary simulation drives");

  // Started from the form, with the change set id typed in rather than pre-filled.
  await page.goto("/rollouts");
  await page.getByLabel("Release a change set").check();
  await page.getByLabel("Change set id").fill(csId);
  await page.getByRole("button", { name: "Remove stage 2" }).click();
  await page.getByLabel("Stage 1 percent of sessions").fill("50");
  for (const i of [1, 2]) await page.getByLabel(`Stage ${i} minimum duration in minutes`).fill("30");
  await page.getByLabel("Reason (required)").fill("e2e: bad canary");
  await page.getByRole("button", { name: "Review and start…" }).click();
  await page.getByRole("dialog", { name: "Start this rollout?" }).getByRole("button", { name: "Start rollout" }).click();
  await expect(page).toHaveURL(/\/rollouts\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  cleanup = async () => {
    const status = (await metricsOf(page, id)).rollout.status;
    if (status === "running" || status === "paused") await page.request.post(`/api/v1/admin/rollouts/${id}/abort`, { headers: { origin: BASE }, data: { reason: "e2e: cleanup after a failure" } });
  };
  const { rollout } = (await metricsOf(page, id)) as Metrics & { rollout: { baselineVersion: number; candidateVersion: number } };

  // Sessions this spec knows to be on the canary, to ask again after the rollback.
  const tag = `bc-${Date.now().toString(36)}`;
  const decideAs = async (session: string) => {
    const res = await page.request.post("/api/v1/decide", { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: { agent: "support-bot", tenant: "acme", session, tool: "search_kb" } });
    expect(res.ok()).toBe(true);
    return (await res.json()) as { cohort: string; policyVersion: number };
  };
  const canarySessions: string[] = [];
  for (let i = 0; canarySessions.length < 5 && i < 100; i++) {
    const d = await decideAs(`e2e-${tag}-${i}`);
    if (d.cohort === "canary") {
      expect(d.policyVersion).toBe(rollout.candidateVersion);
      canarySessions.push(`e2e-${tag}-${i}`);
    }
  }
  expect(canarySessions).toHaveLength(5);

  // The simulator with no admin token drives the rollout already active: canary calls fail 45%
  // of the time, control calls 5%. Its default 100 ms timeout turns decisions into local
  // failsafe answers on a loaded machine, so it gets 2 s here.
  const sim = spawn(process.execPath, ["--import", "tsx", "scripts/simulate.ts", "--url", BASE, "--scenario", "bad-canary", "--duration", "90", "--agents", "2", "--rate", "40", "--timeout", "2000", "--token-support", E2E_SUPPORT_TOKEN, "--token-ops", E2E_OPS_TOKEN], { stdio: ["ignore", "pipe", "pipe"] });
  let simOut = "";
  sim.stdout.on("data", (b: Buffer) => (simOut += b.toString()));
  sim.stderr.on("data", (b: Buffer) => (simOut += b.toString()));
  try {
    await expect(page.getByTestId("rollout-status").first()).toHaveText(/Rolled back/, { timeout: 90_000 });
  } finally {
    if (sim.exitCode === null) sim.kill("SIGINT");
    test.info().attach("simulator output", { body: simOut, contentType: "text/plain" });
    // What the evaluator saw, for a run that did not roll back (one CI run: canary at 6% of decisions).
    test.info().attach("rollout metrics", { body: JSON.stringify(await metricsOf(page, id), null, 1), contentType: "application/json" });
  }
  await expect(page.getByTestId("rollout-outcome")).toHaveText(/Rolled back automatically: task_completion_ratio [\d.]+% < 90% over the last 5 min/);
  await expect(page.getByTestId("rollout-event").first()).toContainText("AUTO");
  await expect(page.getByTestId("tile-task_completion").getByTestId("verdict")).toHaveText(/Worse/);
  await expect(page.getByRole("group", { name: "Rollout controls" })).toHaveCount(0);
  await expect(page.getByTestId("rollout-chart").first().locator("text").filter({ hasText: /^rollback \(auto\)$/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/rolled-back-light.png`, fullPage: true });

  // The sessions that were on the canary now decide on the baseline.
  for (const session of canarySessions) {
    const d = await decideAs(session);
    expect([d.cohort, d.policyVersion]).toEqual(["stable", rollout.baselineVersion]);
  }
});
