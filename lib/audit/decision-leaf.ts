import { hash } from "node:crypto";
import { canonicalPlain } from "@/lib/audit/canonical-json";
import { leafHash } from "@/lib/audit/merkle";

export type DecisionRow = {
  id: string; at: Date | string; agentId: string; tenant: string; session: string; tool: string; request: unknown; decision: string; primitive: string | null;
  reasons: unknown; policyVersion: number; generation: number; cohort: string; latencyUs: number; tokenId: string | null; grantId: string | null; failsafe: boolean;
};

/**
 * The leaf content of a sealed decision: the whole record, with the identities it binds (agent,
 * token, policy version and generation; approvers appear in an executed approval's reasons).
 * Accepts a stored row (Date) or the same row as JSON (ISO string), and writes absent nullable
 * members as null, so a leaf hashed from the writer's memory equals one hashed from the store.
 */
export function decisionLeaf(d: DecisionRow) {
  return {
    id: d.id, at: typeof d.at === "string" ? d.at : d.at.toISOString(), agentId: d.agentId, tenant: d.tenant, session: d.session, tool: d.tool, request: d.request ?? null,
    decision: d.decision, primitive: d.primitive ?? null, reasons: d.reasons ?? null, policyVersion: d.policyVersion, generation: d.generation,
    cohort: d.cohort, latencyUs: d.latencyUs, tokenId: d.tokenId ?? null, grantId: d.grantId ?? null, failsafe: d.failsafe ?? false,
  };
}

type Leaf = ReturnType<typeof decisionLeaf>;

const str = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : undefined);
const strOrNull = (v: unknown) => (v === null ? "null" : str(v));
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? JSON.stringify(v) : undefined);

/**
 * RFC 8785 text of a decision leaf, written member by member in its fixed key order, for the
 * writer that seals every decision as it stores it (about half the cost of the general
 * serializer, which copies and sorts every object). Undefined when a member is not of the
 * leaf's usual type; the caller then uses the general path. decision-leaf.test.ts holds the two
 * byte-identical.
 */
function canonicalLeaf(l: Leaf): string | undefined {
  const parts = [
    str(l.agentId), str(l.at), str(l.cohort), str(l.decision), typeof l.failsafe === "boolean" ? String(l.failsafe) : undefined, num(l.generation),
    strOrNull(l.grantId), str(l.id), num(l.latencyUs), num(l.policyVersion), strOrNull(l.primitive), canonicalPlain(l.reasons), canonicalPlain(l.request),
    str(l.session), str(l.tenant), strOrNull(l.tokenId), str(l.tool),
  ];
  if (parts.includes(undefined)) return undefined;
  const [agentId, at, cohort, decision, failsafe, generation, grantId, id, latencyUs, policyVersion, primitive, reasons, request, session, tenant, tokenId, tool] = parts;
  const out =
    `{"agentId":${agentId},"at":${at},"cohort":${cohort},"decision":${decision},"failsafe":${failsafe},"generation":${generation},"grantId":${grantId},` +
    `"id":${id},"latencyUs":${latencyUs},"policyVersion":${policyVersion},"primitive":${primitive},"reasons":${reasons},"request":${request},` +
    `"session":${session},"tenant":${tenant},"tokenId":${tokenId},"tool":${tool}}`;
  // JSON.stringify escapes a lone surrogate, which JCS refuses: leave those to the general path.
  return out.includes("\\ud") ? undefined : out;
}

/** The Merkle leaf hash of a decision (RFC 6962: SHA-256 of 0x00 ‖ its canonical JSON). */
export function decisionLeafHash(d: Parameters<typeof decisionLeaf>[0]): Buffer {
  const leaf = decisionLeaf(d);
  const text = canonicalLeaf(leaf);
  return text === undefined ? leafHash(leaf) : hash("sha256", "\u0000" + text, "buffer");
}
