import type { Snapshot } from "@/lib/policy/compile";
import { windowActive } from "@/lib/policy/deploy-window";
import type { Tool } from "@/lib/policy/document";

// Check 6 of evaluate(): the predicted blast radius against the tightest applicable bound. The
// prediction is the larger of the server's (from the runtime model: the share of traffic through
// the target service and everything that depends on it) and the agent's own `blastRadius`.

export interface BlastBound {
  max: number;
  /** The key path that set it, e.g. `blast_radius.services.payments.max`. */
  source: string;
}

export interface BlastAssessment {
  /** From the runtime model; undefined when the request names no service the model knows. */
  server?: number;
  agent?: number;
  /** max(server, agent); undefined when neither exists, and then nothing is checked. */
  predicted?: number;
  affected: readonly string[];
  /** Every bound that applies to this call now; `bound` is the tightest of them. */
  bounds: BlastBound[];
  bound?: BlastBound;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function predictBlastRadius(snap: Snapshot, req: { target?: { service?: string }; blastRadius?: number }): Pick<BlastAssessment, "server" | "agent" | "predicted" | "affected"> {
  const svc = req.target?.service ? snap.runtime.get(req.target.service) : undefined;
  const server = svc?.predicted;
  const agent = req.blastRadius;
  const predicted = server === undefined ? agent : agent === undefined ? server : Math.max(server, agent);
  return { server, agent, predicted, affected: svc?.affected ?? (req.target?.service ? [req.target.service] : []) };
}

export function assessBlastRadius(snap: Snapshot, req: { tool: string; target?: { service?: string }; blastRadius?: number }, tool: Tool, now: number): BlastAssessment {
  const bounds: BlastBound[] = [];
  if (tool.blast_radius) bounds.push({ max: tool.blast_radius.max, source: `tools.${req.tool}.blast_radius.max` });
  const kind = snap.blastBounds.kinds.get(tool.kind);
  if (kind !== undefined) bounds.push({ max: kind, source: `blast_radius.kinds.${tool.kind}.max` });
  const service = req.target?.service;
  const svcBound = service ? snap.blastBounds.services.get(service) : undefined;
  if (svcBound !== undefined) bounds.push({ max: svcBound, source: `blast_radius.services.${service}.max` });
  for (const w of snap.blastBounds.windows) {
    if (windowActive(w, req.tool, now)) bounds.push({ max: w.max, source: `blast_radius.windows.${w.name}.max` });
  }
  const bound = bounds.reduce<BlastBound | undefined>((tight, b) => (!tight || b.max < tight.max ? b : tight), undefined);
  return { ...predictBlastRadius(snap, req), bounds, bound };
}

/**
 * The hot-path form used by evaluate(): the same answer as blastRadiusRefusal(assessBlastRadius())
 * but without building the assessment unless the call is refused (most calls have no bound, no
 * prediction, or fit under it).
 */
export function blastRadiusCheck(snap: Snapshot, req: { tool: string; target?: { service?: string }; blastRadius?: number }, tool: Tool, now: number) {
  const service = req.target?.service;
  const server = service ? snap.runtime.get(service)?.predicted : undefined;
  const agent = req.blastRadius;
  if (server === undefined && agent === undefined) return null;
  const predicted = Math.max(server ?? 0, agent ?? 0);
  let tightest = tool.blast_radius?.max ?? Infinity;
  tightest = Math.min(tightest, snap.blastBounds.kinds.get(tool.kind) ?? Infinity, service ? (snap.blastBounds.services.get(service) ?? Infinity) : Infinity);
  for (const w of snap.blastBounds.windows) if (w.max < tightest && windowActive(w, req.tool, now)) tightest = w.max;
  if (predicted <= tightest) return null;
  return blastRadiusRefusal(assessBlastRadius(snap, req, tool, now), req.tool);
}

/** The refusal for an assessment over its bound, or null. */
export function blastRadiusRefusal(a: BlastAssessment, toolName: string) {
  if (a.predicted === undefined || !a.bound || a.predicted <= a.bound.max) return null;
  const parts = [a.server !== undefined ? `runtime model ${pct(a.server)}` : null, a.agent !== undefined ? `agent ${pct(a.agent)}` : null].filter(Boolean).join(", ");
  return {
    primitive: "blast_radius",
    message: `Predicted blast radius ${pct(a.predicted)} exceeds the bound of ${pct(a.bound.max)} for "${toolName}" (bound: ${a.bound.source}; prediction: ${parts})${a.affected.length ? `; affects ${a.affected.join(", ")}` : ""}`,
    value: a.predicted,
    bound: a.bound.max,
    affected: [...a.affected],
  };
}
