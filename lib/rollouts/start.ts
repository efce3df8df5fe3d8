import type { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import { conflictError, prepareChangeSet, type KeyConflict } from "@/lib/changesets/candidate";
import { toControlState } from "@/lib/controls/controls";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { activeGrants, toGrantState } from "@/lib/grants/grants";
import { checkDocument, compile } from "@/lib/policy/compile";
import type { PolicyDocument } from "@/lib/policy/document";
import { loadVersionDocument, lockHead, writeVersion } from "@/lib/policy/versions";
import type { StartRolloutInput } from "@/lib/rollouts/schemas";

type Outcome = { kind: "started"; id: string; candidateVersion: number; status: "running" } | { kind: "conflicted"; conflicts: KeyConflict[] };

async function activeConflict(db: Db | Tx): Promise<AppError> {
  const a = await db.rollout.findUnique({ where: { activeSlot: 1 } });
  const who = a ? `Rollout ${a.id} (version ${a.baselineVersion} → ${a.candidateVersion}, ${a.status}, started by ${a.createdBy})` : "Another rollout";
  return new AppError("conflict", `${who} is already active; only one rollout runs at a time. Promote or abort it first.`, { details: a ? { activeRolloutId: a.id } : {} });
}

/**
 * The compiler's conflict checks against the live set: the candidate must pass checkDocument and
 * compile with the live runtime overlay (controls and grants), as its cohort will decide with it.
 */
async function checkAgainstLive(tx: Tx, doc: PolicyDocument, version: number, generation = 0): Promise<void> {
  const { errors } = checkDocument(doc);
  if (errors.length) {
    throw new AppError("unprocessable", `Candidate version ${version} cannot work with the live set: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, { fields: errors });
  }
  const controls = (await tx.runtimeControl.findMany()).map(toControlState);
  const grants = (await activeGrants(tx as unknown as Db)).map(toGrantState);
  compile(doc, { controls, grants }, { policyVersion: version, generation });
}

/**
 * Starts a rollout from a change set (released: compiled against the live head and written as the
 * candidate version without moving the head) or from an existing version. One active rollout at
 * a time: checked here for a clear message, and by the database's unique activeSlot for starts
 * that race.
 */
export async function startRollout(opts: { db: Db; principal: Principal; input: z.output<typeof StartRolloutInput> }) {
  const { db, principal, input } = opts;
  let committed: Awaited<ReturnType<typeof mutate<Outcome>>>;
  try {
    committed = await mutate<Outcome>({ db, principal, permission: "rollouts.write" }, async (tx) => {
      if (await tx.rollout.findUnique({ where: { activeSlot: 1 }, select: { id: true } })) throw await activeConflict(tx);
      let candidateVersion: number;
      let baselineVersion: number;
      let reason = input.reason;
      if (input.changeSetId !== undefined) {
        const p = await prepareChangeSet(tx, input.changeSetId, { acknowledgeStateConflicts: input.acknowledgeStateConflicts, verb: "released" });
        if (p.kind === "conflicted") return { result: { kind: "conflicted", conflicts: p.conflicts }, audit: p.audit };
        reason ??= p.cs.reason;
        baselineVersion = p.head;
        candidateVersion = await writeVersion(tx, { document: p.document, parent: p.head, principal, reason });
        await checkAgainstLive(tx, p.document, candidateVersion);
        await tx.changeSet.update({ where: { id: p.cs.id }, data: { status: "released", appliedVersion: candidateVersion } });
      } else {
        const head = await lockHead(tx);
        if (head === null) throw new AppError("conflict", "There is no published policy to roll out from yet.");
        candidateVersion = input.candidateVersion!;
        if (candidateVersion === head) throw new AppError("validation_failed", `candidateVersion: ${candidateVersion} is already the live version`, { fields: [{ path: "candidateVersion", message: `${candidateVersion} is already the live version` }] });
        const doc = await loadVersionDocument(tx, candidateVersion).catch(() => {
          throw new AppError("validation_failed", `candidateVersion: there is no policy version ${candidateVersion}`, { fields: [{ path: "candidateVersion", message: `there is no policy version ${candidateVersion}` }] });
        });
        await checkAgainstLive(tx, doc, candidateVersion);
        baselineVersion = head;
      }
      reason ??= `roll out version ${candidateVersion}`;
      const r = await tx.rollout.create({
        data: {
          candidateVersion,
          baselineVersion,
          strategy: input.strategy,
          stages: input.stages as object[],
          triggers: (input.triggers ?? {}) as object,
          changeSetId: input.changeSetId ?? null,
          createdById: principal.actor.id,
          createdBy: principal.actor.name,
          reason,
          status: "running",
          activeSlot: 1,
        },
      });
      await tx.rolloutEvent.create({ data: { rolloutId: r.id, kind: "start", actor: principal.actor.name, reason, detail: { stage: 0, percent: input.stages[0]!.percent, baselineVersion, candidateVersion } } });
      return {
        result: { kind: "started", id: r.id, candidateVersion, status: "running" },
        audit: {
          action: "rollout.start",
          target: `rollout:${r.id}`,
          after: { baselineVersion, candidateVersion, strategy: input.strategy, stages: input.stages, triggers: input.triggers ?? {}, changeSetId: input.changeSetId ?? null },
          reason,
          policyVersion: baselineVersion,
        },
      };
    });
  } catch (e) {
    // A concurrent start committed first: the unique activeSlot refused this one.
    if (isUniqueViolation(e)) throw await activeConflict(db);
    throw e;
  }
  const { result, generation } = committed;
  if (result.kind === "conflicted") throw conflictError(input.changeSetId!, result.conflicts);
  return { id: result.id, candidateVersion: result.candidateVersion, status: result.status, generation };
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  return err?.code === "P2002" || err?.cause?.code === "23505" || /Unique constraint failed|duplicate key value/i.test(err?.message ?? "");
}
