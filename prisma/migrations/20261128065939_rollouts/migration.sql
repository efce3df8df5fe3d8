-- CreateTable
CREATE TABLE "Rollout" (
    "id" TEXT NOT NULL,
    "candidateVersion" INTEGER NOT NULL,
    "baselineVersion" INTEGER NOT NULL,
    "strategy" TEXT NOT NULL,
    "stages" JSONB NOT NULL,
    "currentStage" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "triggers" JSONB NOT NULL,
    "changeSetId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stageStartedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,
    "activeSlot" INTEGER,

    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RolloutEvent" (
    "id" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "RolloutEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricBucket" (
    "rolloutId" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "cohort" TEXT NOT NULL,
    "decisions" INTEGER NOT NULL DEFAULT 0,
    "allows" INTEGER NOT NULL DEFAULT 0,
    "denies" INTEGER NOT NULL DEFAULT 0,
    "pendings" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "latencyCounts" INTEGER[],
    "success" INTEGER NOT NULL DEFAULT 0,
    "failure" INTEGER NOT NULL DEFAULT 0,
    "partial" INTEGER NOT NULL DEFAULT 0,
    "rolledBack" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MetricBucket_pkey" PRIMARY KEY ("rolloutId","minute","cohort")
);

-- CreateIndex
CREATE UNIQUE INDEX "Rollout_activeSlot_key" ON "Rollout"("activeSlot");

-- CreateIndex
CREATE INDEX "Rollout_startedAt_idx" ON "Rollout"("startedAt");

-- CreateIndex
CREATE INDEX "RolloutEvent_rolloutId_at_idx" ON "RolloutEvent"("rolloutId", "at");

-- CreateIndex
CREATE INDEX "MetricBucket_minute_idx" ON "MetricBucket"("minute");

-- AddForeignKey
ALTER TABLE "RolloutEvent" ADD CONSTRAINT "RolloutEvent_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An active rollout (running or paused) holds slot 1, an ended one none; with the unique index
-- above, the database itself refuses a second active rollout.
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_active_slot_check" CHECK (
    ("status" IN ('running', 'paused') AND "activeSlot" = 1) OR ("status" NOT IN ('running', 'paused') AND "activeSlot" IS NULL)
);
