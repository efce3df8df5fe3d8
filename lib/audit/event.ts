import { hash } from "node:crypto";
import canonicalize from "canonicalize";
import { canonicalEvent, canonicalPlain } from "@/lib/audit/canonical-json";

export type ActorType = "user" | "agent" | "system";

export interface Actor {
  type: ActorType;
  id: string;
  name: string;
}

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

/** What a caller says happened; the chain adds seq, time and hashes. */
export interface AuditInput {
  actor: Actor;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  policyVersion?: number;
  generation?: number;
  request?: RequestMeta;
}

/** The exact object whose canonical JSON is hashed. Missing values are null, never absent. */
export interface HashedEvent {
  seq: number;
  at: string;
  actor: Actor;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  policyVersion: number | null;
  generation: number | null;
  request: { ip: string | null; userAgent: string | null };
}

export const GENESIS_HASH = "0".repeat(64);

/** JSON round trip: drops undefined and turns Dates into strings, as jsonb storage would. */
export function toJsonValue(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/**
 * RFC 8785 (JCS) canonical JSON, so any verifier in any language gets the same bytes. Plain JSON
 * data takes the fast path (canonical-json.ts); anything else goes to the general `canonicalize`.
 */
export function canonicalJson(value: unknown): string {
  const fast = canonicalPlain(value);
  if (fast !== undefined) return fast;
  const out = canonicalize(value);
  if (out === undefined) throw new Error("value cannot be represented as canonical JSON");
  return out;
}

/** hash = SHA-256(prevHash ‖ canonical JSON of the event), hex encoded (one-shot: about half the cost of createHash here). */
export function chainHash(prevHash: string, event: HashedEvent): string {
  return hash("sha256", prevHash + (canonicalEvent(event) ?? canonicalJson(event)), "hex");
}

/**
 * The event's canonical JSON split around the value of its `seq`: text = pre ‖ seq ‖ post. The
 * store hashes events onto the chain head with it (governor_audit_chain, in the migrations), once
 * it knows the seq, so hash = SHA-256(prevHash ‖ pre ‖ seq ‖ post) is chainHash's input exactly.
 * "seq" is the second-to-last member and "target", a string, the last, so the final
 * `"seq":…,"target":` is this event's own (a quote inside the target string is escaped).
 */
export function chainTemplate(event: HashedEvent): { pre: string; post: string } {
  const text = canonicalEvent(event) ?? canonicalJson(event);
  const seq = `"seq":${event.seq}`;
  const at = text.lastIndexOf(`${seq},"target":`);
  if (at < 0) throw new Error("canonical event without its seq before its target");
  return { pre: text.slice(0, at + 6), post: text.slice(at + seq.length) };
}
