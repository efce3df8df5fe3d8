import type { z } from "zod";
import { AppError, type FieldIssue } from "@/lib/errors";

/** Formats zod issues as `field: rule` so every 400 names what was wrong. */
export function zodFields(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join(".") : "(body)",
    // zod's wording for a missing field is "expected string, received undefined"; say it plainly.
    message: issue.code === "invalid_type" && /received undefined$/.test(issue.message) ? `is required (${issue.expected})` : issue.message,
  }));
}

/** Parses `input` with `schema`, or throws a 400 AppError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = zodFields(result.error);
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join("; ");
  throw new AppError("validation_failed", `Invalid request: ${summary}`, { fields });
}
