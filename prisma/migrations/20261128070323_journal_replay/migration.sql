-- CreateTable
CREATE TABLE "JournalReplay" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JournalReplay_pkey" PRIMARY KEY ("id")
);
