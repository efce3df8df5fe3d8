import { VerdictBadge } from "@/components/rollouts/status-badge";
import { comparisonText, METRIC_LABEL, pct } from "@/components/rollouts/format";
import type { Comparison, Srm } from "@/components/rollouts/types";

const TEST_NAME = { two_proportion_z: "two-proportion z-test", mann_whitney_u: "Mann-Whitney U" } as const;
const BORDER: Record<Comparison["verdict"], string> = {
  worse: "border-red-300 dark:border-red-800",
  better: "border-emerald-300 dark:border-emerald-800",
  no_difference: "border-slate-200 dark:border-slate-800",
  insufficient_data: "border-dashed border-slate-300 dark:border-slate-700",
};

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex justify-between gap-2">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="font-mono tabular-nums">{value}</dd>
    </div>
  );
}

/** One tile per metric: canary, control, their difference, its 95% interval, p-value, verdict. */
export function MetricTile({ c }: { c: Comparison }) {
  const t = comparisonText(c);
  const label = METRIC_LABEL[c.metric] ?? c.metric;
  return (
    <section aria-label={`${label} comparison`} data-testid={`tile-${c.metric}`} className={`rounded-lg border bg-white p-4 shadow-sm dark:bg-slate-900 ${BORDER[c.verdict]}`}>
      <div className="flex items-start justify-between gap-2">
        <h3 className="text-sm font-semibold">{label}</h3>
        <VerdictBadge verdict={c.verdict} />
      </div>
      <dl className="mt-3 space-y-1 text-sm">
        <Row label="Canary" value={t.canary} />
        <Row label="Control" value={t.control} />
        <Row label={c.metric === "latency" ? "Difference (p50)" : "Difference"} value={t.diff} />
        <Row label={c.metric === "latency" ? "95% CI (shift)" : "95% CI"} value={t.ci95} />
        <Row label="p-value" value={t.pValue} />
      </dl>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        {TEST_NAME[c.test]}
        {c.metric === "latency" && c.ci95 ? " · interval: Hodges–Lehmann shift, to the histogram's bucket width" : ""}
        {c.verdict === "insufficient_data" ? " · needs 30+ in each cohort" : ""}
      </p>
    </section>
  );
}

/** Sample-ratio mismatch: is the observed split what the router was told to do? */
export function SrmTile({ srm }: { srm: Srm }) {
  return (
    <section aria-label="Sample ratio check" data-testid="tile-srm" className={`rounded-lg border bg-white p-4 shadow-sm dark:bg-slate-900 ${srm.mismatch ? "border-red-300 dark:border-red-800" : "border-slate-200 dark:border-slate-800"}`}>
      <div className="flex items-start justify-between gap-2">
        <h3 className="text-sm font-semibold">Sample ratio</h3>
        <span data-testid="srm-verdict" className={`inline-flex items-center gap-1 text-sm font-semibold ${srm.mismatch ? "text-red-700 dark:text-red-300" : "text-emerald-700 dark:text-emerald-300"}`}>
          <span aria-hidden>{srm.mismatch ? "⚠" : "✓"}</span>
          {srm.mismatch ? "Mismatch" : "Split as configured"}
        </span>
      </div>
      <dl className="mt-3 space-y-1 text-sm">
        <Row label="Sessions, this stage" value={`${srm.canary.toLocaleString("en-US")} canary · ${srm.stable.toLocaleString("en-US")} control`} />
        <Row label="Expected canary" value={pct(srm.expectedCanaryShare, 2)} />
        <Row label="Observed canary" value={pct(srm.observedCanaryShare, 2)} />
        <Row label="χ²" value={srm.chiSquare >= 1e6 ? "> 10⁶" : srm.chiSquare.toFixed(2)} />
        <Row label="p-value" value={srm.pValue < 0.0001 ? "< 0.0001" : srm.pValue.toFixed(4)} />
      </dl>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        {srm.mismatch
          ? "The sessions this stage routed differ from its configured share (p < 0.001): routing is not doing what it was told, or some sessions never reach Governor. Treat the comparisons above with care."
          : "Chi-square goodness of fit on the sessions this stage routed (the unit the router assigns); a mismatch is flagged at p < 0.001."}
      </p>
    </section>
  );
}
