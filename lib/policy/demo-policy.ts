import type { PolicyDocumentInput } from "@/lib/policy/document";

/** Version 1 of the demo world's policy, seeded on first start. */
export const DEMO_POLICY: PolicyDocumentInput = {
  tools: {
    search_kb: { kind: "read", description: "Search the knowledge base for articles that answer a ticket.", zone: "internal", failsafe: "operational" },
    send_email: { kind: "send", description: "Send an email to the customer on the ticket.", zone: "external", failsafe: "operational" },
    refund_payment: {
      kind: "write",
      description: "Refund a customer's payment, in full or in part.",
      zone: "external",
      failsafe: "security_critical",
      reversal_required: false,
      approval: { quorum: 2, group: "reviewers", expires_in_s: 3600, reject_threshold: 1 },
    },
    restart_service: {
      kind: "write",
      description: "Restart one service in production.",
      zone: "production",
      failsafe: "operational",
      blast_radius: { max: 0.05 },
    },
    drop_table: {
      kind: "schema",
      description: "Drop a database table (destructive schema change).",
      zone: "production",
      failsafe: "security_critical",
      approval: { quorum: 1, group: "reviewers", expires_in_s: 3600, reject_threshold: 1 },
    },
  },
  agents: {
    "support-bot": { description: "Answers customer tickets.", allowed_tools: ["search_kb", "send_email", "refund_payment"] },
    "ops-bot": { description: "Keeps services healthy.", allowed_tools: ["restart_service", "drop_table"] },
  },
  tiers: {
    free: { tools: ["search_kb", "send_email", "restart_service", "drop_table"], rate_limits: { send_email: { count: 100, window_s: 3600 } } },
    pro: { tools: ["search_kb", "send_email", "refund_payment", "restart_service", "drop_table"], rate_limits: { send_email: { count: 1000, window_s: 3600 } } },
  },
  tenants: {
    acme: { tier: "pro" },
    globex: { tier: "free" },
  },
  reviewer_groups: { reviewers: ["reviewer1", "reviewer2", "reviewer3"] },
  zones: {
    names: ["internal", "external", "staging", "production", "infrastructure"],
    crossings: [
      { from: "internal", to: "external" },
      { from: "internal", to: "staging" },
      { from: "internal", to: "production" },
      { from: "staging", to: "production" },
    ],
    on_violation: "deny",
  },
  flags: {},
  change_control: {
    // Approval rules, reviewer groups and change control itself guard everything else.
    sensitive_keys: ["tools.*.approval", "reviewer_groups", "change_control"],
    sensitive_grants: true,
    quorum: 1,
    group: "reviewers",
  },
};
