// Key paths are the policy document's own structure written with dots:
// `tenants.acme.tier`, `agents.support-bot.allowed_tools`, `tools.refund_payment.approval.quorum`.
// Names in the document never contain dots (see Name in document.ts), so a path splits cleanly.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const splitKey = (key: string): string[] => key.split(".");

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export function getKey(doc: Json, key: string): Json | undefined {
  let cur: Json | undefined = doc;
  for (const part of splitKey(key)) {
    if (!isObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Returns a copy of `doc` with `key` set, creating intermediate objects as needed. */
export function setKey(doc: Json, key: string, value: Json): Json {
  const parts = splitKey(key);
  const root: Record<string, Json> = isObject(doc) ? { ...doc } : {};
  let cur = root;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      cur[part] = value;
      return;
    }
    const next = cur[part];
    const copy: Record<string, Json> = isObject(next) ? { ...next } : {};
    cur[part] = copy;
    cur = copy;
  });
  return root;
}

/** Returns a copy of `doc` without `key`; unsetting a missing key is a no-op. */
export function unsetKey(doc: Json, key: string): Json {
  const parts = splitKey(key);
  if (!isObject(doc)) return doc;
  const root: Record<string, Json> = { ...doc };
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]!];
    if (!isObject(next)) return root;
    const copy = { ...next };
    cur[parts[i]!] = copy;
    cur = copy;
  }
  delete cur[parts[parts.length - 1]!];
  return root;
}

/** Two keys overlap when one is the other or lies inside it. */
export function keysOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Glob over key segments: `*` matches exactly one segment (`agents.*.allowed_tools`). */
export function keyMatches(pattern: string, key: string): boolean {
  const p = splitKey(pattern);
  const k = splitKey(key);
  // A pattern is a prefix: `tools.*.approval` covers `tools.x.approval.quorum`, and a key that
  // is a parent of the pattern (`tools.x`) covers it too, since setting it may change it.
  const n = Math.min(p.length, k.length);
  for (let i = 0; i < n; i++) if (p[i] !== "*" && p[i] !== k[i]) return false;
  return true;
}
