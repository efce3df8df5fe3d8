"use client";

import { Changed } from "@/components/policy/bits";
import { NumberInput } from "@/components/policy/number-input";
import { canonical } from "@/components/policy/pending-ops";
import type { ChangeOp } from "@/lib/changesets/ops";
import type { ApprovalRule, PolicyDocument } from "@/lib/policy/document";
import { getKey, type Json } from "@/lib/policy/keypath";

const control = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950";

/** Which tools need N-of-M reviewer approval per call: quorum, reviewer group and expiry. */
export function ApprovalRulesForm({ doc, base, onOp }: { doc: PolicyDocument; base: Json; onOp: (op: ChangeOp) => void }) {
  const groups = Object.keys(doc.reviewer_groups);
  const tools = Object.entries(doc.tools);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="approval-rules">
        <thead>
          <tr className="text-left text-slate-500 dark:text-slate-400">
            <th className="px-2 py-2 font-medium">Tool</th>
            <th className="px-2 py-2 font-medium">Needs approval</th>
            <th className="px-2 py-2 font-medium">Quorum</th>
            <th className="px-2 py-2 font-medium">Reviewer group</th>
            <th className="px-2 py-2 font-medium">Request expires after (minutes)</th>
          </tr>
        </thead>
        <tbody>
          {tools.map(([name, tool]) => {
            const key = `tools.${name}.approval`;
            const rule = tool.approval;
            // Compared canonically: the stored base keeps keys in the database's order, not the schema's.
            const changed = canonical(getKey(base, key)) !== canonical(rule);
            const setPart = (part: Partial<ApprovalRule>) => rule && onOp({ op: "set", key, value: { ...rule, ...part } });
            const groupSize = rule ? (doc.reviewer_groups[rule.group]?.length ?? 0) : 0;
            return (
              <tr key={name} className="border-t border-slate-100 dark:border-slate-800">
                <td className="px-2 py-2 font-mono">{name}{changed && <Changed />}</td>
                <td className="px-2 py-2">
                  <input
                    type="checkbox"
                    className="h-4 w-4 accent-sky-600"
                    aria-label={`${name} needs approval`}
                    checked={!!rule}
                    onChange={(e) =>
                      onOp(e.target.checked ? { op: "set", key, value: { quorum: 1, group: groups[0] ?? "reviewers", expires_in_s: 3600, reject_threshold: 1 } } : { op: "unset", key })
                    }
                  />
                </td>
                <td className="px-2 py-2">
                  {rule ? (
                    <>
                      <NumberInput label={`${name} quorum`} min={1} value={rule.quorum} onCommit={(n) => setPart({ quorum: n })} />
                      <span className={`ml-2 text-xs ${rule.quorum > groupSize ? "font-semibold text-red-700 dark:text-red-400" : "text-slate-500"}`}>
                        of {groupSize}{rule.quorum > groupSize ? " (more than the group has)" : ""}
                      </span>
                    </>
                  ) : "—"}
                </td>
                <td className="px-2 py-2">
                  {rule ? (
                    <select aria-label={`${name} reviewer group`} value={rule.group} onChange={(e) => setPart({ group: e.target.value })} className={control}>
                      {[...new Set([...groups, rule.group])].map((g) => <option key={g} value={g}>{g}</option>)}
                    </select>
                  ) : "—"}
                </td>
                <td className="px-2 py-2">
                  {rule ? <NumberInput label={`${name} expiry in minutes`} min={1} max={7 * 24 * 60} value={Math.round(rule.expires_in_s / 60)} onCommit={(n) => setPart({ expires_in_s: n * 60 })} /> : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
