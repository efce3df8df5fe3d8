// Shapes of the admin API's approval, policy and directory answers as the console reads them
// (lib/http/routes/approvals.ts, policy.ts, identity.ts). Dates arrive as ISO strings.

export type RequestStatus = "pending" | "approved" | "rejected" | "expired";
export type RequestSource = "rule" | "approval_all" | "network_boundary" | "schema_drift" | "advisory";

export interface ActionVote {
  id: string;
  voterId: string;
  voter: string;
  vote: "approve" | "reject";
  comment: string | null;
  createdAt: string;
}

export interface ActionRequest {
  id: string;
  decisionId: string;
  agentId: string;
  tenant: string;
  session: string;
  tool: string;
  args: unknown;
  blastRadius: number | null;
  reversal: string | null;
  initiator: string | null;
  source: RequestSource;
  quorum: number;
  /** Empty for approval-all mode and zone crossings: any reviewer may vote. */
  reviewerGroup: string;
  rejectThreshold: number;
  policyVersion: number;
  generation: number;
  tokenId: string | null;
  idempotencyKey: string | null;
  /** Already "expired" when a pending request is past its expiry, before the sweeper records it. */
  status: RequestStatus;
  approvals: number;
  rejections: number;
  required: number;
  expiresAt: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  executedAt: string | null;
  votes: ActionVote[];
  /**
   * The request page's answer (not the lists'): whether the live policy would still let the
   * action run; null once it ran or can no longer run.
   */
  livePolicy?: { allows: true } | { allows: false; policyVersion: number; reason: { primitive: string; message: string } } | null;
}

/** The parts of the live policy document the approval pages read. */
export interface PolicyTool {
  kind: "read" | "write" | "send" | "destructive" | "schema";
  description?: string;
  zone?: string;
  approval?: { quorum: number; group: string; expires_in_s: number; reject_threshold: number };
  blast_radius?: { max: number };
  sandbox_grant_required?: boolean;
}
export interface PolicyDoc {
  tools: Record<string, PolicyTool>;
  agents: Record<string, { description?: string; allowed_tools: string[] }>;
  reviewer_groups: Record<string, string[]>;
}
export interface PolicyHead {
  head: number | null;
  version: { number: number; document: PolicyDoc } | null;
}

export interface Directory {
  agents: { id: string; description?: string | null }[];
  tenants: { id: string }[];
}

/** The signed-in user, as the server component hands it down. */
export interface Viewer {
  id: string;
  username: string;
  role: string;
  canVote: boolean;
}
