import type { Db } from "@/lib/db/client";
import { shareBp } from "@/lib/rollouts/hash";

/**
 * How many sessions each cohort got at a stage: the router assigns sessions, so the sample-ratio
 * check counts them rather than decisions. Every instance writes a session the first time the
 * stage routes it (RolloutMetrics, as RolloutSession rows keyed by rollout, stage share and
 * session), so a session seen by two instances counts once. A stage is told apart by its share,
 * which rises from stage to stage.
 */
export async function stageSessions(db: Db, rolloutId: string, percent: number): Promise<{ stable: number; canary: number }> {
  const groups = await db.rolloutSession.groupBy({ by: ["cohort"], where: { rolloutId, shareBp: shareBp(percent) }, _count: { _all: true } });
  const count = (cohort: string) => groups.find((g) => g.cohort === cohort)?._count._all ?? 0;
  return { stable: count("stable"), canary: count("canary") };
}
