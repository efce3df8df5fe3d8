import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import { committedSnapshots } from "@/lib/dataplane/committed-snapshots";
import { AppError } from "@/lib/errors";
import { assessBlastRadius, blastRadiusRefusal } from "@/lib/policy/blast-radius";
import type { WhatIfInput } from "@/lib/runtime-model/inputs";

/**
 * "What if this tool ran against this service (at this time)?" answered by the same engine code
 * decide uses (assessBlastRadius + blastRadiusRefusal), on a snapshot compiled from the store
 * right now. Only the blast-radius primitive is answered: the rest depends on agent and tenant.
 */
export async function whatIf(db: Db, input: z.output<typeof WhatIfInput>) {
  const snap = (await committedSnapshots(db)).stable;
  const tool = snap.tools.get(input.tool);
  if (!tool) throw new AppError("validation_failed", `tool: "${input.tool}" is not in the tool registry`, { fields: [{ path: "tool", message: `"${input.tool}" is not in the tool registry` }] });
  if (!snap.runtime.has(input.service)) {
    throw new AppError("validation_failed", `service: "${input.service}" is not a service in the runtime model`, { fields: [{ path: "service", message: `"${input.service}" is not a service in the runtime model` }] });
  }
  const at = input.at ? Date.parse(input.at) : Date.now();
  const req = { tool: input.tool, target: { service: input.service }, blastRadius: input.blastRadius };
  const a = assessBlastRadius(snap, req, tool, at);
  const refusal = blastRadiusRefusal(a, input.tool);
  return {
    tool: input.tool,
    service: input.service,
    at: new Date(at).toISOString(),
    affected: a.affected.map((name) => ({ name, share: snap.runtime.get(name)?.share ?? 0 })),
    server: a.server ?? null,
    agent: a.agent ?? null,
    predicted: a.predicted ?? null,
    bounds: a.bounds,
    bound: a.bound ?? null,
    verdict: refusal ? ("deny" as const) : ("allow" as const),
    reason: refusal,
    policyVersion: snap.policyVersion,
    generation: snap.generation,
  };
}
