import { z } from "zod";
import type { Db } from "@/lib/db/client";

export const ActivityQuery = z.object({
  minutes: z.coerce.number().int().min(1, "must be at least 1").max(1440, "must be at most 1440 (one day)").default(15),
  /** Only this agent's decisions (the agent page); served by the (agentId, at) index. */
  agent: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters").optional(),
});
export type ActivityQuery = z.output<typeof ActivityQuery>;

export interface ActivityBucket {
  /** Start of the bucket, ISO 8601. */
  at: string;
  allow: number;
  deny: number;
  pending: number;
}

export interface Activity {
  bucketSeconds: number;
  from: string;
  to: string;
  buckets: ActivityBucket[];
  totals: { allow: number; deny: number; pending: number; failsafe: number };
  /** What refused most: the primitive that decided each deny. */
  denyPrimitives: { primitive: string; count: number }[];
  deniedTools: { tool: string; count: number }[];
}

// About 60 points whatever the range, so the chart stays legible from 15 minutes to a day.
function bucketSecondsFor(minutes: number): number {
  const wanted = (minutes * 60) / 60;
  return [10, 15, 30, 60, 120, 300, 600, 900, 1800].find((s) => s >= wanted) ?? 1800;
}

/**
 * Decision traffic over the last `minutes`, for the overview chart: counts per verdict per bucket
 * (empty buckets filled in, so the chart shows quiet periods as zero rather than skipping them),
 * and what refused most. Served by the (at) index on DecisionLog, or (agentId, at) for one agent.
 */
export async function decisionActivity(db: Db, q: ActivityQuery, now = new Date()): Promise<Activity> {
  const step = bucketSecondsFor(q.minutes);
  const to = new Date(Math.ceil(now.getTime() / (step * 1000)) * step * 1000);
  const from = new Date(to.getTime() - Math.ceil((q.minutes * 60) / step) * step * 1000);
  // $1, $2 the range, $3 the agent when there is one (a parameter, never spliced in). Two texts
  // rather than "$3 IS NULL OR …", so the planner can use the (agentId, at) index for one agent.
  const inRange = q.agent ? `"at" >= $1 AND "at" < $2 AND "agentId" = $3` : `"at" >= $1 AND "at" < $2`;
  const params: unknown[] = q.agent ? [from, to, q.agent] : [from, to];
  const rows = await db.$queryRawUnsafe<{ b: number; decision: string; n: number }[]>(
    `SELECT floor(extract(epoch FROM "at") / $${params.length + 1})::int AS b, "decision", count(*)::int AS n
       FROM "DecisionLog" WHERE ${inRange} GROUP BY 1, 2`,
    ...params,
    step,
  );
  const byBucket = new Map<number, ActivityBucket>();
  for (let t = from.getTime(); t < to.getTime(); t += step * 1000) {
    byBucket.set(Math.floor(t / 1000 / step), { at: new Date(t).toISOString(), allow: 0, deny: 0, pending: 0 });
  }
  const totals = { allow: 0, deny: 0, pending: 0, failsafe: 0 };
  for (const r of rows) {
    const bucket = byBucket.get(r.b);
    if (!bucket || !(r.decision === "allow" || r.decision === "deny" || r.decision === "pending")) continue;
    bucket[r.decision] += r.n;
    totals[r.decision] += r.n;
  }
  const [primitives, tools, failsafe] = await Promise.all([
    db.$queryRawUnsafe<{ primitive: string; count: number }[]>(
      `SELECT coalesce("primitive", 'none') AS primitive, count(*)::int AS count FROM "DecisionLog"
        WHERE ${inRange} AND "decision" = 'deny' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
      ...params,
    ),
    db.$queryRawUnsafe<{ tool: string; count: number }[]>(
      `SELECT "tool", count(*)::int AS count FROM "DecisionLog"
        WHERE ${inRange} AND "decision" = 'deny' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
      ...params,
    ),
    db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "DecisionLog" WHERE ${inRange} AND "failsafe"`, ...params),
  ]);
  totals.failsafe = failsafe[0]?.n ?? 0;
  return {
    bucketSeconds: step,
    from: from.toISOString(),
    to: to.toISOString(),
    buckets: [...byBucket.values()],
    totals,
    denyPrimitives: primitives,
    deniedTools: tools,
  };
}
