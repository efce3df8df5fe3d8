import type { Tx } from "@/lib/db/client";
import type { AuditDraft } from "@/lib/db/mutate";
import { AppError } from "@/lib/errors";
import { candidateOf, getChangeSetOrThrow } from "@/lib/changesets/changesets";
import type { ChangeOp } from "@/lib/changesets/ops";
import { stateConflicts } from "@/lib/changesets/state-conflicts";
import type { Diagnostic } from "@/lib/policy/compile";
import { diffDocuments } from "@/lib/policy/diff";
import type { PolicyDocument } from "@/lib/policy/document";
import { keysOverlap, type Json } from "@/lib/policy/keypath";
import { loadVersionDocument, lockHead, validateDocument } from "@/lib/policy/versions";

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

export type Prepared =
  | { kind: "conflicted"; conflicts: KeyConflict[]; audit: AuditDraft }
  | {
      kind: "ready";
      cs: Awaited<ReturnType<typeof getChangeSetOrThrow>>;
      head: number;
      document: PolicyDocument;
      changes: ReturnType<typeof diffDocuments>;
      rebasedFrom: number | null;
      warnings: Diagnostic[];
    };

/**
 * What applying and releasing a change set share: lock the head and the change set; rebase onto
 * the head when no operation touches a key changed since the base, else mark the change set
 * conflicted; compile the whole result against the live set (422 with the compiler's key paths);
 * refuse unacknowledged state conflicts. Writes nothing but the conflicted status.
 */
export async function prepareChangeSet(tx: Tx, id: string, opts: { acknowledgeStateConflicts: boolean; verb: "applied" | "released" }): Promise<Prepared> {
  const head = await lockHead(tx);
  await tx.$queryRaw`SELECT 1 AS locked FROM "ChangeSet" WHERE "id" = ${id} FOR UPDATE`;
  const cs = await getChangeSetOrThrow(tx, id);
  if (cs.status === "applied") throw new AppError("conflict", `Change set ${id} was already applied as version ${cs.appliedVersion}.`);
  if (cs.status === "released") throw new AppError("conflict", `Change set ${id} is already being rolled out as candidate version ${cs.appliedVersion}.`);
  if (cs.status === "pending_approval") {
    throw new AppError("forbidden", `Change set ${id} touches sensitive keys and needs reviewer approval before it can be ${opts.verb} (${cs.votes.filter((v) => v.revision === cs.revision && v.vote === "approve").length} approval(s) so far).`);
  }
  if (!["draft", "approved"].includes(cs.status)) throw new AppError("conflict", `Change set ${id} is ${cs.status} and cannot be ${opts.verb}.`);
  const ops = cs.ops as ChangeOp[];
  if (head === null) throw new AppError("conflict", "There is no published policy to change yet.");

  let rebasedFrom: number | null = null;
  if (head !== cs.baseVersion) {
    const changed = await changedSince(tx, cs.baseVersion, head);
    const conflicts: KeyConflict[] = [];
    for (const op of ops) for (const [key, version] of changed) if (keysOverlap(op.key, key)) conflicts.push({ key, version });
    if (conflicts.length) {
      await tx.changeSet.update({ where: { id }, data: { status: "conflicted", conflicts: conflicts as object[] } });
      return { kind: "conflicted", conflicts, audit: { action: "changeset.conflicted", target: `changeset:${id}`, after: { baseVersion: cs.baseVersion, head, conflicts } } };
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
  if (state.length && !opts.acknowledgeStateConflicts) {
    throw new AppError("unprocessable", `State conflict: ${state.map((s) => `${s.path} ${s.message}`).join("; ")}. ${opts.verb === "applied" ? "Apply" : "Release"} with acknowledgeStateConflicts to go ahead.`, { fields: state, details: { kind: "state_conflict" } });
  }
  const changes = diffDocuments(live as unknown as Json, document as unknown as Json);
  if (changes.length === 0) throw new AppError("unprocessable", "The change set changes nothing against the live policy.");
  return { kind: "ready", cs, head, document, changes, rebasedFrom, warnings: [...warnings, ...state] };
}

/** The 409 a conflicted change set answers, after its conflicted status has committed. */
export function conflictError(id: string, conflicts: KeyConflict[]): AppError {
  const list = conflicts.map((c) => `${c.key} (changed in version ${c.version})`).join(", ");
  return new AppError("conflict", `Change set ${id} conflicts with changes made since its base version: ${list}.`, { details: { keys: conflicts } });
}
