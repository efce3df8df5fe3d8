// How the queue orders pending requests: riskiest first, then the one that has waited longest.
// Pure, so the scoring can be read and tested without a browser.
//
// Points, added up:
//   tool kind     destructive or schema 4 · write or send 2 · read 0 · unknown to the policy 3
//   blast radius  declared / bound × 3, at most 3 (no bound: declared × 3); not declared 1
//   source        zone crossing 2 · approval rule 1 · approval-all mode 0 (a blanket switch,
//                 mostly routine calls)
//   reversal      no reversal plan 1
//   urgency       expires within 5 min 2 · within 15 min 1
// Level: 6 and above high, 4 and above medium, otherwise low. A destructive or schema tool
// with no reversal plan is high on those two alone.
import type { ActionRequest, PolicyTool } from "@/components/approvals/types";

export type RiskLevel = "high" | "medium" | "low";
export interface Risk {
  score: number;
  level: RiskLevel;
  /** Why, in words, so the number is never the only thing a reviewer sees. */
  reasons: string[];
}

const KIND_POINTS: Record<string, number> = { destructive: 4, schema: 4, write: 2, send: 2, read: 0 };
const SOURCE_POINTS: Record<string, number> = { network_boundary: 2, rule: 1, approval_all: 0 };
const MINUTE = 60_000;

type Scored = Pick<ActionRequest, "tool" | "blastRadius" | "source" | "reversal" | "expiresAt">;

export function riskOf(r: Scored, tool: PolicyTool | undefined, now = Date.now()): Risk {
  const reasons: string[] = [];
  let score = 0;

  const kindPoints = tool ? (KIND_POINTS[tool.kind] ?? 3) : 3;
  score += kindPoints;
  if (!tool) reasons.push("tool not in the live policy");
  else if (kindPoints >= 2) reasons.push(`${tool.kind} tool`);

  const bound = tool?.blast_radius?.max;
  if (r.blastRadius === null || r.blastRadius === undefined) {
    score += 1;
    reasons.push("blast radius not declared");
  } else {
    const share = bound ? r.blastRadius / bound : r.blastRadius;
    score += Math.min(3, share * 3);
    if (bound && share >= 0.8) reasons.push(`blast radius at ${Math.round(share * 100)}% of its bound`);
    else if (!bound && r.blastRadius >= 0.1) reasons.push(`blast radius ${(r.blastRadius * 100).toFixed(1)}% with no bound`);
  }

  score += SOURCE_POINTS[r.source] ?? 1;
  if (r.source === "network_boundary") reasons.push("crosses trust zones");

  if (!r.reversal) {
    score += 1;
    reasons.push("no reversal plan");
  }

  const left = Date.parse(r.expiresAt) - now;
  if (left <= 5 * MINUTE) {
    score += 2;
    reasons.push("expires within 5 min");
  } else if (left <= 15 * MINUTE) {
    score += 1;
    reasons.push("expires within 15 min");
  }

  const rounded = Math.round(score * 10) / 10;
  return { score: rounded, level: rounded >= 6 ? "high" : rounded >= 4 ? "medium" : "low", reasons };
}

/**
 * Riskiest first; equal risk, oldest first (it has waited longest). Requests the live policy
 * refuses go after all the others, whatever their risk: approving them runs nothing.
 */
export function byRiskThenAge<T extends Scored & Pick<ActionRequest, "createdAt" | "livePolicy">>(rows: T[], tools: Record<string, PolicyTool>, now = Date.now()) {
  const refused = (r: T) => (r.livePolicy && !r.livePolicy.allows ? 1 : 0);
  return rows
    .map((r) => ({ request: r, risk: riskOf(r, tools[r.tool], now) }))
    .sort((a, b) => refused(a.request) - refused(b.request) || b.risk.score - a.risk.score || Date.parse(a.request.createdAt) - Date.parse(b.request.createdAt));
}
