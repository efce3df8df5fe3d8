import type { Db, Tx } from "@/lib/db/client";

export const GENERATION_CHANNEL = "governor_generation";

/**
 * Bumps the generation inside the caller's transaction. The UPDATE takes the singleton's row
 * lock, so concurrent changes get distinct, ordered generations; pg_notify is delivered only
 * when the transaction commits, so no listener ever hears of a change that rolled back.
 */
export async function bumpGeneration(tx: Tx): Promise<number> {
  const rows = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO "Generation" ("id", "value", "updatedAt") VALUES (1, 1, now())
    ON CONFLICT ("id") DO UPDATE SET "value" = "Generation"."value" + 1, "updatedAt" = now()
    RETURNING "value"`;
  const value = rows[0]!.value;
  await tx.$queryRaw`SELECT 1 AS sent FROM pg_notify(${GENERATION_CHANNEL}, ${String(value)})`;
  return value;
}

export async function readGeneration(db: Db | Tx): Promise<number> {
  const row = await db.generation.findUnique({ where: { id: 1 } });
  return row?.value ?? 0;
}
