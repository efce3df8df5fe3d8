import type { Snapshot } from "@/lib/policy/compile";
import { evaluate, type DecisionRequest, type Evaluation, type Reason } from "@/lib/policy/evaluate";
import type { FailsafeCategory } from "@/lib/sdk/failsafe";

export const APPROVAL_UNAVAILABLE = "approval_unavailable";

export interface FailsafeVerdict {
  decision: "allow" | "deny";
  category: FailsafeCategory;
  reasons: Reason[];
}

/**
 * The server's answer while its enforcement circuit is open, by the same rule as the SDK's
 * failsafe (lib/sdk/failsafe.ts), so "failsafe" means one thing in the decision log whoever
 * decided: security-critical tools (and tools the snapshot does not know) are denied; operational
 * tools are allowed unless the snapshot's stateless checks already refuse the call or send it to
 * approval, so an open circuit never lifts a kill switch nor skips an approval. If even those
 * checks throw, the call is denied.
 */
export function failsafeVerdict(req: DecisionRequest, snap: Snapshot, why: string, now: number): FailsafeVerdict {
  const category: FailsafeCategory = snap.tools.get(req.tool)?.failsafe ?? "security_critical";
  let refusal: string | null = null;
  if (category === "operational") {
    try {
      const local = evaluate(req, snap, { now, cohort: "stable" });
      if (local.decision !== "allow") refusal = local.primitive ?? local.decision;
    } catch (err) {
      refusal = `the policy check failed: ${(err as Error).message}`;
    }
  }
  const allow = category === "operational" && refusal === null;
  const what =
    category === "security_critical"
      ? `"${req.tool}" is ${snap.tools.has(req.tool) ? "security-critical" : "unknown to the policy snapshot"}, so it is denied`
      : allow
        ? `"${req.tool}" is operational, so it is allowed and marked for audit`
        : `"${req.tool}" is operational, but the policy snapshot refuses it (${refusal}), so it is denied`;
  return { decision: allow ? "allow" : "deny", category, reasons: [{ primitive: "failsafe", message: `${why}; ${what}`, value: category }] };
}

/**
 * A pending verdict while the store is unreachable: the approval request cannot be opened (it and
 * its votes live in the database), and running the call unapproved would skip a quorum gate, so
 * it is denied, whatever the tool's failsafe category, naming why; the agent may ask again later.
 */
export function approvalUnavailable(ev: Evaluation): Evaluation {
  const needed = ev.reasons[0]?.message ?? "this call needs approval";
  return {
    ...ev,
    decision: "deny",
    primitive: APPROVAL_UNAVAILABLE,
    reasons: [{ primitive: APPROVAL_UNAVAILABLE, message: `${needed}, but approval requests cannot be opened while the database is unreachable; denied rather than run unapproved. Ask again once it is back.`, value: ev.primitive, bound: ev.approval?.quorum ?? null }],
    approval: undefined,
    limits: [],
  };
}
