import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import type { AuditDraft } from "@/lib/db/mutate";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { enqueueWebhooks, slackMessage } from "@/lib/notify/webhooks";
import { loadVersionDocument, lockHead, moveHead, releaseDroppedApprovals } from "@/lib/policy/versions";
import type { StageT } from "@/lib/rollouts/schemas";

export type RolloutRow = NonNullable<Awaited<ReturnType<Tx["rollout"]["findUnique"]>>>;
export type ManualAction = "pause" | "resume" | "advance" | "promote" | "abort";

/** Who did it and why; automatic actions carry the metric, value, threshold and window. */
export interface Because {
  actor: string;
  automatic: boolean;
  reason: string;
  detail?: Record<string, unknown>;
}

const ACTIVE = new Set(["running", "paused"]);

/** Locks the rollout row for the rest of the transaction. */
export async function lockRollout(tx: Tx, id: string): Promise<RolloutRow> {
  await tx.$queryRaw`SELECT 1 AS locked FROM "Rollout" WHERE "id" = ${id} FOR UPDATE`;
  const r = await tx.rollout.findUnique({ where: { id } });
  if (!r) throw new AppError("not_found", `No rollout with id "${id}".`);
  return r;
}

async function event(tx: Tx, r: RolloutRow, kind: string, why: Because, detail: Record<string, unknown>) {
  await tx.rolloutEvent.create({ data: { rolloutId: r.id, kind, actor: why.actor, automatic: why.automatic, reason: why.reason, detail: { ...detail, ...why.detail } as object } });
}

const audit = (r: RolloutRow, action: string, why: Because, before: object, after: object, policyVersion?: number): AuditDraft => ({
  action: `rollout.${action}`,
  target: `rollout:${r.id}`,
  before,
  after: { ...after, automatic: why.automatic, ...(why.detail ? { detail: why.detail } : {}) },
  reason: why.reason,
  ...(policyVersion !== undefined ? { policyVersion } : {}),
});

/** Hands the change set behind an ended rollout back to its author, open for another try. */
async function reopenChangeSet(tx: Tx, r: RolloutRow) {
  if (!r.changeSetId) return;
  const cs = await tx.changeSet.findUnique({ where: { id: r.changeSetId } });
  if (cs?.status === "released") await tx.changeSet.update({ where: { id: cs.id }, data: { status: cs.sensitive ? "approved" : "draft", appliedVersion: null } });
}

/**
 * Moves the head to the candidate. Refuses (409) if the head moved since the baseline: promoting
 * would silently discard that version. Pending requests whose approval requirement the candidate
 * drops are approved by the system in the same transaction.
 */
export async function promoteIn(tx: Tx, r: RolloutRow, why: Because): Promise<AuditDraft> {
  const head = await lockHead(tx);
  if (head !== r.baselineVersion) {
    throw new AppError("conflict", `The policy head moved to version ${head} since this rollout's baseline version ${r.baselineVersion}; promoting candidate version ${r.candidateVersion} would discard it. Abort this rollout and release the change again.`);
  }
  const doc = await loadVersionDocument(tx, r.candidateVersion);
  const autoApproved = await moveHead(tx, r.candidateVersion, doc);
  if (r.changeSetId) await tx.changeSet.updateMany({ where: { id: r.changeSetId, status: "released" }, data: { status: "applied", appliedAt: new Date() } });
  const last = (r.stages as StageT[]).length - 1;
  await tx.rollout.update({ where: { id: r.id }, data: { status: "promoted", activeSlot: null, currentStage: last, endedAt: new Date(), endReason: why.reason } });
  await event(tx, r, "promote", why, { fromVersion: r.baselineVersion, toVersion: r.candidateVersion });
  return audit(r, "promote", why, { version: r.baselineVersion, status: r.status }, { version: r.candidateVersion, status: "promoted", autoApproved }, r.candidateVersion);
}

