import type { Route } from "@/lib/http/router";
import { APPROVAL_ROUTES } from "@/lib/http/routes/approvals";
import { AUDIT_ROUTES } from "@/lib/http/routes/audit";
import { CONTROL_ROUTES } from "@/lib/http/routes/controls";
import { DECISION_ROUTES } from "@/lib/http/routes/decisions";
import { IDENTITY_ROUTES } from "@/lib/http/routes/identity";
import { OVERVIEW_ROUTES } from "@/lib/http/routes/overview";
import { POLICY_ROUTES } from "@/lib/http/routes/policy";
import { ROLLOUT_ROUTES } from "@/lib/http/routes/rollouts";
import { RUNTIME_MODEL_ROUTES } from "@/lib/http/routes/runtime-model";
import { AGENT_ROUTES } from "@/lib/http/routes/agents";

/**
 * Every /api/v1/admin endpoint: its method, path, permission and handler. The permission-matrix
 * test walks this list, so a route added to any of these files is covered for every role.
 */
export const ADMIN_ROUTES: Route[] = [
  ...IDENTITY_ROUTES,
  ...AUDIT_ROUTES,
  ...CONTROL_ROUTES,
  ...POLICY_ROUTES,
  ...APPROVAL_ROUTES,
  ...DECISION_ROUTES,
  ...OVERVIEW_ROUTES,
  ...ROLLOUT_ROUTES,
  ...RUNTIME_MODEL_ROUTES,
  ...AGENT_ROUTES,
];
