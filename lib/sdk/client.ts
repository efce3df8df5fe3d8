import { z } from "zod";
import type { Snapshot } from "@/lib/policy/compile";
import { isEnforced } from "@/lib/policy/adoption";
import { evaluate, visibleTools, type Evaluation, type VisibleTool } from "@/lib/policy/evaluate";
import { CircuitBreaker, type BreakerState } from "@/lib/sdk/breaker";
import { waitForApproval } from "@/lib/sdk/approval-wait";
import { DeniedError, GovernorApiError, GovernorUnavailableError } from "@/lib/sdk/errors";
import { FailsafeQueue, failsafeDecision } from "@/lib/sdk/failsafe";
import { requestJson, type HttpOptions } from "@/lib/sdk/http";
import { PolicySync } from "@/lib/sdk/policy-sync";
import { DecisionSchema, ToolsSchema, type DecideInput, type Decision, type GovernorOptions, type OutcomeInput, type OutcomeReport } from "@/lib/sdk/types";

const REPORT_TIMEOUT_MS = 3000;
const CLOSE_WAIT_MS = 2000;
const Recorded = z.object({ recorded: z.literal(true) }).loose();

export interface Governor {
  /** Decides one tool call. Never throws for an outage (answers failsafe); throws GovernorApiError on a 4xx. */
  decide(req: DecideInput): Promise<Decision>;
  /** Runs `fn` only if the call is allowed, then reports its outcome; otherwise throws DeniedError. */
  guard<T>(req: DecideInput, fn: (decision: Decision) => T | Promise<T>): Promise<T>;
  /** The tools this agent may use for a tenant (the presentation layer). */
  visibleTools(q: { tenant: string; session?: string }): Promise<VisibleTool[]>;
  /** Best-effort report of what an allowed call did; never throws. */
  reportOutcome(report: OutcomeReport): Promise<void>;
  /** Resolves once the first policy snapshot is compiled. */
  ready(timeoutMs?: number): Promise<void>;
  /** Waits for outcome and failsafe reports in flight. */
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly generation: number | null;
  readonly policyVersion: number | null;
  readonly snapshot: Snapshot | null;
  readonly breakerState: BreakerState;
  readonly streamConnected: boolean;
  /** Failsafe decisions waiting to be reported. */
  readonly failsafeQueued: number;
}

