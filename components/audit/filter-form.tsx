"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { inputToIso, isoToInput } from "@/components/audit/filters";

export type FieldSpec<K extends string> =
  | { key: K; label: string; kind: "text"; placeholder?: string; hint?: string }
  | { key: K; label: string; kind: "time"; end?: boolean }
  | { key: K; label: string; kind: "select"; options: { value: string; label: string }[] };

const CONTROL = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950";

/**
 * The filter bar of one tab. Edits stay local until "Apply filters", so typing does not fire a
 * query per keystroke and the address only changes to a view someone asked for. The parent
 * remounts it (key) when the address changes, e.g. on Back.
 */
export function FilterForm<K extends string>({ label, fields, value, onApply }: { label: string; fields: FieldSpec<K>[]; value: Partial<Record<K, string>>; onApply: (next: Partial<Record<K, string>>) => void }) {
  const base = useId();
  const [draft, setDraft] = useState<Partial<Record<K, string>>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, f.kind === "time" ? isoToInput(value[f.key]) : (value[f.key] ?? "")])) as Partial<Record<K, string>>,
  );
  const active = fields.filter((f) => value[f.key]).length;

  function submit(e: FormEvent) {
    e.preventDefault();
    const next: Partial<Record<K, string>> = {};
    for (const f of fields) {
      const raw = draft[f.key]?.trim() ?? "";
      const v = f.kind === "time" ? inputToIso(raw, f.end) : raw;
      if (v) next[f.key] = v;
    }
    onApply(next);
  }

  return (
    <form role="search" aria-label={label} onSubmit={submit} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {fields.map((f) => {
          const id = `${base}-${f.key}`;
          const hintId = f.kind === "text" && f.hint ? `${id}-hint` : undefined;
          const common = { id, value: draft[f.key] ?? "", onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f.key]: e.target.value })), className: CONTROL };
          return (
            <div key={f.key}>
              <label htmlFor={id} className="block text-sm font-medium">{f.label}</label>
              {f.kind === "select" ? (
                <select {...common}>
                  {f.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                </select>
              ) : f.kind === "time" ? (
                <input {...common} type="datetime-local" />
              ) : (
                <input {...common} type={f.key === "q" ? "search" : "text"} placeholder={f.placeholder} aria-describedby={hintId} autoComplete="off" spellCheck={false} />
              )}
              {hintId && <p id={hintId} className="mt-1 text-xs text-slate-500 dark:text-slate-400">{f.kind === "text" && f.hint}</p>}
            </div>
          );
        })}
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit">Apply filters</Button>
        <Button type="button" variant="ghost" disabled={active === 0} onClick={() => onApply({})}>Clear filters</Button>
        <span className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
          {active === 0 ? "No filters: showing everything." : `${active} filter${active === 1 ? "" : "s"} applied. Copy the address to share this view.`}
        </span>
      </div>
    </form>
  );
}
