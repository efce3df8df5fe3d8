-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "stage" TEXT NOT NULL DEFAULT 'enforced';

-- AlterTable
ALTER TABLE "DecisionLog" ADD COLUMN     "agentBlastRadius" DOUBLE PRECISION,
ADD COLUMN     "enforced" BOOLEAN,
ADD COLUMN     "serverBlastRadius" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "RuntimeService" (
    "name" TEXT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "zone" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RuntimeService_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "RuntimeDependency" (
    "service" TEXT NOT NULL,
    "dependsOn" TEXT NOT NULL,

    CONSTRAINT "RuntimeDependency_pkey" PRIMARY KEY ("service","dependsOn")
);

-- CreateTable
CREATE TABLE "SchemaState" (
    "agentId" TEXT NOT NULL,
    "database" TEXT NOT NULL,
    "tables" JSONB NOT NULL,
    "reportedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchemaState_pkey" PRIMARY KEY ("agentId","database")
);

-- CreateIndex
CREATE INDEX "RuntimeDependency_dependsOn_idx" ON "RuntimeDependency"("dependsOn");
