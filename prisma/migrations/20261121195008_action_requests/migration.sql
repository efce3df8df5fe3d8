-- CreateTable
CREATE TABLE "ActionRequest" (
    "id" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "session" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "args" JSONB,
    "blastRadius" DOUBLE PRECISION,
    "reversal" TEXT,
    "initiator" TEXT,
    "source" TEXT NOT NULL,
    "quorum" INTEGER NOT NULL,
    "reviewerGroup" TEXT NOT NULL,
    "rejectThreshold" INTEGER NOT NULL DEFAULT 1,
    "policyVersion" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "idempotencyKey" TEXT,
    "tokenId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "resolution" TEXT,
    "executedAt" TIMESTAMP(3),
    "executionId" TEXT,

    CONSTRAINT "ActionRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionVote" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "voterId" TEXT NOT NULL,
    "voter" TEXT NOT NULL,
    "vote" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActionVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ActionRequest_decisionId_key" ON "ActionRequest"("decisionId");

-- CreateIndex
CREATE INDEX "ActionRequest_status_expiresAt_idx" ON "ActionRequest"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ActionRequest_agentId_idempotencyKey_key" ON "ActionRequest"("agentId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "ActionVote_requestId_voterId_key" ON "ActionVote"("requestId", "voterId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "ActionVote" ADD CONSTRAINT "ActionVote_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ActionRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
