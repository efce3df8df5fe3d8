import { z } from "zod";
import type { KeyChange } from "@/lib/policy/diff";
import { setKey, unsetKey, type Json } from "@/lib/policy/keypath";

const Key = z
  .string()
  .min(1, "is required")
  .max(300, "must be at most 300 characters")
  .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/, "must be a dotted key path such as tenants.acme.tier");

export const ChangeOp = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), key: Key, value: z.json({ error: "is required for set: the new value" }) }),
  z.object({ op: z.literal("unset"), key: Key }),
], { error: 'op must be "set" or "unset"' });
export type ChangeOp = z.infer<typeof ChangeOp>;

export const ChangeOps = z.array(ChangeOp).min(1, "must hold at least one operation").max(500, "must hold at most 500 operations");

export function applyOps(doc: Json, ops: readonly ChangeOp[]): Json {
  return ops.reduce<Json>((d, o) => (o.op === "set" ? setKey(d, o.key, o.value as Json) : unsetKey(d, o.key)), doc);
}

/** The operations that turn one document into another (used by revert). */
export function opsFromDiff(changes: readonly KeyChange[]): ChangeOp[] {
  return changes.map((c) => (c.to === undefined ? { op: "unset", key: c.key } : { op: "set", key: c.key, value: c.to }));
}
