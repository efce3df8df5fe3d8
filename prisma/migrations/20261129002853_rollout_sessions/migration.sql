-- CreateTable
CREATE TABLE "RolloutSession" (
    "rolloutId" TEXT NOT NULL,
    "shareBp" INTEGER NOT NULL,
    "session" TEXT NOT NULL,
    "cohort" TEXT NOT NULL,
    "firstSeen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RolloutSession_pkey" PRIMARY KEY ("rolloutId","shareBp","session")
);

-- CreateIndex
CREATE INDEX "RolloutSession_rolloutId_shareBp_cohort_idx" ON "RolloutSession"("rolloutId", "shareBp", "cohort");

-- CreateIndex
CREATE INDEX "RolloutSession_firstSeen_idx" ON "RolloutSession"("firstSeen");
