"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from "recharts";
import { AgreementFigures } from "@/components/agents/agreement-figures";
import { pct, type Agreement, type ErrorSummary } from "@/components/agents/types";
import { squareScale } from "@/components/calibration/scale";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

interface Point {
  decisionId: string;
  agent: string;
  tool: string;
  service: string | null;
  outcome: string;
  predicted: number;
  observed: number;
}
interface Calibration {
  blast: { points: Point[]; summary: ErrorSummary };
  agreement: (Agreement & { agent: string })[];
}

const Figure = ({ label, value, hint }: { label: string; value: string; hint: string }) => (
  <div className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
    <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
    <dd className="text-2xl font-semibold">{value}</dd>
    <dd className="text-xs text-slate-500 dark:text-slate-400">{hint}</dd>
  </div>
);

/** Memory write made visible: predicted vs observed blast radius, and advisory agreement. */
export function CalibrationView() {
  const q = useQuery({ queryKey: ["calibration"], queryFn: () => api<Calibration>("/api/v1/admin/calibration"), refetchInterval: 15_000 });
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading calibration figures…</p>;
  if (q.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load calibration figures: {q.error.message}</p>;
  const { blast, agreement } = q.data;
  const s = blast.summary;
  const scale = squareScale(Math.max(0, ...blast.points.map((p) => Math.max(p.predicted, p.observed))));
  const tick = (v: number) => pct(v, scale.digits);
  return (
    <div className="space-y-6">
      <section aria-labelledby="cal-blast" className="space-y-3">
        <h2 id="cal-blast" className="text-lg font-semibold">Predicted against observed blast radius</h2>
        <dl className="grid gap-3 sm:grid-cols-4" data-testid="blast-summary">
          <Figure label="Outcomes" value={String(s.n)} hint="with an observed blast radius" />
          <Figure label="Mean absolute error" value={pct(s.meanAbsoluteError)} hint="|predicted − observed|" />
          <Figure label="Bias" value={s.bias !== null && s.bias > 0 ? `+${pct(s.bias)}` : pct(s.bias)} hint="negative: the model under-predicts" />
          <Figure label="Under-predicted" value={pct(s.underPredicted, 0)} hint="observed larger than predicted" />
        </dl>
        {blast.points.length === 0 ? (
          <EmptyState title="No observed blast radius reported yet">
            Agents report what an action actually touched with <code className="font-mono">observedBlastRadius</code> on POST /api/v1/outcomes (the SDK&apos;s reportOutcome). Predictions come from the <Link href="/runtime-model" className="underline">runtime model</Link> and the agents.
          </EmptyState>
        ) : (
          <Card>
            <div className="h-80" role="img" aria-label={`Scatter of ${blast.points.length} actions: predicted blast radius on the x axis, observed on the y axis; points above the diagonal were under-predicted.`}>
              <ResponsiveContainer width="100%" height="100%">
                <ScatterChart margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
                  <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
                  <XAxis type="number" dataKey="predicted" name="Predicted" domain={[0, scale.top]} ticks={scale.ticks} tickFormatter={tick} label={{ value: "Predicted", position: "insideBottom", offset: -15 }} />
                  <YAxis type="number" dataKey="observed" name="Observed" domain={[0, scale.top]} ticks={scale.ticks} tickFormatter={tick} label={{ value: "Observed", angle: -90, position: "insideLeft" }} />
                  <ZAxis type="number" range={[70, 70]} />
                  <ReferenceLine segment={[{ x: 0, y: 0 }, { x: scale.top, y: scale.top }]} stroke="#94a3b8" strokeDasharray="4 4" ifOverflow="extendDomain" />
                  <Tooltip formatter={(v) => pct(Number(v))} labelFormatter={() => ""} />
                  <Scatter name="Actions" data={blast.points} fill="#0284c7" fillOpacity={0.75} stroke="#0369a1" isAnimationActive={false} />
                </ScatterChart>
              </ResponsiveContainer>
            </div>
            <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Dashed line: a perfect prediction. Points above it were under-predicted (the dangerous side). Latest {blast.points.length} outcomes{scale.top < 1 ? `; both axes run to ${tick(scale.top)}, just above the largest value` : ""}.</p>
          </Card>
        )}
      </section>
      <section aria-labelledby="cal-agree" className="space-y-3">
        <h2 id="cal-agree" className="text-lg font-semibold">Advisory agents: policy verdict against human decision</h2>
        {agreement.length === 0 ? (
          <EmptyState title="No advisory decisions yet">Put an agent in advisory mode on its <Link href="/agents" className="underline">agent page</Link>: the policy evaluates, the call runs, and reviewers&apos; votes and rollbacks show how often the policy agreed.</EmptyState>
        ) : (
          <div className="grid gap-4 lg:grid-cols-2">
            {agreement.map((a) => (
              <Card key={a.agent} title={<Link href={`/agents/${a.agent}`} className="font-mono hover:underline">{a.agent}</Link>}>
                <AgreementFigures a={a} />
              </Card>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
