// Shapes of the admin API's policy and change-set responses, as the console reads them
// (see lib/http/admin-routes.ts). Dates arrive as ISO strings.
import type { ChangeOp } from "@/lib/changesets/ops";
import type { KeyChange } from "@/lib/policy/diff";
import type { Diagnostic } from "@/lib/policy/compile";
import type { Impact } from "@/lib/changesets/impact";
import type { KeyConflict } from "@/lib/changesets/apply";

export interface PolicyVersionRow {
  number: number;
  document: unknown;
  author: string;
  reason: string | null;
  createdAt: string;
  sha256: string;
}
export interface PolicyHead {
  head: number | null;
  version: PolicyVersionRow | null;
}
export interface VersionMeta {
  number: number;
  parent: number | null;
  sha256: string;
  author: string;
  reason: string | null;
  createdAt: string;
}

export type ChangeSetStatus = "draft" | "pending_approval" | "approved" | "applied" | "released" | "rejected" | "conflicted" | "abandoned";
/** Statuses the server still lets an editor change, apply or abandon. */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["draft", "pending_approval", "approved", "conflicted"]);

export interface Vote {
  id: string;
  revision: number;
  voter: string;
  vote: "approve" | "reject";
  comment: string | null;
  createdAt: string;
}
export interface ChangeSet {
  id: string;
  baseVersion: number;
  reason: string;
  ops: ChangeOp[];
  status: ChangeSetStatus;
  revision: number;
  sensitive: boolean;
  author: string;
  authorId: string;
  createdAt: string;
  updatedAt: string;
  appliedVersion: number | null;
  appliedAt: string | null;
  conflicts: KeyConflict[] | null;
  votes: Vote[];
}
export interface SavedChangeSet {
  id: string;
  status: ChangeSetStatus;
  sensitivity: string[];
}

// Server shapes, imported as types only: nothing of lib/changesets reaches the browser bundle.
export type { KeyConflict } from "@/lib/changesets/apply";
export type { Diagnostic } from "@/lib/policy/compile";
export type { Flip, Impact } from "@/lib/changesets/impact";

export interface Preview {
  baseVersion: number;
  headVersion: number;
  headMoved: boolean;
  diff: KeyChange[];
  conflicts: KeyConflict[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  stateConflicts: Diagnostic[];
  impact: Impact | null;
}
export interface ApplyResult {
  version: number;
  generation: number;
  changes: KeyChange[];
  rebasedFrom: number | null;
  warnings: Diagnostic[];
}

export { utc } from "@/components/ui/time";
