import { expect, type Page } from "@playwright/test";
import { createGovernor, type Governor } from "../lib/sdk";
import { E2E_OPS_TOKEN, E2E_SUPPORT_TOKEN, login, newClient, test } from "./helpers";

const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
// Mutations from a page's request context need the console's own origin, as the browser sends.
const SAME_ORIGIN = { origin: BASE };
let support: Governor;

test.beforeAll(() => {
  support = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 5000 });
});
test.afterAll(async () => {
  await support.close();
});

const uniqueSession = (what: string) => `e2e-${what}-${Date.now().toString(36)}`;
const vote = (page: Page, id: string, v: "approve" | "reject" = "approve") =>
  page.request.post(`/api/v1/admin/approvals/${id}/votes`, { data: { vote: v, comment: "forged from the page's session" }, headers: SAME_ORIGIN });

async function reviewers(browser: Parameters<typeof newClient>[0], names: string[]): Promise<Page[]> {
  const pages: Page[] = [];
  for (const name of names) {
    const page = await newClient(browser);
    await login(page, name);
    pages.push(page);
  }
  return pages;
}

test("two of three reviewers approve a refund; the agent's waiting guard runs only after the second approval", async ({ browser }) => {
  test.setTimeout(120_000);
  const session = uniqueSession("quorum");
  const agent = createGovernor({ url: BASE, token: E2E_SUPPORT_TOKEN, agent: "support-bot", timeoutMs: 5000, approvalWaitMs: 30_000 });
  let ran = 0;
  let settled = false;
  // The agent asks first and waits, as a live agent would, while the reviewers look.
  const guarded = agent
    .guard({ tenant: "acme", session, tool: "refund_payment", args: { amount: 129.5, currency: "EUR", order: "A-1001" }, reversal: "Charge the card again through the ledger" }, () => ++ran)
    .finally(() => (settled = true));
  guarded.catch(() => {}); // awaited below; keeps an early failure from surfacing as unhandled

  const [r1, r2, r3] = (await reviewers(browser, ["reviewer1", "reviewer2", "reviewer3"])) as [Page, Page, Page];

  // reviewer1 finds it in the live queue (no reload) and opens it.
  await r1.goto("/approvals");
  const row = r1.getByTestId("approval-row").filter({ hasText: session });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText("0 of 2 approvals");
  await row.getByRole("link", { name: /refund_payment/ }).click();
  await expect(r1).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/);
  const id = new URL(r1.url()).pathname.split("/").pop()!;
  await expect(r1.getByTestId("request-args")).toContainText('"order": "A-1001"');
  await expect(r1.getByTestId("approval-rule")).toContainText("2 approvals of group reviewers");
  await expect(r1.getByTestId("approval-rule")).toContainText("reviewer1, reviewer2, reviewer3");
  await expect(r1.getByText("Charge the card again through the ledger")).toBeVisible();

  await r1.getByLabel(/^Comment/).fill("matches ticket 4711");
  await r1.getByRole("button", { name: "Approve" }).click();
  await expect(r1.getByTestId("votes")).toContainText("reviewer1");
  await expect(r1.getByTestId("votes")).toContainText("matches ticket 4711");
  // No second vote: the button is gone and the page says why.
  await expect(r1.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(r1.getByTestId("cannot-vote")).toContainText("A vote cannot be changed or cast twice");

  // One approval of two: the agent is still waiting and its action has not run.
  await r1.waitForTimeout(1500);
  expect(settled).toBe(false);
  expect(ran).toBe(0);

  // A forged second vote from reviewer1's own session is refused by the server.
  const twice = await vote(r1, id);
  expect(twice.status()).toBe(409);
  expect((await twice.json()).error.message).toContain("already voted");

  // reviewer3 opens the request while it is still pending, then loses its live updates, so its
  // page still offers the vote after reviewer2 has decided it.
  await r3.goto(`/approvals/${id}`);
  await expect(r3.getByRole("button", { name: "Approve" })).toBeVisible();
  await r3.route(`**/api/v1/admin/approvals/${id}`, (route) => (route.request().method() === "GET" ? route.abort() : route.continue()));

  await r2.goto(`/approvals/${id}`);
  await r2.getByRole("button", { name: "Approve" }).click();
  await expect(r2.getByTestId("request-status")).toHaveText(/Approved/);

  // The second approval releases the waiting guard, which runs its action once.
  expect(await guarded).toBe(1);
  expect(ran).toBe(1);
  await agent.close();

  // reviewer1's open page follows without a reload.
  await expect(r1.getByTestId("request-outcome")).toContainText("Approved by reviewer2", { timeout: 10_000 });

  // reviewer3's stale page: the click reaches the server, which refuses with a 409 the page shows.
  await r3.getByRole("button", { name: "Approve" }).click();
  await expect(r3.getByTestId("vote-refusal")).toContainText("HTTP 409");
  await expect(r3.getByTestId("vote-refusal")).toContainText("already approved by reviewer2");
  await r3.unroute(`**/api/v1/admin/approvals/${id}`);
  await r3.reload();
  await expect(r3.getByTestId("cannot-vote")).toContainText("already approved by reviewer2");
  await expect(r3.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const late = await vote(r3, id);
  expect(late.status()).toBe(409);
  expect((await late.json()).error.message).toMatch(/already approved by reviewer2 at \d{4}-/);

  // The decided request is in the searchable history with its votes.
  await r3.goto("/approvals/history");
  await r3.getByLabel("Search").fill(session);
  const past = r3.getByTestId("approval-history").getByRole("row").filter({ hasText: session });
  await expect(past).toContainText("Approved");
  await expect(past).toContainText("reviewer1 approved");
  await expect(past).toContainText("reviewer2 approved");
});

test("viewer, editor and operator cannot vote: the page says why, and a forged vote gets 403", async ({ browser }) => {
  const d = await support.decide({ tenant: "acme", session: uniqueSession("roles"), tool: "refund_payment", args: { amount: 5 } });
  expect(d.decision).toBe("pending");
  const id = d.approvalId!;
  for (const [user, role] of [["viewer", "viewer"], ["editor", "editor"], ["oncall", "operator"]] as const) {
    const page = await newClient(browser);
    await login(page, user);
    await page.goto(`/approvals/${id}`);
    await expect(page.getByTestId("cannot-vote")).toContainText(`Voting needs the reviewer or admin role; you are signed in as ${role}`);
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    const forged = await vote(page, id);
    expect(forged.status(), user).toBe(403);
    expect((await forged.json()).error.message).toContain("approvals.vote");
  }
  const after = await (await newClient(browser)).request.get(`${BASE}/api/v1/approvals/${id}`, { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` } });
  expect((await after.json()).approvals).toBe(0);
});

test("an expired request cannot be approved", async ({ browser }) => {
  test.setTimeout(60_000);
  const admin = await newClient(browser);
  await login(admin, "admin");
  const head = await (await admin.request.get("/api/v1/admin/policy")).json();
  const original = head.version.document;
  const publish = async (document: unknown, reason: string) => {
    const res = await admin.request.post("/api/v1/admin/policy/versions", { data: { document, reason }, headers: SAME_ORIGIN });
    expect(res.status(), await res.text()).toBe(201);
  };
  const short = structuredClone(original);
  short.tools.refund_payment.approval.expires_in_s = 3;
  await publish(short, "e2e: a 3-second approval window");
  try {
    // The data plane takes the new version within moments; ask until a request carries it.
    let id = "";
    await expect
      .poll(
        async () => {
          const d = await support.decide({ tenant: "acme", session: uniqueSession("expiry"), tool: "refund_payment", args: { amount: 7 } });
          id = d.approvalId!;
          const { request } = await (await admin.request.get(`/api/v1/admin/approvals/${id}`)).json();
          return Date.parse(request.expiresAt) - Date.parse(request.createdAt);
        },
        { timeout: 10_000 },
      )
      .toBeLessThanOrEqual(3000);

    const [reviewer] = (await reviewers(browser, ["reviewer1"])) as [Page];
    await reviewer.goto(`/approvals/${id}`);
    // The page turns from pending to expired by itself and withdraws the vote buttons.
    await expect(reviewer.getByTestId("request-status")).toHaveText(/Expired/, { timeout: 10_000 });
    await expect(reviewer.getByTestId("cannot-vote")).toContainText("expired");
    await expect(reviewer.getByRole("button", { name: "Approve" })).toHaveCount(0);
    const forged = await vote(reviewer, id);
    expect(forged.status()).toBe(409);
    expect((await forged.json()).error.message).toContain("expired");
  } finally {
    await publish(original, "e2e: restore the approval window");
  }
  const restored = await (await admin.request.get("/api/v1/admin/policy")).json();
  expect(restored.version.document.tools.refund_payment.approval.expires_in_s).toBe(original.tools.refund_payment.approval.expires_in_s);
});

test("a reviewer clears a flood: Reject matching… previews, needs a reason, rejects what was counted and leaves what arrived later", async ({ browser }) => {
  test.setTimeout(90_000);
  const ops = createGovernor({ url: BASE, token: E2E_OPS_TOKEN, agent: "ops-bot", timeoutMs: 5000 });
  try {
    const session = uniqueSession("flood");
    const flood: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await ops.decide({ tenant: "globex", session, tool: "drop_table", idempotencyKey: `${session}-${i}` });
      expect(d.decision).toBe("pending");
      flood.push(d.approvalId!);
    }
    const [page] = await reviewers(browser, ["reviewer1"]);
    await page!.goto("/approvals?agent=ops-bot&tool=drop_table&tenant=globex");
    await expect(page!.getByTestId("approval-row")).toHaveCount(5);
    await page!.getByTestId("bulk-reject-open").click();
    const dialog = page!.getByTestId("bulk-reject-dialog");
    await expect(dialog).toContainText("Pending requests for agent ops-bot, tool drop_table, tenant globex that arrived by");
    const confirm = page!.getByRole("button", { name: "Reject 5 requests" });
    await expect(confirm).toBeDisabled();

    // The agent asks again after the reviewer counted: that request is not the reviewer's to reject unseen.
    await new Promise((r) => setTimeout(r, 50));
    const late = await ops.decide({ tenant: "globex", session, tool: "drop_table", idempotencyKey: `${session}-late` });
    expect(late.decision).toBe("pending");

    await page!.getByLabel(/^Reason/).fill("e2e: ops-bot looping on drop_table");
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(page!.getByRole("status").filter({ hasText: "Rejected 5 requests." })).toBeVisible();
    await expect(dialog).toBeHidden();
    await expect(page!.getByTestId("approval-row")).toHaveCount(1);

    for (const id of flood) {
      const res = await page!.request.get(`${BASE}/api/v1/approvals/${id}`, { headers: { authorization: `Bearer ${E2E_OPS_TOKEN}` } });
      expect((await res.json()).status, id).toBe("rejected");
    }
    const stillWaiting = await page!.request.get(`${BASE}/api/v1/approvals/${late.approvalId}`, { headers: { authorization: `Bearer ${E2E_OPS_TOKEN}` } });
    expect((await stillWaiting.json()).status).toBe("pending");
    // Each rejection is in the request's own trail, with the reason.
    await page!.goto(`/approvals/${flood[0]}`);
    await expect(page!.getByText("e2e: ops-bot looping on drop_table")).toBeVisible();

    // Someone who may not vote is not offered the button, and a forged call is refused.
    const viewer = await newClient(browser);
    await login(viewer, "viewer");
    await viewer.goto("/approvals?agent=ops-bot");
    await expect(viewer.getByTestId("approval-row").first()).toBeVisible();
    await expect(viewer.getByTestId("bulk-reject-open")).toHaveCount(0);
    const forged = await viewer.request.post("/api/v1/admin/approvals/bulk-reject", { data: { asOf: new Date().toISOString(), comment: "forged" }, headers: SAME_ORIGIN });
    expect(forged.status()).toBe(403);
  } finally {
    await ops.close();
  }
});

test("an approved action the live policy no longer allows: the request page says so, and the agent's execution is refused", async ({ browser }) => {
  test.setTimeout(60_000);
  const d = await support.decide({ tenant: "acme", session: uniqueSession("tier"), tool: "refund_payment", args: { amount: 11 } });
  expect(d.decision).toBe("pending");
  const waiting = await support.decide({ tenant: "acme", session: uniqueSession("tier-waiting"), tool: "refund_payment", args: { amount: 12 } });
  const [r1, r2] = (await reviewers(browser, ["reviewer1", "reviewer2"])) as [Page, Page];
  for (const page of [r1, r2]) expect((await vote(page, d.approvalId!)).status()).toBe(200);
  const admin = await newClient(browser);
  await login(admin, "admin");
  const original = (await (await admin.request.get("/api/v1/admin/policy")).json()).version.document;
  const publish = async (document: unknown, reason: string) => {
    const res = await admin.request.post("/api/v1/admin/policy/versions", { data: { document, reason }, headers: SAME_ORIGIN });
    expect(res.status(), await res.text()).toBe(201);
  };
  const free = structuredClone(original);
  free.tenants.acme.tier = "free";
  await publish(free, "e2e: acme drops to the free tier");
  try {
    await r1.goto(`/approvals/${d.approvalId}`);
    const note = r1.getByTestId("request-policy-refused");
    await expect(note).toContainText("no longer allows this call");
    await expect(note).toContainText('"refund_payment" is not in tier "free" of tenant "acme"');
    await expect(note).toContainText("This approved action does not run unless the policy allows it again");
    // The queue marks a request still waiting that an approval would not run.
    await r1.goto("/approvals?tool=refund_payment&tenant=acme");
    const row = r1.getByTestId("approval-row").filter({ has: r1.locator(`a[href="/approvals/${waiting.approvalId}"]`) });
    await expect(row.getByTestId("row-policy-refused")).toContainText("refuses: not_allowed");
    await r1.goto(`/approvals/${d.approvalId}`);
    // The agent's SDK asks to run it and is told why not, naming the primitive.
    await expect.poll(async () => (await support.decide({ tenant: "acme", session: uniqueSession("tier-probe"), tool: "refund_payment" })).primitive, { timeout: 10_000 }).toBe("not_allowed");
    const run = await (await newClient(browser)).request.post(`${BASE}/api/v1/approvals/${d.approvalId}/execute`, { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: {} });
    const body = await run.json();
    expect([body.decision, body.primitive]).toEqual(["deny", "not_allowed"]);
  } finally {
    await publish(original, "e2e: acme back on pro");
  }
  // With the policy back, the note goes and the approval is still there to use.
  await r1.reload();
  await expect(r1.getByTestId("request-outcome")).toContainText("the agent has not run it yet");
  await expect(r1.getByTestId("request-policy-refused")).toHaveCount(0);
  // (Asked until the data plane has the restored version: a refusal leaves the approval unused.)
  const agent = await newClient(browser);
  await expect.poll(async () => (await (await agent.request.post(`${BASE}/api/v1/approvals/${d.approvalId}/execute`, { headers: { authorization: `Bearer ${E2E_SUPPORT_TOKEN}` }, data: {} })).json()).decision, { timeout: 10_000 }).toBe("allow");
});

test("during a stop, the queue marks the rows it covers and the request page tells reviewers an approval will not run until it is lifted", async ({ browser }) => {
  const d = await support.decide({ tenant: "acme", session: uniqueSession("stopped"), tool: "refund_payment", args: { amount: 9 } });
  expect(d.decision).toBe("pending");
  const oncall = await newClient(browser);
  await login(oncall, "oncall");
  const flip = (active: boolean) => oncall.request.post("/api/v1/admin/controls", { data: { control: "agent_kill", target: "support-bot", active, reason: "e2e INC-77" }, headers: SAME_ORIGIN });
  expect((await flip(true)).status()).toBe(200);
  try {
    const [page] = await reviewers(browser, ["reviewer1"]);
    await page!.goto("/approvals?agent=support-bot&tool=refund_payment");
    await expect(page!.getByTestId("row-stopped").first()).toContainText("Agent stopped: support-bot");
    await page!.goto(`/approvals/${d.approvalId}`);
    await expect(page!.getByTestId("request-stopped")).toContainText("Agent stopped: support-bot");
    await expect(page!.getByTestId("request-stopped")).toContainText("If approved, this action does not run while the stop holds");
    await expect(page!.getByTestId("request-stopped")).toContainText("e2e INC-77");
    expect((await flip(false)).status()).toBe(200);
    await expect(page!.getByTestId("request-stopped")).toHaveCount(0);
  } finally {
    await flip(false);
  }
});
