-- CreateTable
CREATE TABLE "ChangeSet" (
    "id" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "ops" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "sensitive" BOOLEAN NOT NULL DEFAULT false,
    "authorId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "appliedVersion" INTEGER,
    "appliedAt" TIMESTAMP(3),
    "conflicts" JSONB,

    CONSTRAINT "ChangeSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeSetVote" (
    "id" TEXT NOT NULL,
    "changeSetId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "voterId" TEXT NOT NULL,
    "voter" TEXT NOT NULL,
    "vote" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeSetVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChangeSet_status_idx" ON "ChangeSet"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeSetVote_changeSetId_revision_voterId_key" ON "ChangeSetVote"("changeSetId", "revision", "voterId");

-- AddForeignKey
ALTER TABLE "ChangeSetVote" ADD CONSTRAINT "ChangeSetVote_changeSetId_fkey" FOREIGN KEY ("changeSetId") REFERENCES "ChangeSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
