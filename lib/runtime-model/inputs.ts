import { z } from "zod";

// Request shapes of the runtime-model admin API, shared with the console's forms.

// Same rule as policy names, so a service can be a key in `blast_radius.services.<name>`.
export const ServiceName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be 1–64 lowercase letters, digits, '_' or '-'");
const Share = z.number({ error: "must be a number between 0 and 1" }).min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

export const ServiceInput = z.object({
  share: Share,
  zone: ServiceName.nullish(),
  description: z.string().trim().max(500, "must be at most 500 characters").default(""),
});
export type ServiceInput = z.input<typeof ServiceInput>;

export const EdgeInput = z.object({ service: ServiceName, dependsOn: ServiceName }).refine((e) => e.service !== e.dependsOn, { message: "a service cannot depend on itself", path: ["dependsOn"] });
export type EdgeInput = z.input<typeof EdgeInput>;

/**
 * A whole model. Edges must name services of the same import. Cycles are allowed: real systems
 * have them (two services calling each other), and the blast-radius walk counts each service once.
 */
export const ModelImport = z
  .object({
    services: z.array(ServiceInput.extend({ name: ServiceName })).max(2000, "must list at most 2000 services"),
    edges: z.array(z.object({ service: ServiceName, dependsOn: ServiceName })).max(20000, "must list at most 20000 edges").default([]),
    reason: z.string().trim().max(500).optional(),
  })
  .superRefine((m, ctx) => {
    const names = new Set<string>();
    m.services.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: "custom", path: ["services", i, "name"], message: `"${s.name}" is listed twice` });
      names.add(s.name);
    });
    m.edges.forEach((e, i) => {
      for (const end of ["service", "dependsOn"] as const) {
        if (!names.has(e[end])) ctx.addIssue({ code: "custom", path: ["edges", i, end], message: `"${e[end]}" is not one of the imported services` });
      }
      if (e.service === e.dependsOn) ctx.addIssue({ code: "custom", path: ["edges", i, "dependsOn"], message: "a service cannot depend on itself" });
    });
  });
export type ModelImport = z.input<typeof ModelImport>;

export const WhatIfInput = z.object({
  tool: z.string().min(1, "is required"),
  service: ServiceName,
  /** ISO time to evaluate deploy windows at; default now. */
  at: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2026-11-28T21:00:00Z" }).optional(),
  /** The agent's own prediction, if any. */
  blastRadius: Share.optional(),
});
