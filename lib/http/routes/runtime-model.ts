import { z } from "zod";
import { readJson } from "@/lib/http/node-http";
import { parseInput } from "@/lib/http/validate";
import type { Route } from "@/lib/http/router";
import { EdgeInput, ModelImport, ServiceInput, ServiceName, WhatIfInput } from "@/lib/runtime-model/inputs";
import { addEdge, deleteService, importModel, readModel, removeEdge, upsertService } from "@/lib/runtime-model/model";
import { whatIf } from "@/lib/runtime-model/what-if";

const name = (raw: string, field = "name"): string => parseInput(z.object({ [field]: ServiceName }), { [field]: raw })[field] as string;

// The runtime model: services, traffic shares and dependencies. Changing the world model changes
// what agents may do (predicted blast radius), so it takes policy.write like policy itself.
export const RUNTIME_MODEL_ROUTES: Route[] = [
  // GET /api/v1/admin/runtime-model – every service and edge
  { method: "GET", path: "/api/v1/admin/runtime-model", permission: "console.read", handler: async ({ store }) => readModel(store.prisma) },
  // PUT /api/v1/admin/runtime-model/services/:name – create or update one service
  {
    method: "PUT",
    path: "/api/v1/admin/runtime-model/services/:name",
    permission: "policy.write",
    handler: async ({ store, principal, req, params }) => {
      const n = name(params.name!);
      const input = parseInput(ServiceInput, await readJson(req));
      const { result, generation } = await upsertService({ db: store.prisma, principal, name: n, input });
      return { service: { name: result.name, share: result.share, zone: result.zone, description: result.description }, generation };
    },
  },
  // DELETE /api/v1/admin/runtime-model/services/:name – remove a service and its edges
  {
    method: "DELETE",
    path: "/api/v1/admin/runtime-model/services/:name",
    permission: "policy.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await deleteService({ db: store.prisma, principal, name: name(params.name!) });
      return { ...result, generation };
    },
  },
  // POST /api/v1/admin/runtime-model/edges – `service` depends on `dependsOn`
  {
    method: "POST",
    path: "/api/v1/admin/runtime-model/edges",
    permission: "policy.write",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const { result, generation } = await addEdge({ db: store.prisma, principal, input: parseInput(EdgeInput, await readJson(req)) });
      return { edge: result, generation };
    },
  },
  // DELETE /api/v1/admin/runtime-model/edges/:service/:dependsOn – remove one dependency
  {
    method: "DELETE",
    path: "/api/v1/admin/runtime-model/edges/:service/:dependsOn",
    permission: "policy.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await removeEdge({ db: store.prisma, principal, service: name(params.service!, "service"), dependsOn: name(params.dependsOn!, "dependsOn") });
      return { edge: result, generation };
    },
  },
  // POST /api/v1/admin/runtime-model/import – replace the whole model with { services, edges }
  {
    method: "POST",
    path: "/api/v1/admin/runtime-model/import",
    permission: "policy.write",
    handler: async ({ store, principal, req }) => {
      const { result, generation } = await importModel({ db: store.prisma, principal, input: parseInput(ModelImport, await readJson(req)) });
      return { ...result, generation };
    },
  },
  // POST /api/v1/admin/runtime-model/what-if – predicted blast radius and verdict for tool + service (+ time)
  {
    method: "POST",
    path: "/api/v1/admin/runtime-model/what-if",
    permission: "console.read",
    handler: async ({ store, req }) => whatIf(store.prisma, parseInput(WhatIfInput, await readJson(req))),
  },
];
