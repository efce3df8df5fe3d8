import type { Tx } from "@/lib/db/client";
import type { DataPlane } from "@/lib/dataplane/runtime";
import type { SnapshotSource } from "@/lib/dataplane/snapshot-holder";
import { compile, type Snapshot } from "@/lib/policy/compile";
import { PolicyDocument } from "@/lib/policy/document";
import { evaluate, type Cohort, type DecisionRequest, type Evaluation } from "@/lib/policy/evaluate";
import { cohortFor, shareBp } from "@/lib/rollouts/hash";
import type { StageT } from "@/lib/rollouts/schemas";

/** The active rollout as the snapshot endpoint publishes it (`SnapshotSource.rollout`). */
export interface RolloutSource {
  id: string;
  percent: number;
  candidateVersion: number;
  startedAt: string;
  document: PolicyDocument;
}

/** The candidate compiled for the data plane, beside the stable snapshot. */
export interface CanaryRoute {
  id: string;
  percent: number;
  startedAtMs: number;
  snapshot: Snapshot;
}

/** Reads the active rollout inside the snapshot loader's transaction (same consistent picture). */
export async function activeRolloutSource(tx: Tx): Promise<RolloutSource | undefined> {
  const r = await tx.rollout.findUnique({ where: { activeSlot: 1 } });
  if (!r) return undefined;
  const version = await tx.policyVersion.findUnique({ where: { number: r.candidateVersion } });
  if (!version) return undefined;
  const stage = (r.stages as StageT[])[r.currentStage];
  return { id: r.id, percent: stage?.percent ?? 0, candidateVersion: r.candidateVersion, startedAt: r.startedAt.toISOString(), document: PolicyDocument.parse(version.document) };
}

/**
 * Compiles the candidate with the SAME overlay (controls, grants) and generation as the stable
 * snapshot, so a kill switch or read-only mode applies to both cohorts alike.
 */
export function compileCanary(source: SnapshotSource): CanaryRoute | null {
  const r = source.rollout;
  if (!r) return null;
  return { id: r.id, percent: r.percent, startedAtMs: Date.parse(r.startedAt), snapshot: compile(r.document, source.overlay, { policyVersion: r.candidateVersion, generation: source.generation }) };
}

export interface Routed {
  snapshot: Snapshot;
  cohort: Cohort;
  rolloutId: string | null;
  /** The active stage's share in basis points (0 without a rollout): which stage routed it. */
  shareBp: number;
}

/** Picks the session's cohort and its snapshot; without an active rollout everyone is stable. */
export function route(dp: DataPlane, session: string): Routed {
  return routeSession(dp.holder.current, dp.holder.canary, session);
}

/** route() over given snapshots (the console's compile of the committed state, say). */
export function routeSession(stable: Snapshot, canary: CanaryRoute | null | undefined, session: string): Routed {
  if (!canary) return { snapshot: stable, cohort: "stable", rolloutId: null, shareBp: 0 };
  const bp = shareBp(canary.percent);
  return cohortFor(canary.id, session, canary.percent) === "canary"
    ? { snapshot: canary.snapshot, cohort: "canary", rolloutId: canary.id, shareBp: bp }
    : { snapshot: stable, cohort: "stable", rolloutId: canary.id, shareBp: bp };
}

/**
 * evaluate() on the routed snapshot. During a rollout a throw is counted as an evaluation error
 * (it feeds the error-rate trigger) and answered from the tool's failsafe category, as the SDK
 * answers when Governor is unreachable. Outside a rollout a throw stays a bug and propagates.
 */
export function evaluateRouted(r: Routed, req: DecisionRequest, now: number): { ev: Evaluation; error: boolean } {
  try {
    return { ev: evaluate(req, r.snapshot, { now, cohort: r.cohort }), error: false };
  } catch (err) {
    if (!r.rolloutId) throw err;
    let failsafe: Evaluation["failsafe"] = "security_critical";
    try {
      failsafe = r.snapshot.tools.get(req.tool)?.failsafe ?? "security_critical";
    } catch {
      // A snapshot too broken to read its registry fails closed.
    }
    const decision = failsafe === "operational" ? "allow" : "deny";
    return {
      error: true,
      ev: {
        decision,
        primitive: "failsafe",
        reasons: [{ primitive: "failsafe", message: `The ${r.cohort} policy (version ${r.snapshot.policyVersion}) failed to evaluate (${(err as Error).message}); "${req.tool}" is ${failsafe}, so it is ${decision === "allow" ? "allowed" : "denied"}`, value: failsafe, bound: decision }],
        policyVersion: r.snapshot.policyVersion,
        generation: r.snapshot.generation,
        cohort: r.cohort,
        limits: [],
        failsafe,
      },
    };
  }
}

/**
 * The rollout cohort an outcome report belongs to: from this instance's memory of recent routed
 * decisions, else (another instance decided it, or it was long ago) from the decision log row,
 * counted for the active rollout when the decision came after the rollout started.
 */
export async function routedOutcome(dp: DataPlane, decisionId: string): Promise<{ rolloutId: string; cohort: Cohort } | undefined> {
  const hit = dp.metrics.routedDecision(decisionId);
  if (hit) return hit;
  const canary = dp.holder.canary;
  if (!canary) return undefined;
  const row = await dp.store.prisma.decisionLog.findUnique({ where: { id: decisionId }, select: { cohort: true, at: true } });
  if (!row || row.at.getTime() < canary.startedAtMs || (row.cohort !== "stable" && row.cohort !== "canary")) return undefined;
  return { rolloutId: canary.id, cohort: row.cohort };
}
