import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { ControlKind } from "@/lib/policy/overlay";
import { headVersion, loadVersionDocument } from "@/lib/policy/versions";
import type { PolicyDocument } from "@/lib/policy/document";

const KIND_NOUN = { tool_kill: "tool", agent_kill: "agent", tenant_kill: "tenant" } as const;
type TargetedKind = keyof typeof KIND_NOUN;
const LIST_AT_MOST = 25;

function namesIn(doc: PolicyDocument, control: TargetedKind): string[] {
  if (control === "tool_kill") return Object.keys(doc.tools);
  if (control === "agent_kill") return Object.keys(doc.agents);
  return Object.keys(doc.tenants);
}

/**
 * Refuses to stop a tool, agent or tenant that nothing names: not the live policy, not the
 * candidate of an active rollout, and (for agents) no registered agent. A kill switch typed during
 * an incident with a typo ("refund_paymnet") was accepted and stopped nothing, while the console
 * showed it as active; the operator had every reason to believe the tool was stopped. `force`
 * stops a name anyway, e.g. ahead of the policy change that adds it. Lifting is never checked,
 * so a kill on a name the policy has since dropped can still be removed.
 */
export async function assertKnownTarget(tx: Tx, control: ControlKind, target: string): Promise<void> {
  if (!(control in KIND_NOUN)) return;
  const kind = control as TargetedKind;
  const head = await headVersion(tx);
  const known = new Set<string>();
  const sources: string[] = [];
  if (head !== null) {
    for (const n of namesIn(await loadVersionDocument(tx, head), kind)) known.add(n);
    sources.push(`the live policy (version ${head})`);
  }
  const rollout = await tx.rollout.findUnique({ where: { activeSlot: 1 }, select: { candidateVersion: true } });
  if (rollout) {
    for (const n of namesIn(await loadVersionDocument(tx, rollout.candidateVersion), kind)) known.add(n);
    sources.push(`the rollout candidate (version ${rollout.candidateVersion})`);
  }
  if (kind === "agent_kill") {
    for (const a of await tx.agent.findMany({ select: { id: true } })) known.add(a.id);
    sources.push("the registered agents");
  }
  if (known.has(target)) return;
  const noun = KIND_NOUN[kind];
  const names = [...known].sort();
  const listed = names.length === 0 ? `There are no ${noun}s to stop.` : `Known ${noun}s: ${names.slice(0, LIST_AT_MOST).join(", ")}${names.length > LIST_AT_MOST ? `, and ${names.length - LIST_AT_MOST} more` : ""}.`;
  const message = `is not ${noun === "agent" ? "an" : "a"} ${noun} in ${sources.join(" or ") || "any policy version"}, so stopping it would stop nothing. ${listed} Send "force": true to stop it anyway (for example ahead of the policy change that adds it).`;
  throw new AppError("validation_failed", `target: "${target}" ${message}`, { fields: [{ path: "target", message }] });
}