/** Next stage, or promotion when the next stage is the last at 100% (or there is none). */
export async function advanceIn(tx: Tx, r: RolloutRow, why: Because): Promise<AuditDraft> {
  const stages = r.stages as StageT[];
  const next = r.currentStage + 1;
  if (next >= stages.length || (next === stages.length - 1 && stages[next]!.percent === 100)) return promoteIn(tx, r, why);
  await tx.rollout.update({ where: { id: r.id }, data: { currentStage: next, stageStartedAt: new Date() } });
  await event(tx, r, "advance", why, { fromStage: r.currentStage, toStage: next, percent: stages[next]!.percent });
  return audit(r, "advance", why, { stage: r.currentStage, percent: stages[r.currentStage]!.percent }, { stage: next, percent: stages[next]!.percent });
}

/**
 * Ends the rollout without promoting (abort by a person, rollback by the evaluator): the router
 * points everyone back at the baseline, the head stays where it was, and pending requests the
 * baseline does not require approval for are approved by the system. A rollback also queues a
 * webhook alert naming the metric, value, threshold and window.
 */
export async function endIn(tx: Tx, r: RolloutRow, kind: "abort" | "rollback", why: Because): Promise<AuditDraft> {
  const status = kind === "abort" ? "aborted" : "rolled_back";
  await tx.rollout.update({ where: { id: r.id }, data: { status, activeSlot: null, endedAt: new Date(), endReason: why.reason } });
  const head = await lockHead(tx);
  const autoApproved = head === null ? [] : await releaseDroppedApprovals(tx, await loadVersionDocument(tx, head), head);
  await reopenChangeSet(tx, r);
  await event(tx, r, kind, why, { toVersion: head });
  if (kind === "rollback") {
    const d = why.detail ?? {};
    const text = `Governor rolled back rollout ${r.id} (version ${r.candidateVersion} → ${head})`;
    await enqueueWebhooks(tx, "rollout.rollback", {
      ...slackMessage(text, `${why.reason}\nmetric: ${String(d.metric)}, value: ${String(d.value)}, threshold: ${String(d.threshold)}, window: ${String(d.window)}`),
      rollout: r.id,
      candidateVersion: r.candidateVersion,
      baselineVersion: r.baselineVersion,
      metric: d.metric,
      value: d.value,
      threshold: d.threshold,
      window: d.window,
    });
  }
  return audit(r, kind, why, { status: r.status, candidateVersion: r.candidateVersion }, { status, version: head, autoApproved }, head ?? undefined);
}

/** pause, resume, advance, promote or abort by a person with rollouts.write, each with a reason. */
export async function controlRollout(opts: { db: Db; principal: Principal; id: string; action: ManualAction; reason: string }) {
  const { db, principal, id, action, reason } = opts;
  const why: Because = { actor: principal.actor.name, automatic: false, reason };
  const { result, generation } = await mutate({ db, principal, permission: "rollouts.write" }, async (tx) => {
    // Head first, then the rollout, in every rollout transaction: one lock order, no deadlock.
    await lockHead(tx);
    const r = await lockRollout(tx, id);
    if (!ACTIVE.has(r.status)) throw new AppError("conflict", `Rollout ${id} is ${r.status.replace("_", " ")}; only a running or paused rollout can ${action}.`);
    let draft: AuditDraft;
    if (action === "pause" || action === "resume") {
      const [from, to] = action === "pause" ? ["running", "paused"] : ["paused", "running"];
      if (r.status !== from) throw new AppError("conflict", `Rollout ${id} is already ${r.status}.`);
      // Resuming restarts the stage clock: the time spent paused does not count toward its minimum.
      await tx.rollout.update({ where: { id }, data: { status: to, ...(action === "resume" ? { stageStartedAt: new Date() } : {}) } });
      await event(tx, r, action, why, { stage: r.currentStage });
      draft = audit(r, action, why, { status: from }, { status: to });
    } else if (action === "advance") draft = await advanceIn(tx, r, why);
    else if (action === "promote") draft = await promoteIn(tx, r, why);
    else draft = await endIn(tx, r, "abort", why);
    const after = await tx.rollout.findUniqueOrThrow({ where: { id } });
    return { result: { id, status: after.status, currentStage: after.currentStage }, audit: draft };
  });
  return { ...result, generation };
}
