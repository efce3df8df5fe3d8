import { countWaiting } from "@/lib/approvals/requests";
import type { Db } from "@/lib/db/client";
import { readGeneration } from "@/lib/db/generation";
import type { StageT } from "@/lib/rollouts/schemas";

/** An ended rollout stays on the overview this long, so "rolled back 10 min ago" is seen. */
export const RECENT_ROLLOUT_MS = 24 * 3600_000;

export interface Glance {
  generation: number;
  /** The version stable traffic uses; null before the first publish. */
  policy: { version: number; author: string; reason: string | null; at: string } | null;
  /** The running or paused rollout, else the newest one that ended in the last 24 h. */
  rollout: { id: string; strategy: string; status: string; percent: number; candidateVersion: number; baselineVersion: number; at: string; endReason: string | null } | null;
  approvals: { waiting: number; waitingCapped: boolean; expiresFirstAt: string | null };
  changeSets: { awaitingReview: number };
}

/**
 * The overview's tiles: what is live, what is changing and what waits for a person, in a few
 * indexed reads, polled by every open overview.
 */
export async function glance(db: Db, now = new Date()): Promise<Glance> {
  const pending = { status: "pending", expiresAt: { gt: now } };
  const [generation, head, active, ended, waiting, first, awaitingReview] = await Promise.all([
    readGeneration(db),
    db.policyHead.findUnique({ where: { id: 1 } }),
    db.rollout.findUnique({ where: { activeSlot: 1 } }),
    db.rollout.findFirst({ where: { activeSlot: null, endedAt: { gte: new Date(now.getTime() - RECENT_ROLLOUT_MS) } }, orderBy: { startedAt: "desc" } }),
    countWaiting(db, pending),
    db.actionRequest.findFirst({ where: pending, orderBy: { expiresAt: "asc" }, select: { expiresAt: true } }),
    db.changeSet.count({ where: { status: "pending_approval" } }),
  ]);
  const version = head ? await db.policyVersion.findUnique({ where: { number: head.version }, select: { number: true, author: true, reason: true, createdAt: true } }) : null;
  const r = active ?? ended;
  return {
    generation,
    policy: version && { version: version.number, author: version.author, reason: version.reason, at: version.createdAt.toISOString() },
    rollout: r && {
      id: r.id,
      strategy: r.strategy,
      status: r.status,
      percent: (r.stages as StageT[])[r.currentStage]?.percent ?? 0,
      candidateVersion: r.candidateVersion,
      baselineVersion: r.baselineVersion,
      at: (r.endedAt ?? r.stageStartedAt).toISOString(),
      endReason: r.endReason,
    },
    approvals: { ...waiting, expiresFirstAt: first?.expiresAt.toISOString() ?? null },
    changeSets: { awaitingReview },
  };
}
