import { type Json } from "@/lib/policy/keypath";

export interface KeyChange {
  key: string;
  from?: Json;
  to?: Json;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Key-by-key difference of two documents. Objects are walked; arrays and scalars are leaves,
 * so `agents.support-bot.allowed_tools` changes as one key. `from` or `to` is absent when the
 * key was added or removed.
 */
export function diffDocuments(a: Json | undefined, b: Json | undefined, prefix = ""): KeyChange[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffDocuments(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (same(a, b)) return [];
  const change: KeyChange = { key: prefix };
  if (a !== undefined) change.from = a;
  if (b !== undefined) change.to = b;
  return [change];
}
