import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { candidateOf, getChangeSetOrThrow } from "@/lib/changesets/changesets";
import type { ChangeOp } from "@/lib/changesets/ops";
import { stateConflicts } from "@/lib/changesets/state-conflicts";
import { diffDocuments } from "@/lib/policy/diff";
import { keysOverlap, type Json } from "@/lib/policy/keypath";
import { insertVersion, loadVersionDocument, lockHead, validateDocument } from "@/lib/policy/versions";

export const ApplyInput = z
  .object({
    reason: z.string().trim().max(1000).optional(),
    /** Apply although lowered limits are below counters already in use (they deny until reset). */
    acknowledgeStateConflicts: z.boolean().default(false),
  })
  .default({ acknowledgeStateConflicts: false });

export interface KeyConflict {
  key: string;
  version: number;
}

/** Keys changed after `base` up to `head`, each with the last version that changed it. */
async function changedSince(tx: Tx, base: number, head: number): Promise<Map<string, number>> {
  const changed = new Map<string, number>();
  let prev = (await loadVersionDocument(tx, base)) as unknown as Json;
  for (let v = base + 1; v <= head; v++) {
    const doc = (await loadVersionDocument(tx, v)) as unknown as Json;
    for (const c of diffDocuments(prev, doc)) changed.set(c.key, v);
    prev = doc;
  }
  return changed;
}

type Outcome =
  | { kind: "applied"; version: number; changes: ReturnType<typeof diffDocuments>; rebasedFrom: number | null; warnings: { path: string; message: string }[] }
  | { kind: "conflicted"; conflicts: KeyConflict[] };

/**
 * Applies a change set in one transaction: lock the head; rebase onto it when no operation
 * touches a key changed since the base, else mark the change set conflicted; compile the whole
 * result against the live set; write the version, the head, one audit event with from → to
 * for every key, and the generation bump.
 */
export async function applyChangeSet(opts: { db: Db; principal: Principal; id: string; input: z.infer<typeof ApplyInput> }) {
  const { db, principal, id, input } = opts;
  const { result, generation } = await mutate<Outcome>({ db, principal, permission: "policy.write" }, async (tx) => {
    const head = await lockHead(tx);
    await tx.$queryRaw`SELECT 1 AS locked FROM "ChangeSet" WHERE "id" = ${id} FOR UPDATE`;
    const cs = await getChangeSetOrThrow(tx, id);
    if (cs.status === "applied") throw new AppError("conflict", `Change set ${id} was already applied as version ${cs.appliedVersion}.`);
    if (cs.status === "pending_approval") {
      throw new AppError("forbidden", `Change set ${id} touches sensitive keys and needs reviewer approval before it can be applied (${cs.votes.filter((v) => v.revision === cs.revision && v.vote === "approve").length} approval(s) so far).`);
    }
    if (!["draft", "approved"].includes(cs.status)) throw new AppError("conflict", `Change set ${id} is ${cs.status} and cannot be applied.`);
    const ops = cs.ops as ChangeOp[];
    if (head === null) throw new AppError("conflict", "There is no published policy to change yet.");

    let rebasedFrom: number | null = null;
    if (head !== cs.baseVersion) {
      const changed = await changedSince(tx, cs.baseVersion, head);
      const conflicts: KeyConflict[] = [];
      for (const op of ops) for (const [key, version] of changed) if (keysOverlap(op.key, key)) conflicts.push({ key, version });
      if (conflicts.length) {
        await tx.changeSet.update({ where: { id }, data: { status: "conflicted", conflicts: conflicts as object[] } });
        return {
          result: { kind: "conflicted", conflicts },
          audit: { action: "changeset.conflicted", target: `changeset:${id}`, after: { baseVersion: cs.baseVersion, head, conflicts } },
        };
      }
      rebasedFrom = cs.baseVersion;
    }

    const live = await loadVersionDocument(tx, head);
    const { raw } = candidateOf(live, ops);
    let checked: ReturnType<typeof validateDocument>;
    try {
      checked = validateDocument(raw);
    } catch (e) {
      // Emergent conflicts (deadlocks, quorum larger than its group, references to removed tools)
      // come back as 422 with the compiler's key paths.
      if (e instanceof AppError) throw new AppError("unprocessable", e.message, { fields: e.fields });
      throw e;
    }
    const { document, warnings } = checked;
    const state = await stateConflicts(tx, live, document);
    if (state.length && !input.acknowledgeStateConflicts) {
      throw new AppError("unprocessable", `State conflict: ${state.map((s) => `${s.path} ${s.message}`).join("; ")}. Apply with acknowledgeStateConflicts to go ahead.`, { fields: state, details: { kind: "state_conflict" } });
    }
    const changes = diffDocuments(live as unknown as Json, document as unknown as Json);
    if (changes.length === 0) throw new AppError("unprocessable", "The change set changes nothing against the live policy.");
    const version = await insertVersion(tx, { document, parent: head, principal, reason: input.reason ?? cs.reason });
    await tx.changeSet.update({ where: { id }, data: { status: "applied", appliedVersion: version, appliedAt: new Date() } });
    return {
      result: { kind: "applied", version, changes, rebasedFrom, warnings: [...warnings, ...state] },
      audit: {
        action: "policy.apply_changeset",
        target: `policy:v${version}`,
        before: { version: head },
        after: { version, changeSet: id, rebasedFrom, changes },
        reason: input.reason ?? cs.reason,
        policyVersion: version,
      },
    };
  });
  if (result.kind === "conflicted") {
    const list = result.conflicts.map((c) => `${c.key} (changed in version ${c.version})`).join(", ");
    throw new AppError("conflict", `Change set ${id} conflicts with changes made since its base version: ${list}.`, { details: { keys: result.conflicts } });
  }
  return { version: result.version, generation, changes: result.changes, rebasedFrom: result.rebasedFrom, warnings: result.warnings };
}
