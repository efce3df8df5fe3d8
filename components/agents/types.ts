import type { LiveAccess } from "@/lib/agents/live-access";
import type { RecentActivity } from "@/lib/agents/recent";

export type { RecentActivity };

export type Stage = "advisory" | "enforced";
export interface VerdictCounts {
  run: number;
  stop: number;
  undecided: number;
}
export interface Agreement {
  agent?: string;
  decisions: number;
  decided: number;
  agreed: number;
  disagreed: number;
  agreementRate: number | null;
  byVerdict: { allow: VerdictCounts; deny: VerdictCounts; pending: VerdictCounts };
}
export interface ErrorSummary {
  n: number;
  meanAbsoluteError: number | null;
  bias: number | null;
  underPredicted: number | null;
}
export interface AgentDetail {
  agent: { id: string; name: string; description: string; stage: Stage; createdAt: string };
  agreement: Agreement | null;
  blast: ErrorSummary;
  history: { at: string; by: string; from: string | null; to: string | null; reason: string | null }[];
  access: LiveAccess;
  recent: RecentActivity;
  approvals: { waiting: number; waitingCapped: boolean };
}

export interface AgentRow {
  id: string;
  name: string;
  description: string;
  stage: Stage;
  recent: RecentActivity;
}

export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(digits)}%`);
