import { pct, type Agreement } from "@/components/agents/types";

const ROWS = [
  ["allow", "Allowed", "stood", "rolled back"],
  ["deny", "Denied", "approved anyway", "rejected"],
  ["pending", "Held for approval", "approved", "rejected"],
] as const;

/** How an advisory agent's verdicts compared with what humans decided (definitions in lib/calibration/summary.ts). */
export function AgreementFigures({ a }: { a: Agreement }) {
  return (
    <div className="space-y-3 text-sm">
      <p>
        <strong className="text-2xl" data-testid="agreement-rate">{pct(a.agreementRate, 0)}</strong> agreement over {a.decided} decided verdict{a.decided === 1 ? "" : "s"} ({a.agreed} agreed, {a.disagreed} disagreed; {a.decisions} advisory decisions in all).
      </p>
      <table className="w-full text-left text-xs">
        <caption className="sr-only">Advisory verdicts against human decisions</caption>
        <thead className="text-slate-500 dark:text-slate-400">
          <tr><th scope="col" className="py-1 font-medium">Policy said</th><th scope="col" className="py-1 font-medium">Humans let it run</th><th scope="col" className="py-1 font-medium">Humans stopped it</th><th scope="col" className="py-1 font-medium">Not decided yet</th></tr>
        </thead>
        <tbody>
          {ROWS.map(([k, label, run, stop]) => (
            <tr key={k} className="border-t border-slate-100 dark:border-slate-800">
              <th scope="row" className="py-1 font-medium">{label}</th>
              <td className="py-1">{a.byVerdict[k].run} <span className="text-slate-500 dark:text-slate-400">{run}</span></td>
              <td className="py-1">{a.byVerdict[k].stop} <span className="text-slate-500 dark:text-slate-400">{stop}</span></td>
              <td className="py-1">{a.byVerdict[k].undecided}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500 dark:text-slate-400">Agreement counts allow ↔ let run and deny ↔ stopped. A held-for-approval verdict hands the call to humans by design, so it is shown but not counted.</p>
    </div>
  );
}
