import type { Evaluation } from "@/lib/policy/evaluate";

/**
 * For an advisory agent's non-binding verdict: what reviewers are asked to decide. A pending
 * keeps its own approval rule; a deny opens a request with source `advisory` (one approval, any
 * reviewer), so the humans' approve or reject is on record next to the policy's verdict. The
 * agent is not held back by either (lib/calibration compares the two).
 */
export function advisoryReview(ev: Evaluation): Evaluation {
  if (ev.decision !== "deny") return ev;
  return { ...ev, approval: { quorum: 1, group: "", expires_in_s: 3600, reject_threshold: 1, source: "advisory" } };
}
