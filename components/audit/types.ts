// Response shapes of /api/v1/admin/audit/*, as the browser receives them (dates are ISO strings).

export interface AuditEvent {
  seq: number;
  at: string;
  actorType: string;
  actorId: string;
  actorName: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  policyVersion: number | null;
  generation: number | null;
  requestIp: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
}
export type EventPage = { events: AuditEvent[]; nextCursor: string | null };

export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
  keyKnown: boolean;
  signatureValid: boolean;
  matchesChain: boolean;
}
export interface VerifyResult {
  ok: boolean;
  checked: number;
  range: { from: number; to: number };
  firstFailure?: { seq: number; kind: string; detail: string };
  checkpoint: Checkpoint | null;
}

export type Verdict = "allow" | "deny" | "pending";
export interface Decision {
  id: string;
  at: string;
  agentId: string;
  tenant: string;
  session: string;
  tool: string;
  request: unknown;
  decision: Verdict | string;
  primitive: string | null;
  reasons: unknown;
  policyVersion: number;
  generation: number;
  cohort: string;
  latencyUs: number;
  tokenId: string | null;
  grantId: string | null;
  failsafe: boolean;
  batchId: number | null;
  batchIndex: number | null;
}
export type DecisionPage = { decisions: Decision[]; nextCursor: string | null };

/** The sealed leaf (the decision as hashed), its place in the batch and the audit path. */
export interface DecisionProof {
  decision: Record<string, unknown>;
  batch: { auditSeq: number; root: string; size: number };
  index: number;
  path: string[];
}

export interface AuditKey {
  keyId: string;
  algorithm: string;
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}
