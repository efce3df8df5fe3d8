import type { Decision, Reason } from "@/lib/sdk/types";

/**
 * Thrown by guard() when Governor did not allow the call: a deny, or a pending approval (the
 * call must not run until a reviewer approves it). `primitive` names the check that refused.
 */
export class DeniedError extends Error {
  readonly decision: "deny" | "pending";
  readonly primitive: string | null;
  readonly reasons: Reason[];
  readonly decisionId: string;
  /** The whole decision, including failsafe, retryAfter and policy version. */
  readonly response: Decision;

  constructor(response: Decision & { decision: "deny" | "pending" }) {
    const why = response.reasons[0]?.message ?? "no reason given";
    super(`${response.decision === "pending" ? "Needs approval" : "Denied"} by ${response.primitive ?? "policy"}: ${why}`);
    this.name = "DeniedError";
    this.decision = response.decision;
    this.primitive = response.primitive;
    this.reasons = response.reasons;
    this.decisionId = response.decisionId;
    this.response = response;
  }
}

/**
 * Governor answered with a 4xx: the request itself is wrong (bad token, a token for another
 * agent, an invalid field). This is a bug to fix, not an outage, so it is thrown rather than
 * hidden behind a failsafe decision.
 */
export class GovernorApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: { path: string; message: string }[];

  constructor(status: number, body: { code?: string; message?: string; fields?: { path: string; message: string }[] } | undefined, path: string) {
    super(`Governor refused ${path} (${status}${body?.code ? ` ${body.code}` : ""}): ${body?.message ?? "no message"}`);
    this.name = "GovernorApiError";
    this.status = status;
    this.code = body?.code ?? "unknown";
    this.fields = body?.fields;
  }
}

/** Governor could not be reached, timed out, or answered 5xx / something unreadable. */
export class GovernorUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GovernorUnavailableError";
  }
}
