import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { EdgeInput, ModelImport, ServiceInput } from "@/lib/runtime-model/inputs";

// The runtime model (services, traffic shares, dependency edges) as stored state. Every change is
// one mutate(): permission, new state, audit event, generation bump, so every instance recompiles
// its snapshot and the next decision predicts from the new graph.

export async function readModel(db: Db | Tx) {
  const services = await db.runtimeService.findMany({ orderBy: { name: "asc" } });
  const edges = await db.runtimeDependency.findMany({ orderBy: [{ service: "asc" }, { dependsOn: "asc" }] });
  return {
    services: services.map((s) => ({ name: s.name, share: s.share, zone: s.zone, description: s.description, updatedAt: s.updatedAt.toISOString() })),
    edges: edges.map((e) => ({ service: e.service, dependsOn: e.dependsOn })),
  };
}

export async function upsertService(opts: { db: Db; principal: Principal; name: string; input: ServiceInput }) {
  const input = ServiceInput.parse(opts.input);
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    const before = await tx.runtimeService.findUnique({ where: { name: opts.name } });
    const data = { share: input.share, zone: input.zone ?? null, description: input.description };
    const after = await tx.runtimeService.upsert({ where: { name: opts.name }, create: { name: opts.name, ...data }, update: data });
    return {
      result: after,
      audit: { action: before ? "runtime_model.service_update" : "runtime_model.service_create", target: `service:${opts.name}`, before: before ? { share: before.share, zone: before.zone } : undefined, after: data },
    };
  });
}

export async function deleteService(opts: { db: Db; principal: Principal; name: string }) {
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    const before = await tx.runtimeService.findUnique({ where: { name: opts.name } });
    if (!before) throw new AppError("not_found", `No service "${opts.name}" in the runtime model.`);
    // Its edges go with it, so no edge ever names a missing service.
    const edges = await tx.runtimeDependency.deleteMany({ where: { OR: [{ service: opts.name }, { dependsOn: opts.name }] } });
    await tx.runtimeService.delete({ where: { name: opts.name } });
    return { result: { deleted: opts.name, edgesRemoved: edges.count }, audit: { action: "runtime_model.service_delete", target: `service:${opts.name}`, before: { share: before.share, zone: before.zone, edgesRemoved: edges.count } } };
  });
}

export async function addEdge(opts: { db: Db; principal: Principal; input: EdgeInput }) {
  const e = EdgeInput.parse(opts.input);
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    for (const end of ["service", "dependsOn"] as const) {
      if (!(await tx.runtimeService.findUnique({ where: { name: e[end] } }))) {
        throw new AppError("validation_failed", `${end}: "${e[end]}" is not a service in the runtime model; add it first.`, { fields: [{ path: end, message: `"${e[end]}" is not a service in the runtime model` }] });
      }
    }
    if (await tx.runtimeDependency.findUnique({ where: { service_dependsOn: e } })) throw new AppError("conflict", `"${e.service}" already depends on "${e.dependsOn}".`);
    await tx.runtimeDependency.create({ data: e });
    return { result: e, audit: { action: "runtime_model.edge_add", target: `service:${e.service}`, after: e } };
  });
}

export async function removeEdge(opts: { db: Db; principal: Principal; service: string; dependsOn: string }) {
  const e = { service: opts.service, dependsOn: opts.dependsOn };
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    if (!(await tx.runtimeDependency.findUnique({ where: { service_dependsOn: e } }))) throw new AppError("not_found", `"${e.service}" does not depend on "${e.dependsOn}".`);
    await tx.runtimeDependency.delete({ where: { service_dependsOn: e } });
    return { result: e, audit: { action: "runtime_model.edge_remove", target: `service:${e.service}`, before: e } };
  });
}

/** Replaces the whole model with an imported one, in one transaction. */
export async function importModel(opts: { db: Db; principal: Principal; input: ModelImport }) {
  const m = ModelImport.parse(opts.input);
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    const before = await tx.runtimeService.count();
    await tx.runtimeDependency.deleteMany({});
    await tx.runtimeService.deleteMany({});
    await tx.runtimeService.createMany({ data: m.services.map((s) => ({ name: s.name, share: s.share, zone: s.zone ?? null, description: s.description })) });
    await tx.runtimeDependency.createMany({ data: m.edges, skipDuplicates: true });
    return {
      result: { services: m.services.length, edges: m.edges.length },
      audit: { action: "runtime_model.import", target: "runtime_model", before: { services: before }, after: { services: m.services.map((s) => s.name), edges: m.edges.length }, reason: m.reason },
    };
  });
}
