import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { conflictError, prepareChangeSet, type KeyConflict } from "@/lib/changesets/candidate";
import type { diffDocuments } from "@/lib/policy/diff";
import { insertVersion } from "@/lib/policy/versions";

export type { KeyConflict } from "@/lib/changesets/candidate";

export const ApplyInput = z
  .object({
    reason: z.string().trim().max(1000).optional(),
    /** Apply although lowered limits are below counters already in use (they deny until reset). */
    acknowledgeStateConflicts: z.boolean().default(false),
  })
  .default({ acknowledgeStateConflicts: false });

type Outcome =
  | { kind: "applied"; version: number; changes: ReturnType<typeof diffDocuments>; rebasedFrom: number | null; warnings: { path: string; message: string }[] }
  | { kind: "conflicted"; conflicts: KeyConflict[] };

/**
 * Applies a change set in one transaction: prepare it against the live head (rebase or conflict,
 * compile, state conflicts; see candidate.ts), then write the version, the head, one audit event
 * with from → to for every key, and the generation bump.
 */
export async function applyChangeSet(opts: { db: Db; principal: Principal; id: string; input: z.infer<typeof ApplyInput> }) {
  const { db, principal, id, input } = opts;
  const { result, generation } = await mutate<Outcome>({ db, principal, permission: "policy.write" }, async (tx) => {
    const p = await prepareChangeSet(tx, id, { acknowledgeStateConflicts: input.acknowledgeStateConflicts, verb: "applied" });
    if (p.kind === "conflicted") return { result: { kind: "conflicted", conflicts: p.conflicts }, audit: p.audit };
    const { cs, head, document, changes, rebasedFrom, warnings } = p;
    const version = await insertVersion(tx, { document, parent: head, principal, reason: input.reason ?? cs.reason });
    await tx.changeSet.update({ where: { id }, data: { status: "applied", appliedVersion: version, appliedAt: new Date() } });
    return {
      result: { kind: "applied", version, changes, rebasedFrom, warnings },
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
  if (result.kind === "conflicted") throw conflictError(id, result.conflicts);
  return { version: result.version, generation, changes: result.changes, rebasedFrom: result.rebasedFrom, warnings: result.warnings };
}
