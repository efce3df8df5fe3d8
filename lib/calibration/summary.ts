// Pure figures for the calibration page; lib/calibration/figures.ts feeds them from the store.

export interface BlastPoint {
  predicted: number;
  observed: number;
}

/**
 * Error of predicted against observed blast radius. `bias` is mean(predicted − observed):
 * negative means the model under-predicts. `underPredicted` is the share of actions whose
 * observed blast radius was larger than predicted: the dangerous direction.
 */
export function errorSummary(points: readonly BlastPoint[]) {
  const n = points.length;
  if (n === 0) return { n, meanAbsoluteError: null, bias: null, underPredicted: null };
  let abs = 0;
  let signed = 0;
  let under = 0;
  for (const p of points) {
    const e = p.predicted - p.observed;
    abs += Math.abs(e);
    signed += e;
    if (e < -1e-9) under += 1;
  }
  return { n, meanAbsoluteError: abs / n, bias: signed / n, underPredicted: under / n };
}

export type Verdict = "allow" | "deny" | "pending";
export type Human = "run" | "stop" | "undecided";

/**
 * What humans decided about one advisory decision:
 * - deny or pending: the reviewers' approve (run) or reject (stop) of the approval request the
 *   advisory decision opened; still pending or expired = undecided;
 * - allow: the agent's outcome report; `rolled_back` is a human reversal (stop), any other
 *   outcome means the action stood (run); no report yet = undecided.
 */
export function humanDecision(verdict: Verdict, request: string | undefined, outcomes: readonly string[]): Human {
  if (verdict === "allow") return outcomes.length === 0 ? "undecided" : outcomes.includes("rolled_back") ? "stop" : "run";
  return request === "approved" ? "run" : request === "rejected" ? "stop" : "undecided";
}

/**
 * Agreement between the policy's verdict and the humans. Allow matches run; deny matches stop.
 * A pending verdict hands the call to humans by design, so it is reported (approved / rejected)
 * but not counted as agreement or disagreement.
 */
export function agreementSummary(rows: readonly { verdict: Verdict; human: Human }[]) {
  const byVerdict = { allow: { run: 0, stop: 0, undecided: 0 }, deny: { run: 0, stop: 0, undecided: 0 }, pending: { run: 0, stop: 0, undecided: 0 } };
  for (const r of rows) byVerdict[r.verdict][r.human] += 1;
  const agreed = byVerdict.allow.run + byVerdict.deny.stop;
  const disagreed = byVerdict.allow.stop + byVerdict.deny.run;
  const decided = agreed + disagreed;
  return { decisions: rows.length, decided, agreed, disagreed, agreementRate: decided ? agreed / decided : null, byVerdict };
}
