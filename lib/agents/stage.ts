import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";

// Phased adoption per agent: `advisory` (verdicts recorded, not binding) or `enforced`. The stage
// is compiled into the snapshot (lib/policy/adoption.ts), so a change applies to the next decision.

export const STAGES = ["advisory", "enforced"] as const;

export const StageInput = z.object({
  stage: z.enum(STAGES, { error: "must be advisory or enforced" }),
  reason: z.string({ error: "is required: say why the agent changes stage" }).trim().min(1, "is required: say why the agent changes stage").max(500, "must be at most 500 characters"),
});
export type StageInput = z.input<typeof StageInput>;

export async function setAgentStage(opts: { db: Db; principal: Principal; agentId: string; input: StageInput }) {
  const input = StageInput.parse(opts.input);
  return mutate({ db: opts.db, principal: opts.principal, permission: "policy.write" }, async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: opts.agentId } });
    if (!agent) throw new AppError("not_found", `No agent named "${opts.agentId}".`);
    if (agent.stage === input.stage) throw new AppError("conflict", `Agent "${opts.agentId}" is already ${input.stage}.`);
    const after = await tx.agent.update({ where: { id: opts.agentId }, data: { stage: input.stage } });
    return {
      result: { id: after.id, stage: after.stage },
      audit: { action: "agent.stage", target: `agent:${after.id}`, before: { stage: agent.stage }, after: { stage: after.stage }, reason: input.reason },
    };
  });
}

/** Who moved the agent between stages, when and why (from the audit log). */
export async function stageHistory(db: Db, agentId: string) {
  const events = await db.auditEvent.findMany({ where: { action: "agent.stage", target: `agent:${agentId}` }, orderBy: { seq: "desc" }, take: 50 });
  return events.map((e) => ({ at: e.at.toISOString(), by: e.actorName, from: (e.before as { stage?: string } | null)?.stage ?? null, to: (e.after as { stage?: string } | null)?.stage ?? null, reason: e.reason }));
}
