import { z } from "zod";
import type { Snapshot } from "@/lib/policy/compile";
import { evaluate, type DecisionRequest } from "@/lib/policy/evaluate";
import { GovernorApiError } from "@/lib/sdk/errors";
import { requestJson, type HttpOptions } from "@/lib/sdk/http";
import type { Decision, OutcomeInput } from "@/lib/sdk/types";

export type FailsafeCategory = "security_critical" | "operational";

export interface FailsafeReport {
  decisionId: string;
  at: string;
  request: DecisionRequest;
  decision: "allow" | "deny";
  failsafe: FailsafeCategory;
  error?: string;
}

/**
 * What the SDK decides alone when Governor cannot answer: security-critical tools are denied,
 * operational tools allowed, by the tool's `failsafe` field in the last snapshot. A tool the
 * snapshot does not know, or no snapshot at all, counts as security-critical.
 *
 * One refinement over the category rule: an operational tool is still denied when the last
 * snapshot's stateless checks already refuse it or send it to approval. An outage must not
 * lift a kill switch an operator set before it, nor skip a required approval.
 */
export function failsafeDecision(req: DecisionRequest, snap: Snapshot | null, error: string): { decision: Decision; report: FailsafeReport } {
  const category: FailsafeCategory = snap?.tools.get(req.tool)?.failsafe ?? "security_critical";
  const local = snap && category === "operational" ? evaluate(req, snap, { now: Date.now(), cohort: "stable" }) : null;
  const allow = category === "operational" && local?.decision === "allow";
  const why =
    category === "security_critical"
      ? `"${req.tool}" is ${snap?.tools.has(req.tool) ? "security-critical" : "unknown to the last policy snapshot"}, so it is denied`
      : allow
        ? `"${req.tool}" is operational, so it is allowed`
        : `"${req.tool}" is operational, but the last policy snapshot refuses it (${local?.primitive}), so it is denied`;
  const decision: Decision = {
    decision: allow ? "allow" : "deny",
    decisionId: crypto.randomUUID(),
    policyVersion: snap?.policyVersion ?? 0,
    generation: snap?.generation ?? 0,
    cohort: "stable",
    enforced: true,
    primitive: "failsafe",
    reasons: [{ primitive: "failsafe", message: `Governor is unreachable (${error}); ${why}`, value: category }],
    failsafe: true,
  };
  const report = { decisionId: decision.decisionId, at: new Date().toISOString(), request: req, decision: decision.decision as "allow" | "deny", failsafe: category, error: error.slice(0, 500) };
  return { decision, report };
}

const MAX_QUEUED = 10_000;
const BATCH = 500;
const Recorded = z.object({ recorded: z.number().int() });

/**
 * Failsafe decisions wait here until Governor answers again, then go to
 * POST /api/v1/failsafe-reports so the audit log has them. The queue is bounded: past 10 000
 * the oldest are dropped and counted, so a long outage cannot exhaust the agent's memory.
 */
export class FailsafeQueue {
  private entries: FailsafeReport[] = [];
  private held = new Map<string, OutcomeInput>();
  private sending: Promise<void> | null = null;
  dropped = 0;

  constructor(private readonly opts: { http: HttpOptions; timeoutMs: number; sendOutcome: (o: OutcomeInput) => Promise<void> }) {}

  get size(): number {
    return this.entries.length;
  }

  push(report: FailsafeReport): void {
    this.entries.push(report);
    if (this.entries.length > MAX_QUEUED) {
      const gone = this.entries.shift()!;
      this.held.delete(gone.decisionId);
      this.dropped += 1;
    }
  }

  /** Holds the outcome of a queued decision until the decision itself is reported. */
  holdOutcome(o: OutcomeInput): boolean {
    if (!this.entries.some((e) => e.decisionId === o.decisionId)) return false;
    this.held.set(o.decisionId, o);
    return true;
  }

  flush(): Promise<void> {
    if (!this.sending && this.entries.length > 0) this.sending = this.send().finally(() => (this.sending = null));
    return this.sending ?? Promise.resolve();
  }

  private async send(): Promise<void> {
    while (this.entries.length > 0) {
      const batch = this.entries.slice(0, BATCH);
      try {
        await requestJson(this.opts.http, "/api/v1/failsafe-reports", { method: "POST", body: { decisions: batch }, timeoutMs: this.opts.timeoutMs, schema: Recorded });
      } catch (err) {
        // A 4xx will never be accepted (say, a request the server's schema refuses): drop it
        // rather than block every later report. Anything else: Governor is gone again; keep.
        if (!(err instanceof GovernorApiError)) return;
      }
      // By identity, not position: overflow may have shifted the queue while this was in flight.
      const sent = new Set(batch);
      this.entries = this.entries.filter((e) => !sent.has(e));
      for (const e of batch) {
        const outcome = this.held.get(e.decisionId);
        this.held.delete(e.decisionId);
        if (outcome) await this.opts.sendOutcome(outcome);
      }
    }
  }
}
