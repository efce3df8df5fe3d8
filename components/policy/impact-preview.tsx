import { Notice } from "@/components/policy/bits";
import { DiffTable } from "@/components/policy/diff-table";
import type { Diagnostic, Impact, Preview } from "@/components/policy/types";

const th = "px-2 py-1.5 text-left font-medium text-slate-500 dark:text-slate-400";
const td = "px-2 py-1.5 align-top";

function Breakdown({ title, counts }: { title: string; counts: Record<string, number> }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <div>
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{title}</h4>
      {rows.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">—</p>
      ) : (
        <ul className="mt-1 space-y-0.5 text-sm">
          {rows.map(([k, n]) => (
            <li key={k} className="flex justify-between gap-3"><span className="font-mono text-xs">{k}</span><span className="tabular-nums">{n}</span></li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Diagnostics({ title, tone, items, testId }: { title: string; tone: "error" | "warning"; items: Diagnostic[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <Notice tone={tone} title={title} testId={testId}>
      <ul className="list-inside list-disc">
        {items.map((d, i) => <li key={i}><code className="font-mono">{d.path}</code> {d.message}</li>)}
      </ul>
    </Notice>
  );
}

function ImpactSummary({ impact }: { impact: Impact }) {
  return (
    <div className="space-y-4" data-testid="impact">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          ["Decisions replayed", impact.replayed],
          ["Verdicts that flip", impact.flipped],
          ["Window", `last ${Math.round((Date.parse(impact.window.until) - Date.parse(impact.window.since)) / 3_600_000)} h to ${impact.window.until.slice(11, 16)} UTC`],
          ["Replay took", `${impact.elapsedMs} ms`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800">
            <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={label === "Decisions replayed" ? "impact-replayed" : label === "Verdicts that flip" ? "impact-flipped" : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      {impact.replayed === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">No decisions were recorded in this window, so there is nothing to replay yet.</p>}
      {impact.flipped > 0 && (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Breakdown title="Direction" counts={impact.byDirection} />
            <Breakdown title="By tool" counts={impact.byTool} />
            <Breakdown title="By agent" counts={impact.byAgent} />
            <Breakdown title="By primitive" counts={impact.byPrimitive} />
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="impact-examples">
              <caption className="mb-1 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Examples (up to 10)</caption>
              <thead>
                <tr><th className={th}>When</th><th className={th}>Agent</th><th className={th}>Tenant</th><th className={th}>Tool</th><th className={th}>Now</th><th className={th}>After the change</th></tr>
              </thead>
              <tbody>
                {impact.examples.slice(0, 10).map((f) => (
                  <tr key={f.decisionId} className="border-t border-slate-100 dark:border-slate-800">
                    <td className={`${td} text-xs whitespace-nowrap`}>{f.at.slice(11, 19)}</td>
                    <td className={`${td} font-mono text-xs`}>{f.agent}</td>
                    <td className={`${td} font-mono text-xs`}>{f.tenant}</td>
                    <td className={`${td} font-mono text-xs`}>{f.tool}</td>
                    <td className={td}>{f.from.decision}{f.from.primitive && <span className="text-xs text-slate-500"> ({f.from.primitive})</span>}</td>
                    <td className={td}>
                      <strong>{f.to.decision}</strong>{f.to.primitive && <span className="text-xs text-slate-500"> ({f.to.primitive})</span>}
                      {f.to.reason && <div className="text-xs text-slate-600 dark:text-slate-400">{f.to.reason}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">{impact.note}</p>
    </div>
  );
}

/** What the server says applying would do: conflicts, compiler output, state conflicts, impact. */
export function ImpactPreview({ preview, showDiff }: { preview: Preview; showDiff?: boolean }) {
  return (
    <div className="space-y-4" data-testid="preview">
      {preview.headMoved && (
        <Notice tone={preview.conflicts.length ? "error" : "info"} title={`The live policy is version ${preview.headVersion}; this change set was written against version ${preview.baseVersion}.`}>
          {preview.conflicts.length ? (
            <>
              These keys changed since then and overlap this change set:
              <ul className="mt-1 list-inside list-disc">{preview.conflicts.map((c, i) => <li key={i}><code className="font-mono">{c.key}</code> (changed in version {c.version})</li>)}</ul>
            </>
          ) : (
            "No operation touches a key changed since then, so applying rebases it automatically."
          )}
        </Notice>
      )}
      <Diagnostics title="Errors: the compiler refuses this policy" tone="error" items={preview.errors} testId="preview-errors" />
      <Diagnostics title="State conflicts: a lowered limit is already exceeded" tone="warning" items={preview.stateConflicts} testId="preview-state-conflicts" />
      <Diagnostics title="Warnings" tone="warning" items={preview.warnings} testId="preview-warnings" />
      {(showDiff || preview.headMoved) && (
        <div>
          <h3 className="mb-1 text-sm font-semibold">Against live version {preview.headVersion}</h3>
          <DiffTable changes={preview.diff} empty="This change set changes nothing against the live policy." />
        </div>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold">Impact on recorded decisions</h3>
        {preview.impact ? <ImpactSummary impact={preview.impact} /> : <p className="text-sm text-slate-600 dark:text-slate-400">Not computed: fix the errors above first.</p>}
      </div>
    </div>
  );
}
