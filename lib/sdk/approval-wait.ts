import { requestJson, type HttpOptions } from "@/lib/sdk/http";
import { ApprovalStatusSchema, DecisionSchema, type ApprovalStatus, type Decision } from "@/lib/sdk/types";

// One long-poll asks the server to hold the answer this long; the request's own deadline is a
// little longer so the server, not the client, ends a quiet wait.
const LONG_POLL_S = 25;

/**
 * Waits for reviewers on a pending decision: long-polls GET /api/v1/approvals/:id until the
 * request resolves or `waitMs` runs out, then, when approved, claims its single execution.
 * Returns the final decision (allow only when approved and not executed before).
 */
export async function waitForApproval(http: HttpOptions, pending: Decision, waitMs: number): Promise<{ decision: Decision; status: ApprovalStatus }> {
  const id = pending.approvalId!;
  const deadline = Date.now() + waitMs;
  let status: ApprovalStatus;
  for (;;) {
    const waitS = Math.max(0, Math.min(LONG_POLL_S, Math.floor((deadline - Date.now()) / 1000)));
    status = await requestJson(http, `/api/v1/approvals/${encodeURIComponent(id)}?wait=${waitS}`, { timeoutMs: waitS * 1000 + 5000, schema: ApprovalStatusSchema });
    if (status.status !== "pending" || Date.now() >= deadline) break;
  }
  if (status.status !== "approved") return { decision: pending, status };
  const executed = await requestJson(http, `/api/v1/approvals/${encodeURIComponent(id)}/execute`, { method: "POST", body: {}, timeoutMs: 5000, schema: DecisionSchema });
  return { decision: executed, status };
}
