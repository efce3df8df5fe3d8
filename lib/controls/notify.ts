// What the team channel hears when an operator stops or resumes agents. A kill in production is
// news for everyone on the incident, not only for whoever has the console open; the same
// webhooks as approvals and rollbacks carry it (Settings → approval_webhooks), queued in the
// control's own transaction so only a committed flip is announced.
import type { Tx } from "@/lib/db/client";
import { enqueueWebhooks, slackMessage } from "@/lib/notify/webhooks";
import type { ControlKind } from "@/lib/policy/overlay";

const WHAT: Record<ControlKind, (target: string) => string> = {
  global_kill: () => "Global kill switch: every agent's calls are denied",
  agent_kill: (t) => `Agent *${t}* stopped: its calls are denied`,
  tenant_kill: (t) => `Tenant *${t}* stopped: calls for it are denied`,
  tool_kill: (t) => `Tool *${t}* stopped: calls to it are denied`,
  read_only: () => "Read-only mode: every write, send, destructive and schema tool is denied",
  approval_all: () => "Approval-all mode: every call waits for reviewers",
};

const LIFTED: Record<ControlKind, (target: string) => string> = {
  global_kill: () => "Global kill switch lifted: agents resume",
  agent_kill: (t) => `Agent *${t}* resumed`,
  tenant_kill: (t) => `Tenant *${t}* resumed`,
  tool_kill: (t) => `Tool *${t}* resumed`,
  read_only: () => "Read-only mode off",
  approval_all: () => "Approval-all mode off",
};

export interface ControlNotice {
  kind: "activated" | "lifted" | "recovery_requested" | "recovery_cancelled";
  control: ControlKind;
  target: string;
  by: string;
  reason?: string | null;
}

/** Queues `control.<kind>` to every configured webhook inside the caller's transaction. */
export async function notifyControl(tx: Tx, n: ControlNotice): Promise<void> {
  const text =
    n.kind === "activated" ? `:rotating_light: ${WHAT[n.control](n.target)} (by ${n.by})`
    : n.kind === "lifted" ? `:large_green_circle: ${LIFTED[n.control](n.target)} (by ${n.by})`
    : n.kind === "recovery_requested" ? `:hourglass: ${n.by} asked to lift the global kill switch; a second operator must confirm`
    : `:no_entry: The request to lift the global kill switch was cancelled by ${n.by}; the kill stays`;
  await enqueueWebhooks(tx, `control.${n.kind}`, { ...slackMessage(text, n.reason ?? undefined), control: n.control, target: n.target || null, by: n.by });
}
