import type { Db } from "@/lib/db/client";
import type { AgentStage, Overlay } from "@/lib/policy/overlay";

/**
 * The observed world the snapshot compiles beside the policy: runtime model, reported schemas and
 * agent stages. Read inside loadSnapshotSource's transaction, so it matches the generation.
 */
export async function loadWorld(db: Db): Promise<Required<Pick<Overlay, "services" | "dependencies" | "schemaStates" | "agentStages">>> {
  const [services, dependencies, schemas, advisory] = [
    await db.runtimeService.findMany({ orderBy: { name: "asc" } }),
    await db.runtimeDependency.findMany({ orderBy: [{ service: "asc" }, { dependsOn: "asc" }] }),
    await db.schemaState.findMany(),
    await db.agent.findMany({ where: { stage: { not: "enforced" } }, select: { id: true, stage: true } }),
  ];
  return {
    services: services.map((s) => ({ name: s.name, share: s.share, zone: s.zone })),
    dependencies: dependencies.map((d) => ({ service: d.service, dependsOn: d.dependsOn })),
    schemaStates: schemas.map((s) => ({ agentId: s.agentId, database: s.database, tables: s.tables as Record<string, string[]>, reportedAt: s.reportedAt.toISOString() })),
    agentStages: Object.fromEntries(advisory.map((a) => [a.id, a.stage as AgentStage])),
  };
}
