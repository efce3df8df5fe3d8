"use client";

import { Changed } from "@/components/policy/bits";
import { MUTATING_KINDS, type PolicyDocument } from "@/lib/policy/document";

/**
 * A rows × tools grid of checkboxes over one string list per row (an agent's allowed_tools,
 * a tier's tools). Each toggle sets the whole list, so one row is one key path.
 */
export function ToolGrid(props: {
  caption: string;
  rowLabel: string;
  rows: string[];
  doc: PolicyDocument;
  /** The tool list of a row now, and at the base version. */
  list: (row: string) => string[];
  baseList: (row: string) => string[] | undefined;
  keyOf: (row: string) => string;
  onSet: (key: string, value: string[]) => void;
}) {
  const tools = Object.keys(props.doc.tools);
  if (props.rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">None defined yet. Add one in the JSON tab.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={`grid-${props.rowLabel.toLowerCase()}`}>
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="px-2 py-2 text-left font-medium text-slate-500 dark:text-slate-400">{props.rowLabel}</th>
            {tools.map((t) => {
              const kind = props.doc.tools[t]!.kind;
              return (
                <th key={t} scope="col" className="px-2 py-2 text-center align-bottom font-medium">
                  <div className="font-mono text-xs">{t}</div>
                  <div className={`text-[11px] font-normal ${MUTATING_KINDS.has(kind) ? "text-amber-700 dark:text-amber-400" : "text-slate-500"}`}>
                    {kind}
                    {MUTATING_KINDS.has(kind) && <span title="Granting it needs reviewer approval"> · review</span>}
                  </div>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const list = props.list(row);
            const before = props.baseList(row);
            const changed = before === undefined || JSON.stringify(before) !== JSON.stringify(list);
            return (
              <tr key={row} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="px-2 py-2 text-left font-mono text-sm font-medium whitespace-nowrap">
                  {row}
                  {changed && <Changed />}
                </th>
                {tools.map((t) => {
                  const on = list.includes(t);
                  const was = before?.includes(t) ?? false;
                  return (
                    <td key={t} className={`px-2 py-2 text-center ${on !== was ? "bg-amber-50 dark:bg-amber-950/40" : ""}`}>
                      <input
                        type="checkbox"
                        className="h-4 w-4 accent-sky-600"
                        aria-label={`${row}: ${t}`}
                        checked={on}
                        onChange={(e) => props.onSet(props.keyOf(row), e.target.checked ? [...list, t] : list.filter((x) => x !== t))}
                      />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
