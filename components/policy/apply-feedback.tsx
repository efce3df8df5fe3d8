import type { ReactNode } from "react";
import { Notice } from "@/components/policy/bits";
import type { KeyConflict } from "@/components/policy/types";
import { ApiError } from "@/lib/client/api";

export const conflictKeys = (e: unknown): KeyConflict[] => (e instanceof ApiError && e.status === 409 && Array.isArray(e.body?.keys) ? (e.body.keys as KeyConflict[]) : []);
export const isStateConflict = (e: unknown) => e instanceof ApiError && e.status === 422 && e.body?.kind === "state_conflict";

/** A failed preview or apply, with what the server named: conflicting keys or failing key paths. */
export function ApplyFeedback({ error, conflictActions }: { error: unknown; conflictActions?: ReactNode }) {
  if (!error) return null;
  const message = (error as Error).message;
  const keys = conflictKeys(error);
  if (keys.length) {
    return (
      <Notice tone="error" title="Conflict: someone changed the same keys since your base version" testId="apply-conflict">
        <ul className="list-inside list-disc">
          {keys.map((k, i) => <li key={i}><code className="font-mono">{k.key}</code> changed in version {k.version}</li>)}
        </ul>
        <p className="mt-1">Rebase to write your operations over theirs, or drop your operations on those keys.</p>
        {conflictActions && <div className="mt-2 flex flex-wrap gap-2">{conflictActions}</div>}
      </Notice>
    );
  }
  if (error instanceof ApiError && error.status === 422) {
    const fields = error.body?.fields ?? [];
    return (
      <Notice tone="error" title={isStateConflict(error) ? "State conflict: tick “Apply anyway” to go ahead" : "The policy cannot be applied"} testId="apply-unprocessable">
        {fields.length ? (
          <ul className="list-inside list-disc">{fields.map((f, i) => <li key={i}><code className="font-mono">{f.path}</code> {f.message}</li>)}</ul>
        ) : (
          message
        )}
      </Notice>
    );
  }
  if (error instanceof ApiError && error.status === 403) return <Notice tone="error" title="Not allowed" testId="apply-forbidden">{message}</Notice>;
  return <Notice tone="error" testId="apply-error">{message}</Notice>;
}

/** The explicit opt-in for applying a lowered limit that counters already exceed. */
export function AcknowledgeStateConflicts({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-0.5 h-4 w-4 accent-sky-600" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>Apply anyway: I understand the lowered limits deny calls until their current windows reset.</span>
    </label>
  );
}
