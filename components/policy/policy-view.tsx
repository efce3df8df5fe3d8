import { Card } from "@/components/ui/card";
import type { PolicyDocument } from "@/lib/policy/document";

const cell = "px-3 py-2 align-top";
const head = "px-3 py-2 text-left font-medium text-slate-500 dark:text-slate-400";
const limit = (l?: { count: number; window_s: number }) => (l ? `${l.count} / ${l.window_s >= 3600 ? `${l.window_s / 3600} h` : `${l.window_s} s`}` : "—");

/** Read-only view of a policy document: the registry, who may call what, tiers and tenants. */
export function PolicyView({ doc }: { doc: PolicyDocument }) {
  return (
    <div className="space-y-4">
      <Card title="Tool registry">
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="tool-registry">
            <thead>
              <tr>
                <th className={head}>Tool</th><th className={head}>Kind</th><th className={head}>Zone</th><th className={head}>If Governor is down</th>
                <th className={head}>Approval</th><th className={head}>Rate limit</th><th className={head}>Blast bound</th><th className={head}>Needs</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(doc.tools).map(([name, t]) => (
                <tr key={name} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={cell}><div className="font-mono font-medium">{name}</div><div className="text-xs text-slate-500">{t.description}</div></td>
                  <td className={cell}>{t.kind}</td>
                  <td className={cell}>{t.zone ?? "—"}</td>
                  <td className={cell}>{t.failsafe === "security_critical" ? "deny (security-critical)" : "allow (operational)"}</td>
                  <td className={cell}>{t.approval ? `${t.approval.quorum} of “${t.approval.group}”` : "—"}</td>
                  <td className={cell}>{limit(t.rate_limit)}</td>
                  <td className={cell}>{t.blast_radius ? `${(t.blast_radius.max * 100).toFixed(1)}%` : "—"}</td>
                  <td className={cell}>{[t.sandbox_grant_required && "sandbox grant", (t.reversal_required ?? t.kind === "destructive") && "reversal path"].filter(Boolean).join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Agents">
          <ul className="space-y-2 text-sm">
            {Object.entries(doc.agents).map(([name, a]) => (
              <li key={name}><span className="font-mono font-medium">{name}</span> may call {a.allowed_tools.map((t) => <code key={t} className="mr-1 rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">{t}</code>)}</li>
            ))}
          </ul>
        </Card>
        <Card title="Tiers and tenants">
          <ul className="space-y-2 text-sm">
            {Object.entries(doc.tiers).map(([name, t]) => (
              <li key={name}>
                <span className="font-medium">{name}</span>: {t.tools.join(", ")}
                {Object.entries(t.rate_limits).map(([tool, l]) => <span key={tool} className="ml-2 text-xs text-slate-500">{tool} {limit(l)} per tenant</span>)}
              </li>
            ))}
          </ul>
          <p className="mt-3 text-sm">
            {Object.entries(doc.tenants).map(([name, t]) => <span key={name} className="mr-3"><span className="font-mono">{name}</span> → {t.tier}</span>)}
          </p>
        </Card>
      </div>
    </div>
  );
}
