import type { KeyChange } from "@/lib/policy/diff";
import { arrayDelta, show } from "@/components/policy/pending-ops";

const th = "px-2 py-1.5 text-left font-medium text-slate-500 dark:text-slate-400";
const td = "px-2 py-1.5 align-top";

/** Key-by-key changes, from → to. Lists also say which items came and went. */
export function DiffTable({ changes, testId, empty = "No differences." }: { changes: readonly KeyChange[]; testId?: string; empty?: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-sm" data-testid={testId}>
        <thead>
          <tr>
            <th className={`${th} w-[30%]`}>Key</th>
            <th className={`${th} w-[33%]`}>From</th>
            <th className={`${th} w-6`}><span className="sr-only">becomes</span></th>
            <th className={th}>To</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => {
            const delta = arrayDelta(c.from, c.to);
            return (
              <tr key={c.key} className="border-t border-slate-100 dark:border-slate-800">
                <td className={`${td} font-mono text-xs break-all`}>{c.key}</td>
                <td className={`${td} font-mono text-xs break-all text-red-800 dark:text-red-300`}>{show(c.from)}</td>
                <td className={`${td} text-slate-400`} aria-hidden>→</td>
                <td className={`${td} font-mono text-xs break-all text-emerald-800 dark:text-emerald-300`}>
                  {show(c.to)}
                  {delta && (delta.added.length > 0 || delta.removed.length > 0) && (
                    <div className="mt-0.5 font-sans text-slate-600 dark:text-slate-400">
                      {delta.added.map((a) => <span key={`+${a}`} className="mr-2">+ {a}</span>)}
                      {delta.removed.map((r) => <span key={`-${r}`} className="mr-2">− {r}</span>)}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
