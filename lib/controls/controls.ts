import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { notifyControl } from "@/lib/controls/notify";
import { readSettings } from "@/lib/controls/settings";
import { assertKnownTarget } from "@/lib/controls/targets";
import { AppError } from "@/lib/errors";
import { CONTROL_KINDS, TARGETED_CONTROLS, type ControlState } from "@/lib/policy/overlay";

export const SetControlInput = z
  .object({
    control: z.enum(CONTROL_KINDS, { error: `must be one of ${CONTROL_KINDS.join(", ")}` }),
    target: z.string().trim().min(1, "must not be empty").max(64, "must be at most 64 characters").optional(),
    active: z.boolean({ error: "must be true or false" }),
    reason: z.string().trim().max(500, "must be at most 500 characters").optional(),
    // Stop a tool, agent or tenant that no policy names (yet); see lib/controls/targets.ts.
    force: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.control === "global_kill" && !v.active && !v.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "is required to lift the global kill switch: say why it is safe to resume" });
    }
    const targeted = TARGETED_CONTROLS.has(v.control);
    if (targeted && !v.target) ctx.addIssue({ code: "custom", path: ["target"], message: `is required for ${v.control} (the ${v.control.split("_")[0]} to stop)` });
    if (!targeted && v.target) ctx.addIssue({ code: "custom", path: ["target"], message: `must be omitted for ${v.control}, which is global` });
  });
export type SetControlInput = z.infer<typeof SetControlInput>;

export function toControlState(row: { control: string; target: string; reason: string | null; setBy: string; setAt: Date }): ControlState {
  return { control: row.control as ControlState["control"], target: row.target, reason: row.reason, setBy: row.setBy, setAt: row.setAt.toISOString() };
}

export async function listControls(db: Db): Promise<ControlState[]> {
  return (await db.runtimeControl.findMany({ orderBy: [{ control: "asc" }, { target: "asc" }] })).map(toControlState);
}

export type SetControlResult =
  | { status: "applied"; control: string; target: string | null; active: boolean }
  | { status: "awaiting_confirmation"; control: string; target: null; active: true; recoveryId: string };

/**
 * Flips one runtime control: state, audit event and generation bump in one transaction. Lifting
 * the global kill under the two-person rule records a recovery request instead; the kill stays
 * until a second operator confirms it (lib/controls/recovery.ts).
 */
export async function setControl(opts: { db: Db; principal: Principal; input: SetControlInput }) {
  const { db, principal, input } = opts;
  const target = input.target ?? "";
  return mutate<SetControlResult>({ db, principal, permission: "controls.write" }, async (tx) => {
    const before = await tx.runtimeControl.findUnique({ where: { control_target: { control: input.control, target } } });
    if (input.control === "global_kill" && !input.active && before && (await readSettings(tx)).recovery_two_person) {
      const pending = await tx.recoveryRequest.findFirst({ where: { control: "global_kill", status: "pending" } });
      if (pending) {
        throw new AppError("conflict", `${pending.requestedBy} already asked to lift the global kill at ${pending.createdAt.toISOString()}; a second operator must confirm or cancel that request.`);
      }
      const request = await tx.recoveryRequest.create({
        data: { control: "global_kill", reason: input.reason!, requestedById: principal.actor.id, requestedBy: principal.actor.name },
      });
      await notifyControl(tx, { kind: "recovery_requested", control: "global_kill", target: "", by: principal.actor.name, reason: input.reason });
      return {
        result: { status: "awaiting_confirmation", control: "global_kill", target: null, active: true, recoveryId: request.id },
        audit: { action: "control.recovery_requested", target: "control:global_kill", before: toControlState(before), after: { recoveryId: request.id, awaiting: "second operator" }, reason: input.reason },
      };
    }
    if (input.active) {
      if (target && !input.force) await assertKnownTarget(tx, input.control, target);
      await tx.runtimeControl.upsert({
        where: { control_target: { control: input.control, target } },
        create: { control: input.control, target, reason: input.reason ?? null, setById: principal.actor.id, setBy: principal.actor.name },
        update: { reason: input.reason ?? null, setById: principal.actor.id, setBy: principal.actor.name, setAt: new Date() },
      });
    } else if (before) {
      await tx.runtimeControl.delete({ where: { control_target: { control: input.control, target } } });
    } else {
      throw new AppError("conflict", `${input.control}${target ? ` on "${target}"` : ""} is not active, so there is nothing to lift.`);
    }
    await notifyControl(tx, { kind: input.active ? "activated" : "lifted", control: input.control, target, by: principal.actor.name, reason: input.reason });
    return {
      result: { status: "applied", control: input.control, target: target || null, active: input.active },
      audit: {
        action: input.active ? "control.activate" : "control.deactivate",
        target: `control:${input.control}${target ? `:${target}` : ""}`,
        before: before ? toControlState(before) : null,
        // A forced kill may name something no policy has: the evidence says it was deliberate.
        after: input.active ? { control: input.control, target, active: true, ...(input.force ? { forced: true } : {}) } : null,
        reason: input.reason,
      },
    };
  });
}
