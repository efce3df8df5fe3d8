"use client";

import { useState, type ReactNode } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ms, pct } from "@/components/rollouts/format";
import type { ChartPoint } from "@/components/rollouts/chart-data";
import type { RolloutEvent } from "@/components/rollouts/types";
import { hhmm } from "@/components/ui/time";

// Canary and control differ in colour AND dash pattern, and the legend names them, so the
// charts read without colour vision.
const CANARY = "#ea580c";
const CONTROL = "#0284c7";
const EVENT_COLOUR: Record<RolloutEvent["kind"], string> = { start: "#64748b", advance: "#059669", pause: "#d97706", resume: "#0284c7", promote: "#059669", rollback: "#dc2626", abort: "#dc2626" };

type Fmt = (v: number) => string;

function ChartTooltip({ active, payload, label, fmt }: { active?: boolean; payload?: readonly { dataKey?: unknown; name?: unknown; value?: unknown }[]; label?: unknown; fmt: Fmt }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
      <p className="font-semibold">{hhmm(Number(label))} UTC</p>
      {payload.map((p) => (
        <p key={String(p.dataKey)}>
          {String(p.name)}: <span className="font-mono">{typeof p.value === "number" ? fmt(p.value) : "—"}</span>
        </p>
      ))}
    </div>
  );
}

export function CohortChart(props: {
  title: string;
  data: ChartPoint[];
  domain: [number, number];
  events: (RolloutEvent & { t: number })[];
  lines: { key: string; name: string; canary: boolean }[];
  fmt: Fmt;
  percentAxis?: boolean;
  /** Axis ticks without the unit, when the title carries it. */
  tickFmt?: Fmt;
  extra?: ReactNode;
}) {
  const { title, data, domain, events, lines, fmt } = props;
  const hasData = data.some((p) => lines.some((l) => typeof p[l.key] === "number"));
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="rollout-chart" aria-label={`${title}: canary against control per minute`}>
      <figcaption className="mb-2 flex items-center justify-between gap-2 text-sm font-semibold">
        {title}
        {props.extra}
      </figcaption>
      {!hasData ? (
        <p className="flex h-52 items-center justify-center rounded border border-dashed border-slate-300 px-4 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          No decisions yet in this rollout. Points appear each minute once agents decide in both cohorts.
        </p>
      ) : (
        <div className="text-slate-600 dark:text-slate-400">
          <LineChart responsive style={{ width: "100%", height: 220 }} data={data} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
            <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow tickFormatter={hhmm} stroke="currentColor" fontSize={11} />
            <YAxis stroke="currentColor" fontSize={11} width={64} tickFormatter={(v: number) => (props.tickFmt ?? (props.percentAxis ? (x: number) => pct(x, 0) : fmt))(v)} domain={props.percentAxis ? [0, (max: number) => Math.min(1, Math.max(max * 1.1, 0.05))] : [0, "auto"]} />
            <Tooltip content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} fmt={fmt} />} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {lines.map((l) => (
              <Line key={l.key} dataKey={l.key} name={l.name} type="monotone" stroke={l.canary ? CANARY : CONTROL} strokeDasharray={l.canary ? undefined : "6 4"} strokeWidth={2} dot={data.length < 10 ? { r: 3, strokeDasharray: "0", fill: l.canary ? CANARY : CONTROL } : false} connectNulls={false} isAnimationActive={false} />
            ))}
            {events.map((e, i) => (
              // Labels alternate sides of their line so two events seconds apart stay legible.
              <ReferenceLine key={`${e.kind}-${e.at}`} x={e.t} stroke={EVENT_COLOUR[e.kind]} strokeDasharray="3 3" label={{ value: e.automatic ? `${e.kind} (auto)` : e.kind, position: i % 2 ? "insideTopLeft" : "insideTopRight", fill: EVENT_COLOUR[e.kind], fontSize: 11 }} />
            ))}
          </LineChart>
        </div>
      )}
    </figure>
  );
}

const both = (metric: string) => [
  { key: `canary_${metric}`, name: "Canary", canary: true },
  { key: `stable_${metric}`, name: "Control", canary: false },
];

export function RolloutCharts({ data, domain, events }: { data: ChartPoint[]; domain: [number, number]; events: (RolloutEvent & { t: number })[] }) {
  const [q, setQ] = useState<"p50" | "p95" | "p99">("p99");
  const rateFmt = (v: number) => pct(v, 2);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <CohortChart title="Deny rate" data={data} domain={domain} events={events} lines={both("deny")} fmt={rateFmt} percentAxis />
      <CohortChart title="Error rate" data={data} domain={domain} events={events} lines={both("error")} fmt={rateFmt} percentAxis />
      <CohortChart title={`Latency ${q} (ms)`} data={data} domain={domain} events={events} lines={both(q)} fmt={ms} tickFmt={(v) => String(Number(v.toPrecision(3)))} extra={
        <span role="group" aria-label="Latency percentile" className="flex gap-1 font-normal">
          {(["p50", "p95", "p99"] as const).map((p) => (
            <button key={p} type="button" aria-pressed={q === p} onClick={() => setQ(p)} className={`rounded px-2 py-0.5 text-xs font-medium ${q === p ? "bg-sky-600 text-white" : "border border-slate-300 dark:border-slate-700"}`}>{p}</button>
          ))}
        </span>
      } />
      <CohortChart title="Task completion" data={data} domain={domain} events={events} lines={both("completion")} fmt={rateFmt} percentAxis />
    </div>
  );
}
