import type { Snapshot } from "@/lib/policy/compile";
import type { Tool } from "@/lib/policy/document";
import type { SchemaStateEntry } from "@/lib/policy/overlay";

/*
 * Schema drift, for tools of kind `schema`. A request declares what it changes in its args:
 *
 *   args: {
 *     database?: "orders-db",                       // else the contract's database, else "default"
 *     changes?: [{ op, table, column?, ... }],      // op: see SCHEMA_OPS
 *     preconditions?: { tables: { orders: ["id", "customer_id"] } },
 *   }
 *
 * - Drift: the tool's contract (`tools.<t>.contract`) plus the request's own preconditions must
 *   hold against the schema this agent last reported for that database (POST
 *   /api/v1/schema-state). A missing table or column denies with primitive `schema_drift`. With no
 *   report for the database there is nothing observed to compare, so nothing is refused.
 * - Destructive changes (drop, rename, narrowing a type) always go to explicit human approval:
 *   pending with primitive `schema_drift`, whatever the tool's approval rule or approval-all mode
 *   say, even for advisory agents. A malformed `changes` or an unknown op counts as destructive:
 *   a change Governor cannot classify needs a human.
 */

/** Every op Governor knows, and whether it destroys data or breaks readers. */
export const SCHEMA_OPS: Readonly<Record<string, boolean>> = {
  create_table: false,
  add_column: false,
  widen_type: false,
  drop_column: true,
  drop_table: true,
  rename: true,
  narrow_type: true,
};

type Args = { database?: unknown; changes?: unknown; preconditions?: { tables?: unknown } };

const asArgs = (args: unknown): Args => (args && typeof args === "object" ? (args as Args) : {});

/** The destructive changes a request declares, described as `op table.column`. */
export function destructiveChanges(args: unknown): string[] {
  const { changes } = asArgs(args);
  if (changes === undefined) return [];
  if (!Array.isArray(changes)) return ["changes (not a list)"];
  const out: string[] = [];
  for (const c of changes) {
    const op = c && typeof c === "object" && typeof (c as { op?: unknown }).op === "string" ? (c as { op: string }).op : "(no op)";
    if (SCHEMA_OPS[op] === false) continue;
    const { table, column } = c as { table?: unknown; column?: unknown };
    out.push(`${op}${typeof table === "string" ? ` ${table}${typeof column === "string" ? `.${column}` : ""}` : ""}`);
  }
  return out;
}

export interface Preconditions {
  database: string;
  tables: Record<string, string[]>;
}

export function preconditionsOf(tool: Tool, args: unknown): Preconditions {
  const a = asArgs(args);
  const tables: Record<string, string[]> = {};
  const add = (src: unknown) => {
    if (!src || typeof src !== "object") return;
    for (const [t, cols] of Object.entries(src as Record<string, unknown>)) {
      const list = (tables[t] ??= []);
      if (Array.isArray(cols)) for (const c of cols) if (typeof c === "string" && !list.includes(c)) list.push(c);
    }
  };
  add(tool.contract?.tables);
  add(a.preconditions?.tables);
  const database = typeof a.database === "string" && a.database ? a.database : (tool.contract?.database ?? "default");
  return { database, tables };
}

export const schemaStateKey = (agent: string, database: string) => `${agent}\u0000${database}`;

/** Reported states as lookup tables, keyed by agent and database. */
export function compileSchemaStates(states: readonly SchemaStateEntry[] = []): ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>> {
  return new Map(states.map((s) => [schemaStateKey(s.agentId, s.database), new Map(Object.entries(s.tables).map(([t, cols]) => [t, new Set(cols)]))]));
}

/** What the preconditions need that the observed state lacks: `table (table)` or `table.column`. */
export function missingFrom(pre: Preconditions, observed: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const missing: string[] = [];
  for (const [table, cols] of Object.entries(pre.tables)) {
    const have = observed.get(table);
    if (!have) missing.push(`${table} (table)`);
    else for (const c of cols) if (!have.has(c)) missing.push(`${table}.${c}`);
  }
  return missing;
}

/** The drift refusal for a schema tool, or null when its preconditions hold (or nothing was reported). */
export function schemaDriftRefusal(snap: Snapshot, req: { agent: string; tool: string; args?: unknown }, tool: Tool) {
  if (tool.kind !== "schema") return null;
  const pre = preconditionsOf(tool, req.args);
  const observed = snap.schemaStates.get(schemaStateKey(req.agent, pre.database));
  if (!observed) return null;
  const missing = missingFrom(pre, observed);
  if (missing.length === 0) return null;
  return {
    primitive: "schema_drift",
    message: `The declared schema no longer holds in "${pre.database}" (last reported by ${req.agent}): missing ${missing.join(", ")}`,
    value: missing,
    bound: pre,
  };
}
