// The bad-canary scenario of `npm run simulate`: releases a change set that makes the candidate
// deny more (it takes tools away from support-bot) as a canary rollout with short stages, then
// the traffic loop reports failures far more often for decisions answered on the canary. The
// evaluator must roll it back; this prints what it saw. Admin calls use a personal token.
import type { Decision } from "@/lib/sdk";

export interface Scenario {
  /** Outcome to report for an allowed call. */
  outcomeFor(d: Decision): "success" | "failure";
  /** Called every second while traffic runs; returns true when the scenario is over. */
  tick(elapsedSec: number): Promise<boolean>;
  /** Prints the verdict; returns the process exit code. */
  finish(): Promise<number>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- admin answers are read loosely
type Json = Record<string, any>;

function adminApi(url: string, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = (await res.json().catch(() => ({}))) as Json;
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${data?.error?.message ?? res.statusText}`);
    return data;
  };
}

/** Creates (or, if one is already active, attaches to) the bad canary rollout. */
export async function badCanary(url: string, token: string | undefined, log: (s: string) => void): Promise<Scenario> {
  const seen = { canary: 0, stable: 0, lastCanaryAt: 0 };
  const outcomeFor = (d: Decision) => {
    seen[d.cohort] += 1;
    if (d.cohort === "canary") seen.lastCanaryAt = Date.now();
    // Control fails 5% of the time, the canary 45%: task completion drops well below 90%.
    return Math.random() < (d.cohort === "canary" ? 0.45 : 0.05) ? "failure" : "success";
  };
  if (!token) {
    log("bad-canary: no --token / GOVERNOR_TOKEN, so no rollout is started; driving traffic for the rollout already active and watching the cohorts.");
    let rolledBackAt = 0;
    return {
      outcomeFor,
      tick: async () => {
        if (seen.canary > 0 && !rolledBackAt && Date.now() - seen.lastCanaryAt > 3000) {
          rolledBackAt = Date.now();
          log("bad-canary: no decision has been answered on the canary for 3 s: the rollout ended (rolled back, or ended by hand).");
        }
        return rolledBackAt > 0 && Date.now() - rolledBackAt > 3000;
      },
      finish: async () => {
        log(`bad-canary: ${seen.canary} allowed calls answered on the canary, ${seen.stable} on stable.`);
        return rolledBackAt ? 0 : 1;
      },
    };
  }
  const api = adminApi(url, token);
  let rollout = (await api("GET", "/api/v1/admin/rollouts")).activeId as string | null;
  if (rollout) log(`bad-canary: attaching to the active rollout ${rollout}.`);
  else {
    const policy = await api("GET", "/api/v1/admin/policy");
    const allowed = (policy.version?.document?.agents?.["support-bot"]?.allowed_tools ?? []) as string[];
    const keep = allowed.filter((t) => t !== "send_email" && t !== "refund_payment");
    if (keep.length === allowed.length) throw new Error("bad-canary: support-bot has neither send_email nor refund_payment to take away; reset the demo (npm run db:seed -- --reset).");
    const cs = await api("POST", "/api/v1/admin/changesets", { baseVersion: policy.head, reason: "bad-canary simulation: support-bot loses send_email and refund_payment", ops: [{ op: "set", key: "agents.support-bot.allowed_tools", value: keep }] });
    const started = await api("POST", "/api/v1/admin/rollouts", {
      changeSetId: cs.id,
      strategy: "canary",
      stages: [{ percent: 30, minDurationSec: 120 }, { percent: 60, minDurationSec: 120 }, { percent: 100 }],
      // Seconds instead of the production 10 minutes, so the deny-rate trigger may fire too.
      triggers: { minRuntimeSec: 15, windowSec: 60, minCanaryDecisions: 50, minOutcomes: 30 },
      reason: "bad-canary simulation",
    });
    rollout = started.id as string;
    log(`bad-canary: released change set ${cs.id} as rollout ${rollout}: version ${policy.head} → ${started.candidateVersion}, 30% of sessions on the candidate.`);
  }
  const t0 = Date.now();
  let ended: Json | null = null;
  let endedAt = 0;
  return {
    outcomeFor,
    tick: async (elapsed) => {
      if (ended) return Date.now() - endedAt > 3000;
      const detail = await api("GET", `/api/v1/admin/rollouts/${rollout}`);
      if (detail.status === "running" || detail.status === "paused") {
        if (Math.floor(elapsed) % 5 === 0) {
          const m = await api("GET", `/api/v1/admin/rollouts/${rollout}/metrics?minutes=5`);
          const c = m.totals.canary;
          const s = m.totals.stable;
          const rate = (x: number, n: number) => (n ? `${((x / n) * 100).toFixed(1)}%` : "—");
          log(`bad-canary: [${detail.status}] canary deny ${rate(c.denies, c.decisions)} vs ${rate(s.denies, s.decisions)}, completion ${rate(c.outcomes.success, c.outcomes.success + c.outcomes.failure)} vs ${rate(s.outcomes.success, s.outcomes.success + s.outcomes.failure)}`);
        }
        return false;
      }
      ended = detail;
      endedAt = Date.now();
      return false;
    },
    finish: async () => {
      if (!ended) {
        log(`bad-canary: the rollout ${rollout} is still active after the run; automatic rollback did NOT fire.`);
        return 1;
      }
      const ev = (ended.events as Json[]).find((e) => e.kind === "rollback" || e.kind === "abort" || e.kind === "promote");
      log(`bad-canary: rollout ${rollout} ${ended.status} ${((Date.parse(ended.endedAt) - t0) / 1000).toFixed(1)} s after the scenario started${ev?.automatic ? " (automatic)" : ""}.`);
      if (ev) log(`  reason: ${ev.reason}\n  metric: ${ev.detail.metric}  value: ${ev.detail.value}  threshold: ${ev.detail.threshold}  window: ${ev.detail.window}`);
      log(`  decisions after the rollback are on the baseline again; ${seen.canary} allowed calls had been answered on the canary.`);
      return ended.status === "rolled_back" ? 0 : 1;
    },
  };
}
