import type { Db } from "@/lib/db/client";
import { loadSnapshotSource } from "@/lib/dataplane/snapshot-holder";
import { AppError } from "@/lib/errors";
import { candidateOf, getChangeSetOrThrow } from "@/lib/changesets/changesets";
import { impactPreview, type Impact } from "@/lib/changesets/impact";
import type { ChangeOp } from "@/lib/changesets/ops";
import { stateConflicts } from "@/lib/changesets/state-conflicts";
import { compile, checkDocument, type Diagnostic } from "@/lib/policy/compile";
import { diffDocuments, type KeyChange } from "@/lib/policy/diff";
import { PolicyDocument } from "@/lib/policy/document";
import { keysOverlap, type Json } from "@/lib/policy/keypath";
import { zodFields } from "@/lib/http/validate";
import { loadVersionDocument } from "@/lib/policy/versions";

export interface Preview {
  baseVersion: number;
  headVersion: number;
  headMoved: boolean;
  diff: KeyChange[];
  conflicts: { key: string; version: number }[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  stateConflicts: Diagnostic[];
  impact: Impact | null;
}

export const DEFAULT_IMPACT_WINDOW_MS = 24 * 3600 * 1000;
export const MAX_IMPACT_DECISIONS = 100_000;

/**
 * What applying would do, against the live head: the key diff, conflicts with changes made
 * since the base, the compiler's errors and warnings, state conflicts, and the impact on
 * recorded decisions. Read-only.
 */
export async function previewChangeSet(db: Db, id: string, opts: { windowMs?: number; limit?: number } = {}): Promise<Preview> {
  const cs = await getChangeSetOrThrow(db, id);
  const source = await loadSnapshotSource(db);
  const head = source.policyVersion;
  if (!head) throw new AppError("conflict", "There is no published policy to change yet.");
  const ops = cs.ops as ChangeOp[];
  const conflicts: Preview["conflicts"] = [];
  if (head !== cs.baseVersion) {
    let prev = (await loadVersionDocument(db, cs.baseVersion)) as unknown as Json;
    for (let v = cs.baseVersion + 1; v <= head; v++) {
      const doc = (await loadVersionDocument(db, v)) as unknown as Json;
      for (const c of diffDocuments(prev, doc)) if (ops.some((o) => keysOverlap(o.key, c.key))) conflicts.push({ key: c.key, version: v });
      prev = doc;
    }
  }
  const live = source.document;
  const { raw } = candidateOf(live, ops);
  const diff = diffDocuments(live as unknown as Json, raw);
  const parsed = PolicyDocument.safeParse(raw);
  let errors: Diagnostic[] = [];
  let warnings: Diagnostic[] = [];
  let state: Diagnostic[] = [];
  let impact: Impact | null = null;
  if (!parsed.success) {
    errors = zodFields(parsed.error).map((f) => ({ path: f.path, message: f.message }));
  } else {
    ({ errors, warnings } = checkDocument(parsed.data, { services: new Set((source.overlay.services ?? []).map((s) => s.name)) }));
    state = await stateConflicts(db, live, parsed.data);
    if (errors.length === 0) {
      const meta = { policyVersion: head, generation: source.generation };
      impact = await impactPreview(db, {
        live: compile(live, source.overlay, meta),
        candidate: compile(parsed.data, source.overlay, { ...meta, policyVersion: head + 1 }),
        sinceMs: opts.windowMs ?? DEFAULT_IMPACT_WINDOW_MS,
        limit: Math.min(opts.limit ?? MAX_IMPACT_DECISIONS, MAX_IMPACT_DECISIONS),
      });
    }
  }
  return { baseVersion: cs.baseVersion, headVersion: head, headMoved: head !== cs.baseVersion, diff, conflicts, errors, warnings, stateConflicts: state, impact };
}