export function createGovernor(opts: GovernorOptions): Governor {
  for (const key of ["url", "token", "agent"] as const) {
    if (!opts[key]) throw new TypeError(`createGovernor: "${key}" is required`);
  }
  const agent = opts.agent;
  const mode = opts.mode ?? "remote";
  const timeoutMs = opts.timeoutMs ?? 100;
  const approvalWaitMs = opts.approvalWaitMs ?? 0;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const http: HttpOptions = {
    url: opts.url.replace(/\/+$/, ""),
    token: opts.token,
    // Wrapped, because a browser-style fetch throws "Illegal invocation" when called as a method.
    fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    // Governor answered something: report what was decided without it while it was away.
    onReachable: () => {
      if (queue.size > 0) track(queue.flush());
    },
  };
  const sendOutcome = async (o: OutcomeInput) => {
    try {
      await requestJson(http, "/api/v1/outcomes", { method: "POST", body: o, timeoutMs: REPORT_TIMEOUT_MS, schema: Recorded });
    } catch {
      // Outcomes are telemetry; losing one must never break the agent.
    }
  };
  const breaker = new CircuitBreaker(opts.breaker);
  const queue = new FailsafeQueue({ http, timeoutMs: REPORT_TIMEOUT_MS, sendOutcome });
  const sync = new PolicySync({ http, pollIntervalMs: opts.pollIntervalMs ?? 5000 });
  sync.start();

  const failsafe = (req: DecideInput & { agent: string }, error: string): Decision => {
    const { decision, report } = failsafeDecision(req, sync.snapshot, error);
    queue.push(report);
    return decision;
  };

  const remoteDecide = async (req: DecideInput & { agent: string }): Promise<Decision> => {
    if (!breaker.tryAcquire()) return failsafe(req, "circuit breaker open after repeated failures");
    try {
      const d = await requestJson(http, "/api/v1/decide", { method: "POST", body: req, timeoutMs, schema: DecisionSchema });
      breaker.success();
      sync.note(d);
      return d;
    } catch (err) {
      if (err instanceof GovernorApiError) {
        breaker.success(); // it answered, so it is up; the request is what is wrong
        throw err;
      }
      breaker.failure();
      return failsafe(req, (err as Error).message);
    }
  };

  const decide = async (input: DecideInput): Promise<Decision> => {
    const req = { ...input, agent };
    const snap = sync.snapshot;
    // During a rollout the server routes each session to its cohort's version, so ask it.
    if (mode === "local" && snap && !sync.rolloutActive) {
      const ev = evaluate(req, snap, { now: Date.now(), cohort: "stable" });
      const enforced = isEnforced(snap, agent, ev);
      // Rate limits and approvals are stateful, so only the server can finish those; a deny, or
      // an allow that no counter could turn into a deny, is final here. An advisory agent's deny
      // goes to the server, which records it and asks reviewers (so it can be calibrated).
      if ((ev.decision === "deny" && enforced) || (ev.decision === "allow" && ev.limits.length === 0)) return localDecision(ev, enforced);
    }
    return remoteDecide(req);
  };

  const reportOutcome = async ({ decision, ...rest }: OutcomeReport): Promise<void> => {
    // A local decision was never sent to Governor, so it has nothing to attach an outcome to.
    if (decision.local) return;
    const o = { decisionId: decision.decisionId, ...rest };
    if (decision.failsafe && queue.holdOutcome(o)) return;
    await sendOutcome(o);
  };

  const flush = async () => {
    track(queue.flush());
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  return {
    decide,
    async guard(req, fn) {
      let d = await decide(req);
      // Advisory mode: the verdict is reported, not enforced; the call proceeds.
      const advisory = d.decision !== "allow" && d.enforced === false;
      if (advisory) opts.onAdvisory?.(d, req);
      if (!advisory && d.decision === "pending" && d.approvalId && approvalWaitMs > 0) {
        const waited = await waitForApproval(http, d, approvalWaitMs);
        d = waited.decision;
        if (d.decision === "pending") throw new DeniedError({ ...d, decision: "pending", reasons: [{ primitive: "approval", message: `The approval request is ${waited.status.status} (${waited.status.approvals} of ${waited.status.required} approvals).` }] });
      }
      if (d.decision !== "allow" && !advisory) throw new DeniedError({ ...d, decision: d.decision });
      const started = performance.now();
      const done = (outcome: "success" | "failure") => track(reportOutcome({ decision: d, outcome, latencyMs: Math.round(performance.now() - started) }));
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(d);
      } catch (err) {
        done("failure");
        throw err;
      }
      done("success");
      return result;
    },
    async visibleTools({ tenant, session }) {
      if (mode === "local" && sync.snapshot) return visibleTools(sync.snapshot, agent, tenant);
      if (breaker.tryAcquire()) {
        try {
          const qs = new URLSearchParams({ tenant, ...(session ? { session } : {}) });
          const r = await requestJson(http, `/api/v1/tools?${qs}`, { timeoutMs, schema: ToolsSchema });
          breaker.success();
          sync.note(r);
          return r.tools;
        } catch (err) {
          if (err instanceof GovernorApiError) {
            breaker.success();
            throw err;
          }
          breaker.failure();
        }
      }
      // Unreachable: the last snapshot answers the same question the server would.
      if (sync.snapshot) return visibleTools(sync.snapshot, agent, tenant);
      throw new GovernorUnavailableError("Governor is unreachable and no policy snapshot has been received yet");
    },
    reportOutcome: (r) => {
      const p = reportOutcome(r);
      track(p);
      return p;
    },
    ready: (ms = 5000) => sync.ready(ms),
    flush,
    async close() {
      sync.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([flush(), new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    },
    get generation() {
      return sync.generation;
    },
    get policyVersion() {
      return sync.policyVersion;
    },
    get snapshot() {
      return sync.snapshot;
    },
    get breakerState() {
      return breaker.state;
    },
    get streamConnected() {
      return sync.streamConnected;
    },
    get failsafeQueued() {
      return queue.size;
    },
  };
}

/**
 * A decision made in process (mode "local"). It gets a fresh random decisionId so callers can
 * treat every decision alike, and `local: true`, because Governor never saw it: it is not in the
 * decision log and reportOutcome() skips it. Use remote mode where every call must be logged.
 */
function localDecision(ev: Evaluation, enforced: boolean): Decision {
  return {
    decision: ev.decision,
    decisionId: crypto.randomUUID(),
    policyVersion: ev.policyVersion,
    generation: ev.generation,
    cohort: ev.cohort,
    enforced,
    primitive: ev.primitive,
    reasons: ev.reasons,
    local: true,
  };
}
