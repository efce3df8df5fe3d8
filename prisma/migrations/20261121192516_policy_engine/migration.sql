-- CreateTable
CREATE TABLE "PolicyVersion" (
    "number" INTEGER NOT NULL,
    "parent" INTEGER,
    "document" JSONB NOT NULL,
    "sha256" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "PolicyHead" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PolicyHead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuntimeControl" (
    "control" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "reason" TEXT,
    "setById" TEXT NOT NULL,
    "setBy" TEXT NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuntimeControl_pkey" PRIMARY KEY ("control","target")
);

-- CreateTable
CREATE TABLE "SandboxGrant" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "tools" TEXT[],
    "resourcePattern" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokeOnFailure" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT,
    "createdById" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,

    CONSTRAINT "SandboxGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateCounter" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateCounter_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "DecisionLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "agentId" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "session" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "decision" TEXT NOT NULL,
    "primitive" TEXT,
    "reasons" JSONB NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "cohort" TEXT NOT NULL,
    "latencyUs" INTEGER NOT NULL,
    "tokenId" TEXT,
    "grantId" TEXT,
    "failsafe" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "DecisionLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DecisionOutcome" (
    "id" BIGSERIAL NOT NULL,
    "decisionId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "observedBlastRadius" DOUBLE PRECISION,
    "latencyMs" INTEGER,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DecisionOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SandboxGrant_agentId_idx" ON "SandboxGrant"("agentId");

-- CreateIndex
CREATE INDEX "DecisionLog_at_idx" ON "DecisionLog"("at");

-- CreateIndex
CREATE INDEX "DecisionLog_agentId_at_idx" ON "DecisionLog"("agentId", "at");

-- CreateIndex
CREATE INDEX "DecisionOutcome_decisionId_idx" ON "DecisionOutcome"("decisionId");
