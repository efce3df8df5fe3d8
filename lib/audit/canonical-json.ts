// RFC 8785 (JCS) serialisation for what the audit chain hashes: plain JSON data (what JSON.parse
// and jsonb give back) and the fixed shape of a chain event. Hand-written because verifying a
// bundle canonicalises every event, and the general `canonicalize` package (which handles toJSON,
// boxed values and cycles, one string at a time) was the verifier's largest cost. The fast path
// copies the data with its keys inserted in JCS order and lets the native JSON.stringify write
// it: JCS adopts JSON.stringify's string escaping and number formatting (RFC 8785 §3.2.2), so only
// the key order, the refusals and the cases listed below need care. Anything else returns
// undefined and the caller falls back to `canonicalize`; canonical-json.test.ts holds the two
// byte-identical on random data.

const REFUSE = Symbol("refuse");
/** Past this depth the iterative general serializer takes over (no deep recursion here). */
const MAX_DEPTH = 100;
const has = Object.prototype.hasOwnProperty;

// V8 enumerates array-index keys ("0", "17") first and in numeric order, whatever the insertion
// order, so an object holding one cannot be written in JCS order by JSON.stringify.
const isIndexKey = (k: string) => {
  const c = k.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d*)$/.test(k);
};

function sortedCopy(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      // JCS refuses NaN and ±Infinity, which JSON.stringify would write as null.
      return Number.isFinite(v) ? v : REFUSE;
    case "object":
      break;
    default:
      return REFUSE; // undefined, functions, symbols, bigints: the general path decides
  }
  if (v === null) return null;
  if (depth >= MAX_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === "function") return REFUSE;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = sortedCopy(v[i], depth + 1);
      if (c === REFUSE) return REFUSE;
      out[i] = c;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return REFUSE; // Dates, boxed values, classes
  // Array.prototype.sort compares UTF-16 code units, the order JCS requires (§3.2.3).
  const keys = Object.keys(v).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === "__proto__" || isIndexKey(k)) return REFUSE;
    const c = sortedCopy((v as Record<string, unknown>)[k], depth + 1);
    if (c === REFUSE) return REFUSE;
    out[k] = c;
  }
  return out;
}

// JCS refuses lone surrogates; JSON.stringify escapes them as \udXXX, so any "\ud" in its output
// (rare in real text) sends the value to the general path, which refuses or writes it identically.
function stringify(copy: unknown): string | undefined {
  const s = JSON.stringify(copy);
  return s.includes("\\ud") ? undefined : s;
}

/** Canonical JSON of plain data, or undefined when the general serializer must decide. */
export function canonicalPlain(v: unknown): string | undefined {
  const copy = sortedCopy(v, 0);
  return copy === REFUSE ? undefined : stringify(copy);
}

/** True when `o` is a plain object whose own enumerable keys are exactly `keys`. */
function exactly(o: unknown, keys: readonly string[]): o is Record<string, unknown> {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return false;
  let n = 0;
  for (const k in o) {
    if (!has.call(o, k)) return false;
    n++;
  }
  if (n !== keys.length) return false;
  for (const k of keys) if (!has.call(o, k)) return false;
  return true;
}

const EVENT_KEYS = ["action", "actor", "after", "at", "before", "generation", "policyVersion", "reason", "request", "seq", "target"];
const ACTOR_KEYS = ["id", "name", "type"];
const REQUEST_KEYS = ["ip", "userAgent"];

/**
 * Canonical JSON of a chain event with exactly the HashedEvent members (event.ts), built in their
 * fixed JCS order without sorting; undefined for any other shape (an extra or missing member in a
 * tampered bundle, say), which the general path then serialises as it stands. `tail`: members
 * written after the canonical ones, in their own order (the exporter's prevHash and hash).
 */
export function canonicalEvent(e: unknown, tail?: Record<string, string>): string | undefined {
  if (!exactly(e, EVENT_KEYS) || !exactly(e.actor, ACTOR_KEYS) || !exactly(e.request, REQUEST_KEYS)) return undefined;
  const a = e.actor;
  const r = e.request;
  const out = {
    action: member(e.action), actor: { id: member(a.id), name: member(a.name), type: member(a.type) }, after: member(e.after), at: member(e.at),
    before: member(e.before), generation: member(e.generation), policyVersion: member(e.policyVersion), reason: member(e.reason),
    request: { ip: member(r.ip), userAgent: member(r.userAgent) }, seq: member(e.seq), target: member(e.target),
  };
  if (tail) Object.assign(out, tail); // string keys that are not array indexes keep insertion order
  if (refused) {
    refused = false;
    return undefined;
  }
  return stringify(out);
}

// Set by member() when a value needs the general path; checked once per event.
let refused = false;
function member(v: unknown): unknown {
  if (typeof v === "string" || v === null) return v;
  const c = sortedCopy(v, 1);
  if (c === REFUSE) refused = true;
  return c;
}
