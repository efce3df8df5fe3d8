import { z } from "zod";

/** Extra conditions a stage must meet before it advances (on top of no trigger firing). */
export const StageCriteria = z
  .object({
    maxDenyRateDelta: z.number().min(0, "must be ≥ 0 (a relative change, 0.1 = 10%)").optional(),
    minDecisions: z.number().int().min(0).optional(),
    maxErrorRate: z.number().min(0).max(1, "must be a rate between 0 and 1").optional(),
    maxP99Ms: z.number().positive().optional(),
    minCompletionRatio: z.number().min(0).max(1, "must be a ratio between 0 and 1").optional(),
  })
  .strict();

export const Stage = z.object({
  percent: z.number({ error: "is required: the share of sessions on the candidate (0–100)" }).gt(0, "must be more than 0").max(100, "must be at most 100"),
  minDurationSec: z.number().int().min(0, "must be ≥ 0 seconds").max(30 * 86_400, "must be at most 30 days").default(0),
  criteria: StageCriteria.optional(),
});

/** Rollback thresholds; every field overrides one default (see DEFAULT_TRIGGERS). */
export const Triggers = z
  .object({
    maxErrorRate: z.number().min(0).max(1, "must be a rate between 0 and 1"),
    maxP99Ms: z.number().positive(),
    minCanaryDecisions: z.number().int().min(1),
    maxDenyRateDelta: z.number().min(0),
    minRuntimeSec: z.number().int().min(0),
    minCompletionRatio: z.number().min(0).max(1, "must be a ratio between 0 and 1"),
    minOutcomes: z.number().int().min(1),
    windowSec: z.number().int().min(60, "must be at least 60 seconds (buckets are per minute)").max(86_400),
  })
  .strict()
  .partial();

export type StageT = z.output<typeof Stage>;
export type TriggersT = Required<z.output<typeof Triggers>>;

/** The seed's rollback logic: hard triggers at once, graduated ones over a rolling 5-minute window. */
export const DEFAULT_TRIGGERS: TriggersT = {
  maxErrorRate: 0.05,
  maxP99Ms: 2000,
  minCanaryDecisions: 50,
  maxDenyRateDelta: 0.2,
  minRuntimeSec: 600,
  minCompletionRatio: 0.9,
  minOutcomes: 30,
  windowSec: 300,
};

export const triggersOf = (stored: unknown): TriggersT => ({ ...DEFAULT_TRIGGERS, ...(stored as Partial<TriggersT>) });

const Reason = z.string().trim().min(1, "is required: say why").max(1000, "must be at most 1000 characters");

export const StartRolloutInput = z
  .object({
    changeSetId: z.string().min(1).optional(),
    candidateVersion: z.number().int().min(1, "must be a policy version number ≥ 1").optional(),
    strategy: z.enum(["canary", "blue_green"], { error: 'must be "canary" or "blue_green"' }),
    stages: z.array(Stage).min(1, "must list at least one stage").max(10, "must list at most 10 stages"),
    triggers: Triggers.optional(),
    reason: Reason.optional(),
    /** Release although lowered limits are below counters already in use (as for apply). */
    acknowledgeStateConflicts: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if ((v.changeSetId === undefined) === (v.candidateVersion === undefined)) {
      ctx.addIssue({ code: "custom", path: ["changeSetId"], message: "give exactly one of changeSetId or candidateVersion" });
    }
    v.stages.forEach((s, i) => {
      if (i > 0 && s.percent <= v.stages[i - 1]!.percent) ctx.addIssue({ code: "custom", path: ["stages", i, "percent"], message: `must be larger than the previous stage's ${v.stages[i - 1]!.percent}` });
    });
    if (v.strategy === "blue_green" && (v.stages.length !== 2 || v.stages[1]!.percent !== 100)) {
      ctx.addIssue({ code: "custom", path: ["stages"], message: "blue_green takes two stages: [{ percent: warm-up, minDurationSec }, { percent: 100 }]" });
    }
  });

export const ReasonInput = z.object({ reason: Reason });
