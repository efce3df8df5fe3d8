// The rollout API's JSON as the console reads it (contract of issue #8). Statistics types come
// from the pure module that computes them, so the tiles and the server cannot drift apart.
import type { CohortTotals, Comparison, Srm } from "@/lib/rollouts/compare";

export type { CohortTotals, Comparison, Srm };

export type RolloutStatus = "running" | "paused" | "promoted" | "rolled_back" | "aborted";
export type Strategy = "canary" | "blue_green";
export type Cohort = "stable" | "canary";
export type EventKind = "start" | "advance" | "pause" | "resume" | "promote" | "rollback" | "abort";

export interface StageSpec {
  percent: number;
  minDurationSec: number;
  criteria?: Record<string, number>;
}

export interface Rollout {
  id: string;
  strategy: Strategy;
  status: RolloutStatus;
  candidateVersion: number;
  baselineVersion: number;
  stages: StageSpec[];
  currentStage: number;
  triggers: Record<string, number>;
  createdBy: string;
  reason: string;
  startedAt: string;
  stageStartedAt: string;
  endedAt?: string | null;
  endReason?: string | null;
  changeSetId?: string | null;
}

export interface SeriesPoint {
  minute: string;
  cohort: Cohort;
  decisions: number;
  allows: number;
  denies: number;
  pendings: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  outcomes: { success: number; failure: number; partial: number; rolled_back: number };
}

export interface Criterion {
  name: string;
  threshold: number;
  value: number | null;
  met: boolean;
}

export interface StageProgress {
  index: number;
  percent: number;
  minDurationSec: number;
  status: "done" | "current" | "pending";
  startedAt?: string | null;
  criteria: Criterion[];
}

export interface RolloutEvent {
  at: string;
  kind: EventKind;
  actor: string;
  automatic: boolean;
  reason: string;
  detail?: { metric?: string; value?: number | null; threshold?: number | null; window?: string | number | null; stage?: number; fromStage?: number; toStage?: number; percent?: number } | null;
}

export interface RolloutMetrics {
  rollout: Rollout;
  histogramBoundsMs: number[];
  series: SeriesPoint[];
  totals: { stable: CohortTotals; canary: CohortTotals };
  comparisons: Comparison[];
  srm: Srm;
  stages: StageProgress[];
  events: RolloutEvent[];
}

export type RolloutAction = "pause" | "resume" | "advance" | "promote" | "abort";

export interface StartInput {
  changeSetId?: string;
  candidateVersion?: number;
  strategy: Strategy;
  stages: StageSpec[];
  triggers?: Record<string, number>;
  reason?: string;
}

export const isActive = (s: RolloutStatus) => s === "running" || s === "paused";
