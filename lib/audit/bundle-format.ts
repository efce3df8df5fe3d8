// The audit export bundle (governor-audit-bundle/1): file names, line shapes and filters, shared by
// the exporter (lib/audit/export.ts) and the offline verifier (lib/audit/verify-bundle.ts).
// Pure types and constants: the verifier must load without a database. docs/AUDIT_FORMAT.md is
// the specification; keep the two in step.
import { z } from "zod";
import type { HashedEvent } from "@/lib/audit/event";

export const BUNDLE_FORMAT = "governor-audit-bundle/1";

export const BUNDLE_FILES = {
  manifest: "manifest.json",
  events: "events.jsonl",
  csv: "events.csv",
  matched: "matched.txt",
  checkpoints: "checkpoints.jsonl",
  keys: "keys.json",
  decisions: "decisions.jsonl",
  readme: "README.md",
} as const;

/** The only names the verifier extracts; anything else in the archive is ignored. */
export const BUNDLE_FILE_NAMES: readonly string[] = Object.values(BUNDLE_FILES);

// Query strings send empty parameters as ""; treat them as unset.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());
const isoTime = z.iso.datetime({ message: "must be an ISO 8601 time, e.g. 2026-11-21T10:00:00Z" });

/**
 * Which events an export is about: the audit browser's filters (auditWhere in lib/audit/list.ts
 * turns them into the query). Every filter is optional; all given filters must hold.
 */
export const AuditFiltersSchema = z.object({
  /** Events at or after this time. */
  from: optional(isoTime),
  /** Events at or before this time. */
  to: optional(isoTime),
  /** Exact actor id or actor name. */
  actor: optional(z.string().trim().max(100)),
  /** Action prefix, e.g. "policy." */
  action: optional(z.string().trim().max(100)),
  /** Target prefix. */
  target: optional(z.string().trim().max(200)),
  /** Tool named in the event's after-state or target. */
  tool: optional(z.string().trim().max(64)),
  /** Agent that acted, or named in the event's after-state or target. */
  agent: optional(z.string().trim().max(64)),
  /** Case-insensitive substring of action, target, actor name or reason. */
  q: optional(z.string().trim().max(200)),
});
export type AuditFilters = z.output<typeof AuditFiltersSchema>;
/** What a caller may pass, e.g. `Object.fromEntries(url.searchParams)`; exportBundle parses it. */
export type AuditFiltersInput = z.input<typeof AuditFiltersSchema>;

/** One line of events.jsonl: the hashed event plus the two hashes that chain it. */
export interface BundleEvent extends HashedEvent {
  prevHash: string;
  hash: string;
}

/** One line of checkpoints.jsonl. The signature covers canonical JSON of {seq, hash, at, keyId}. */
export interface BundleCheckpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** Ed25519 signature, base64. */
  signature: string;
}

/** One entry of keys.json. */
export interface BundleKey {
  keyId: string;
  algorithm: "Ed25519" | string;
  /** SPKI PEM. */
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}

/** One line of decisions.jsonl: a sealed decision and its RFC 6962 inclusion proof. */
export interface BundleDecision {
  /** The leaf content, exactly as hashed (see decisionLeaf in lib/audit/seal.ts). */
  decision: Record<string, unknown>;
  /** Seq of the decisions.seal event whose after.root the proof leads to. */
  auditSeq: number;
  index: number;
  size: number;
  /** Sibling hashes from the leaf up, hex. */
  path: string[];
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  /** Who asked for the export, when known. Informational: not covered by any signature. */
  exportedBy: { type: string; id: string; name: string } | null;
  filters: AuditFilters;
  range: { fromSeq: number; toSeq: number; fromTime: string; toTime: string };
  counts: { events: number; matched: number; checkpoints: number; keys: number; decisions: number; batches: number };
  /** Hash of the event before fromSeq (GENESIS_HASH when fromSeq is 1). */
  prevHash: string;
  firstHash: string;
  lastHash: string;
}

export const FAILURE_KINDS = ["modified", "deleted", "inserted", "reordered", "truncated", "bad_signature", "unknown_key"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Columns of events.csv, in order. JSON-valued columns hold JSON text. */
export const CSV_COLUMNS = [
  "seq", "at", "actorType", "actorId", "actorName", "action", "target", "before", "after",
  "reason", "policyVersion", "generation", "requestIp", "userAgent", "prevHash", "hash",
] as const;

/** README.md of a bundle: what it is and how to check it without trusting whoever handed it over. */
export function bundleReadme(m: BundleManifest): string {
  const filters = Object.entries(m.filters).filter(([, v]) => v !== undefined);
  return `# Governor audit export

Format \`${m.format}\`, created ${m.createdAt}${m.exportedBy ? ` by ${m.exportedBy.name} (${m.exportedBy.type} ${m.exportedBy.id})` : ""}.

- Events: sequence ${m.range.fromSeq} to ${m.range.toSeq} (${m.range.fromTime} to ${m.range.toTime}), ${m.counts.events} in all
- Matching the filters (${filters.length ? filters.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ") : "none"}): ${m.counts.matched}, listed in matched.txt
- Signed checkpoints: ${m.counts.checkpoints}; public keys: ${m.counts.keys}
- Sealed decisions: ${m.counts.decisions} in ${m.counts.batches} batches

The range runs without gaps from the first matching event to the first signed checkpoint at or
after the last one, because a subset with holes could not be checked against the hash chain.

## Verify

    npx governor-audit-verify <this-file>.tar.gz --key governor-audit-key.pem
    # or, in a Governor checkout:
    npm run audit:verify -- <this-file>.tar.gz --key governor-audit-key.pem

The verifier needs no database and no network. It recomputes the hash of every event and its link
to the one before, checks that sequence numbers run without gaps, duplicates or reordering,
checks every checkpoint's Ed25519 signature, that each checkpoint equals the event hash at its
sequence number and that one covers the last event, and checks every decision's Merkle inclusion
proof against the root in its decisions.seal event. The first failure is named with its kind
(modified, deleted, inserted, reordered, truncated, bad_signature, unknown_key) and sequence number.

## What to trust

Trust only the public key. keys.json travels with the bundle, so whoever altered the events could
have replaced it too: get the Governor audit public key separately (GET /api/v1/audit/keys on the
live system, which needs no login, or from whoever runs it), pass it with --key, or at least
compare the key id the verifier prints with the one you obtained. events.csv is a convenience copy for spreadsheets
and is not verified; events.jsonl is what the hashes cover.

The full format is described in docs/AUDIT_FORMAT.md of the Governor repository.
`;
}
