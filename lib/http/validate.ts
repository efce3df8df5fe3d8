import type { z } from "zod";
import { AppError, type FieldIssue } from "@/lib/errors";

/** Formats zod issues as `field: rule` so every 400 names what was wrong. */
export function zodFields(error: z.ZodError): FieldIssue[] {
  const name = (path: PropertyKey[]) => (path.length ? path.join(".") : "(body)");
  return error.issues.flatMap((issue): FieldIssue[] =>
    // A strict object's extra keys: one issue per key, named by its own path (a misspelt
    // "recovery_two_persn"), not "(body): Unrecognized key".
    issue.code === "unrecognized_keys"
      ? issue.keys.map((k) => ({ path: name([...issue.path, k]), message: "is not a known field" }))
      : [{
          path: name(issue.path),
          // zod's wording for a missing field is "expected string, received undefined"; say it plainly.
          message: issue.code === "invalid_type" && /received undefined$/.test(issue.message) ? `is required (${issue.expected})` : issue.message,
        }],
  );
}

export const MAX_INPUT_DEPTH = 64;

/**
 * What no store write can take, found before any schema runs: the NUL character (U+0000) in a
 * string or a key, which PostgreSQL keeps in neither text nor jsonb, and nesting deeper than 64
 * levels, which the recursive JSON serialisation of a log row would overflow on. Either would
 * fail every write of the batch the request sits in (the decision log's, say) each time it was
 * retried. Walks with its own stack, so a hostile depth cannot overflow this check either.
 */
export function unstorable(input: unknown): FieldIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  const name = (path: (string | number)[]) => (path.length ? path.join(".") : "(body)");
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return { path: name(path), message: "must not contain the NUL character (\\u0000), which the store cannot keep" };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= MAX_INPUT_DEPTH) return { path: name(path), message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\u0000")) return { path: name([...path, k.replaceAll("\u0000", "\\u0000")]), message: "must not contain the NUL character (\\u0000) in a key, which the store cannot keep" };
      stack.push({ value: v, path: [...path, k] });
    }
  }
  return null;
}

/** Parses `input` with `schema`, or throws a 400 AppError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const bad = unstorable(input);
  if (bad) throw new AppError("validation_failed", `Invalid request: ${bad.path}: ${bad.message}`, { fields: [bad] });
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = zodFields(result.error);
  throw invalid(fields);
}

/** The 400 for bad input: every field and its rule, in the message and as `fields`. */
function invalid(fields: FieldIssue[]): AppError {
  return new AppError("validation_failed", `Invalid request: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`, { fields });
}

/**
 * Parses a query string against a zod object. A key the object does not name, or a key given
 * twice, is a 400 rather than ignored: a misspelt or unsupported filter would otherwise answer
 * with (or export, or count for a bulk reject) the unfiltered set as if it were the filtered one.
 * `hints` say where a key that belongs to another endpoint goes.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, params: URLSearchParams, hints: Record<string, string> = {}): z.output<S> {
  const known = Object.keys(schema.shape);
  const seen = new Set<string>();
  const fields: FieldIssue[] = [];
  for (const key of params.keys()) {
    if (seen.has(key)) {
      if (known.includes(key) && !fields.some((f) => f.path === key)) fields.push({ path: key, message: "is given more than once; give it once" });
      continue;
    }
    seen.add(key);
    if (!known.includes(key)) fields.push({ path: key, message: hints[key] ?? (known.length ? `is not a parameter of this endpoint (it takes ${known.join(", ")})` : "is not a parameter of this endpoint (it takes none)") });
  }
  if (fields.length) throw invalid(fields);
  return parseInput(schema, Object.fromEntries(params));
}
