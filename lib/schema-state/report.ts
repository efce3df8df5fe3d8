import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import type { SchemaStateRequest } from "@/lib/dataplane/schemas";

/**
 * Stores the schema an agent observed in one database; its schema tools are checked against it
 * (lib/policy/schema-drift.ts). Keyed by agent and database: each agent's actions are judged
 * against what that agent itself last saw, so one agent's report cannot hide or fake drift for
 * another. A report bumps the generation so every instance recompiles with it: fine for reports
 * that come a few times an hour, not for a report on every call.
 */
export async function reportSchemaState(db: Db, principal: Principal, input: z.output<typeof SchemaStateRequest>) {
  const agentId = principal.agentId!;
  const { generation } = await mutate({ db, principal, permission: null }, async (tx) => {
    const before = await tx.schemaState.findUnique({ where: { agentId_database: { agentId, database: input.database } } });
    const data = { tables: input.tables, reportedAt: new Date() };
    await tx.schemaState.upsert({ where: { agentId_database: { agentId, database: input.database } }, create: { agentId, database: input.database, ...data }, update: data });
    return {
      result: undefined,
      audit: {
        action: "schema_state.report",
        target: `database:${input.database}`,
        before: before ? { tables: Object.keys(before.tables as object).length } : undefined,
        after: { agent: agentId, tables: Object.keys(input.tables).length },
      },
    };
  });
  return { recorded: true as const, database: input.database, tables: Object.keys(input.tables).length, generation };
}
