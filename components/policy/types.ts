// Shapes of the admin API's policy and change-set responses, as the console reads them
// (see lib/http/admin-routes.ts). Dates arrive as ISO strings.
import type { ChangeOp } from "@/lib/changesets/ops";
import type { KeyChange } from "@/lib/policy/diff";

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

export type ChangeSetStatus = "draft" | "pending_approval" | "approved" | "applied" | "rejected" | "conflicted" | "abandoned";
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

export interface KeyConflict {
  key: string;
  version: number;
}
export interface Diagnostic {
  path: string;
  message: string;
}
export interface Flip {
  decisionId: string;
  at: string;
  agent: string;
  tenant: string;
  tool: string;
  from: { decision: string; primitive: string | null };
  to: { decision: string; primitive: string | null; reason: string | null };
}
export interface Impact {
  window: { since: string; until: string };
  replayed: number;
  flipped: number;
  byTool: Record<string, number>;
  byAgent: Record<string, number>;
  byPrimitive: Record<string, number>;
  byDirection: Record<string, number>;
  examples: Flip[];
  elapsedMs: number;
  note: string;
}
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

export const utc = (iso: string | null | undefined) => (iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "—");
