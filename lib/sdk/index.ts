// The agent SDK: decisions, the guard wrapper, local evaluation and failsafe behaviour.
// It talks to Governor only over HTTP and imports nothing from the server; the policy engine it
// evaluates with (lib/policy) is pure TypeScript shared with the server.
export { createGovernor, type Governor } from "@/lib/sdk/client";
export { DeniedError, GovernorApiError, GovernorUnavailableError } from "@/lib/sdk/errors";
export type { BreakerState } from "@/lib/sdk/breaker";
export type { FailsafeCategory } from "@/lib/sdk/failsafe";
export type {
  BreakerOptions,
  DecideInput,
  Decision,
  GovernorOptions,
  Outcome,
  OutcomeReport,
  Reason,
  Snapshot,
  VisibleTool,
} from "@/lib/sdk/types";
