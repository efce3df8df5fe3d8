// Which runtime stop covers an approval request: the queue marks such rows and the request page
// says an approval will not run while the stop holds (the server refuses it: lib/approvals/execute.ts).
import { CONTROL_LABEL, type ActiveControl } from "@/components/controls/use-controls";

const MUTATING = new Set(["write", "send", "destructive", "schema"]);

/** The stop that would refuse the request's execution now, in the server's order; `kind` undefined = not in the policy. */
export function coveringStop(controls: readonly ActiveControl[], r: { agentId: string; tenant: string; tool: string }, kind: string | undefined): ActiveControl | undefined {
  const find = (control: string, target = "") => controls.find((c) => c.control === control && c.target === target);
  return find("global_kill") ?? find("agent_kill", r.agentId) ?? find("tenant_kill", r.tenant) ?? find("tool_kill", r.tool)
    ?? (kind === undefined || MUTATING.has(kind) ? find("read_only") : undefined);
}

export const stopLabel = (stop: ActiveControl) => `${CONTROL_LABEL[stop.control] ?? stop.control}${stop.target ? `: ${stop.target}` : ""}`;
