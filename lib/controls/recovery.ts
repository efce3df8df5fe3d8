import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { toControlState } from "@/lib/controls/controls";
import { notifyControl } from "@/lib/controls/notify";
import type { ControlKind } from "@/lib/policy/overlay";

export async function pendingRecoveries(db: Db) {
  return db.recoveryRequest.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } });
}

async function resolve(opts: { db: Db; principal: Principal; recoveryId: string; confirm: boolean }) {
  const { db, principal, recoveryId, confirm } = opts;
  return mutate({ db, principal, permission: "controls.write" }, async (tx) => {
    const req = await tx.recoveryRequest.findUnique({ where: { id: recoveryId } });
    if (!req) throw new AppError("not_found", `No recovery request with id "${recoveryId}".`);
    if (req.status !== "pending") {
      throw new AppError("conflict", `This recovery request was already ${req.status} by ${req.resolvedBy} at ${req.resolvedAt?.toISOString()}.`);
    }
    // The point of the two-person rule: the requester cannot be the second person.
    if (confirm && req.requestedById === principal.actor.id) {
      throw new AppError("forbidden", `You asked for this recovery; a second operator must confirm it.`);
    }
    await tx.recoveryRequest.update({
      where: { id: recoveryId },
      data: { status: confirm ? "confirmed" : "cancelled", resolvedById: principal.actor.id, resolvedBy: principal.actor.name, resolvedAt: new Date() },
    });
    const control = await tx.runtimeControl.findUnique({ where: { control_target: { control: req.control, target: req.target } } });
    if (confirm && control) await tx.runtimeControl.delete({ where: { control_target: { control: req.control, target: req.target } } });
    if (confirm && control) await notifyControl(tx, { kind: "lifted", control: req.control as ControlKind, target: req.target, by: `${principal.actor.name} (confirming ${req.requestedBy})`, reason: req.reason });
    if (!confirm) await notifyControl(tx, { kind: "recovery_cancelled", control: req.control as ControlKind, target: req.target, by: principal.actor.name, reason: req.reason });
    return {
      result: { status: confirm ? "confirmed" : "cancelled", control: req.control, lifted: Boolean(confirm && control) },
      audit: {
        action: confirm ? "control.recovery_confirmed" : "control.recovery_cancelled",
        target: `control:${req.control}`,
        before: control ? toControlState(control) : null,
        after: confirm ? null : control ? toControlState(control) : null,
        reason: `${req.requestedBy} asked: ${req.reason}`,
      },
    };
  });
}

export const confirmRecovery = (o: { db: Db; principal: Principal; recoveryId: string }) => resolve({ ...o, confirm: true });
export const cancelRecovery = (o: { db: Db; principal: Principal; recoveryId: string }) => resolve({ ...o, confirm: false });
