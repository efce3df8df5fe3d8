"use client";

import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Changed } from "@/components/policy/bits";
import { flatten, show } from "@/components/policy/pending-ops";
import type { ChangeOp } from "@/lib/changesets/ops";
import type { KeyChange } from "@/lib/policy/diff";
import type { Json } from "@/lib/policy/keypath";

/**
 * Every leaf key path of the document with its value, filtered by key or value. With `onOp`
 * each value can be replaced by typing JSON; without it the view is read-only.
 */
export function KeyValueView({ doc, diff = [], onOp }: { doc: Json; diff?: readonly KeyChange[]; onOp?: (op: ChangeOp) => void }) {
  const [q, setQ] = useState("");
  const [editing, setEditing] = useState<{ key: string; text: string; error: string | null } | null>(null);
  const changes = useMemo(() => new Map(diff.map((c) => [c.key, c])), [diff]);
  const entries = useMemo(() => {
    const now = flatten(doc);
    const present = new Set(now.map((e) => e.key));
    // Keys the pending changes remove still show, so the view explains the diff.
    const removed = diff.filter((c) => c.to === undefined && !present.has(c.key)).map((c) => ({ key: c.key, value: undefined as Json | undefined }));
    return [...now, ...removed].sort((a, b) => a.key.localeCompare(b.key));
  }, [doc, diff]);
  const needle = q.trim().toLowerCase();
  const shown = needle ? entries.filter((e) => e.key.toLowerCase().includes(needle) || JSON.stringify(e.value ?? null).toLowerCase().includes(needle)) : entries;

  function save() {
    if (!editing || !onOp) return;
    try {
      onOp({ op: "set", key: editing.key, value: JSON.parse(editing.text) as Json });
      setEditing(null);
    } catch (e) {
      setEditing({ ...editing, error: `Not valid JSON: ${(e as Error).message}. Strings need double quotes, e.g. "pro".` });
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-full max-w-md">
          <label htmlFor="kv-search" className="block text-sm font-medium">Search keys and values</label>
          <input id="kv-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. globex, send_email, 3600" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
        </div>
        <p className="pb-2 text-sm text-slate-600 dark:text-slate-400" role="status">{shown.length} of {entries.length} keys</p>
      </div>
      {shown.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No key or value matches “{q}”. Try part of a name, such as a tool or tenant.</p>
      ) : (
        <div className="max-h-[36rem] overflow-auto rounded-md border border-slate-200 dark:border-slate-800">
          <table className="w-full text-sm" data-testid="kv-table">
            <thead className="sticky top-0 bg-slate-50 dark:bg-slate-900">
              <tr className="text-left text-slate-500 dark:text-slate-400">
                <th className="px-3 py-2 font-medium">Key path</th>
                <th className="px-3 py-2 font-medium">Value</th>
                {onOp && <th className="px-3 py-2"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => {
                const change = changes.get(e.key);
                const isEditing = editing?.key === e.key;
                return (
                  <tr key={e.key} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-3 py-1.5 align-top font-mono text-xs break-all">
                      {e.key}
                      {change && <Changed label={change.from === undefined ? "new" : change.to === undefined ? "removed" : "changed"} />}
                    </td>
                    <td className="px-3 py-1.5 align-top font-mono text-xs break-all">
                      {isEditing ? (
                        <div>
                          <input
                            autoFocus
                            aria-label={`New value for ${e.key} (JSON)`}
                            aria-invalid={!!editing.error}
                            value={editing.text}
                            onChange={(ev) => setEditing({ ...editing, text: ev.target.value, error: null })}
                            onKeyDown={(ev) => {
                              if (ev.key === "Enter") save();
                              if (ev.key === "Escape") setEditing(null);
                            }}
                            className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
                          />
                          {editing.error && <p role="alert" className="mt-1 font-sans text-red-700 dark:text-red-400">{editing.error}</p>}
                        </div>
                      ) : (
                        <>
                          {e.value === undefined ? <span className="text-slate-500">(removed)</span> : show(e.value)}
                          {change && change.from !== undefined && <div className="text-slate-500">was {show(change.from)}</div>}
                        </>
                      )}
                    </td>
                    {onOp && (
                      <td className="px-3 py-1 text-right align-top whitespace-nowrap">
                        {isEditing ? (
                          <>
                            <Button variant="secondary" onClick={save}>Set</Button>
                            <Button variant="ghost" onClick={() => setEditing(null)}>Cancel</Button>
                          </>
                        ) : (
                          e.value !== undefined && <Button variant="ghost" aria-label={`Edit ${e.key}`} onClick={() => setEditing({ key: e.key, text: JSON.stringify(e.value), error: null })}>Edit</Button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
