// Pure helpers for the editor's local change set: every form edit goes through withOp, so the
// pending list stays minimal (one operation per key, none that changes nothing).
import { applyOps, type ChangeOp } from "@/lib/changesets/ops";
import { getKey, type Json } from "@/lib/policy/keypath";

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Adds `next` to `ops`, replacing earlier operations on the same key or inside it. When the
 * remaining operations already produce the value (say a checkbox was ticked and unticked), the
 * operation is dropped instead.
 */
export function withOp(base: Json, ops: readonly ChangeOp[], next: ChangeOp): ChangeOp[] {
  const kept = ops.filter((o) => o.key !== next.key && !o.key.startsWith(`${next.key}.`));
  const current = getKey(applyOps(base, kept), next.key);
  const noop = next.op === "set" ? same(current, next.value) : current === undefined;
  return noop ? kept : [...kept, next];
}

export const withOps = (base: Json, ops: readonly ChangeOp[], next: readonly ChangeOp[]) => next.reduce<ChangeOp[]>((acc, op) => withOp(base, acc, op), [...ops]);

export interface FlatEntry {
  key: string;
  value: Json;
}

/** Leaf key paths of a document, the way diffDocuments sees them: arrays and scalars are leaves. */
export function flatten(doc: Json, prefix = ""): FlatEntry[] {
  if (isObject(doc) && Object.keys(doc).length > 0) {
    return Object.keys(doc)
      .sort()
      .flatMap((k) => flatten(doc[k]!, prefix ? `${prefix}.${k}` : k));
  }
  return prefix ? [{ key: prefix, value: doc }] : [];
}

/** A short, one-line rendering of a value for tables. */
export function show(v: Json | undefined): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** For array changes (tool lists), the items added and removed, which say more than the lists. */
export function arrayDelta(from: Json | undefined, to: Json | undefined): { added: string[]; removed: string[] } | null {
  if (!Array.isArray(from) || !Array.isArray(to)) return null;
  const a = from.map((x) => JSON.stringify(x));
  const b = to.map((x) => JSON.stringify(x));
  const strip = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
  return { added: b.filter((x) => !a.includes(x)).map(strip), removed: a.filter((x) => !b.includes(x)).map(strip) };
}

/** Seconds as the largest whole unit: 3600 → "1 h", 90 → "90 s". */
export function humanWindow(s: number): string {
  if (s > 0 && s % 86_400 === 0) return `${s / 86_400} d`;
  if (s > 0 && s % 3600 === 0) return `${s / 3600} h`;
  if (s > 0 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/** JSON with object keys sorted, so values compare equal whatever order a database kept them in. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
