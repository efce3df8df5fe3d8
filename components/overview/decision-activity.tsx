"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Segmented } from "@/components/ui/segmented";
import { api } from "@/lib/client/api";
import type { Activity } from "@/lib/decisions/activity";
import { dayHhmm, hhmm } from "@/components/ui/time";

const RANGES = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 360, label: "6 h" },
  { minutes: 1440, label: "24 h" },
] as const;

// Mid-tone colours read on both the light and the dark background; the totals above the chart
// and the tooltip carry the words, so colour is never the only signal.
const SERIES = [
  { key: "allow", label: "Allowed", color: "#10b981" },
  { key: "pending", label: "Pending approval", color: "#f59e0b" },
  { key: "deny", label: "Denied", color: "#f43f5e" },
] as const;


/**
 * Live decision traffic: verdicts over time and what refused most, refreshed every 5 s. With
 * `agent`, only that agent's decisions (the agent page).
 */
export function DecisionActivity({ agent }: { agent?: string } = {}) {
  const [minutes, setMinutes] = useState<number>(15);
  const q = useQuery({
    queryKey: ["decision-activity", minutes, agent ?? null],
    queryFn: () => api<Activity>(`/api/v1/admin/decisions/activity?minutes=${minutes}${agent ? `&agent=${encodeURIComponent(agent)}` : ""}`),
    refetchInterval: 5000,
  });
  const data = q.data;
  const total = data ? data.totals.allow + data.totals.deny + data.totals.pending : 0;
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-300">{agent ? `Decisions by ${agent}` : "Decisions"}</h2>
        <Segmented label="Time range" options={RANGES.map((r) => ({ value: r.minutes, label: r.label }))} value={minutes} onChange={setMinutes} />
      </div>
      {q.isPending && <div className="h-64 animate-pulse rounded-md bg-slate-100 dark:bg-slate-800" aria-label="Loading decisions" />}
      {q.isError && <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">Could not load decisions: {q.error.message}</p>}
      {data && total === 0 && (
        <EmptyState title={agent ? `${agent} asked nothing in this range` : "No decisions in this range"}>
          {agent ? <>A wider range shows older traffic. An agent asks before each tool call with <code>POST /api/v1/decide</code> or the SDK, with a token an admin creates on the Admin page.</> : <>Agents ask Governor before each tool call with <code>POST /api/v1/decide</code> or the SDK. Try <code>npm run simulate</code> to see traffic here.</>}
        </EmptyState>
      )}
      {data && total > 0 && (
        <div className="grid gap-4 lg:grid-cols-[1fr_16rem]">
          <div>
            <dl className="mb-3 flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="decision-totals">
              {SERIES.map((s) => (
                <div key={s.key} className="flex items-baseline gap-1.5">
                  <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: s.color }} />
                  <dt className="text-slate-600 dark:text-slate-400">{s.label}</dt>
                  <dd className="font-semibold tabular-nums">{data.totals[s.key].toLocaleString()}</dd>
                </div>
              ))}
              {data.totals.failsafe > 0 && (
                <div className="flex items-baseline gap-1.5">
                  <dt className="text-slate-600 dark:text-slate-400">Failsafe</dt>
                  <dd className="font-semibold tabular-nums">{data.totals.failsafe.toLocaleString()}</dd>
                </div>
              )}
            </dl>
            <div className="h-64" role="img" aria-label={`Decisions per ${data.bucketSeconds} seconds: ${data.totals.allow} allowed, ${data.totals.pending} pending, ${data.totals.deny} denied`}>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={data.buckets} margin={{ top: 4, right: 8, bottom: 0, left: -16 }} barCategoryGap={1}>
                  <CartesianGrid strokeDasharray="3 3" stroke="currentColor" className="text-slate-200 dark:text-slate-800" />
                  <XAxis dataKey="at" tickFormatter={(v: string) => (minutes > 360 ? dayHhmm(v) : hhmm(v))} minTickGap={40} tick={{ fontSize: 11, fill: "#64748b" }} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} />
                  <Tooltip labelFormatter={(v) => `${dayHhmm(String(v))} UTC`} contentStyle={{ fontSize: 12 }} cursor={{ fillOpacity: 0.1 }} />
                  {SERIES.map((s) => (
                    <Bar key={s.key} dataKey={s.key} name={s.label} stackId="v" fill={s.color} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
            <p className="mt-1 text-right text-xs text-slate-500 dark:text-slate-400">Times in UTC</p>
          </div>
          <div className="space-y-4 text-sm">
            <TopList title="Refused by" rows={data.denyPrimitives.map((p) => ({ name: p.primitive, count: p.count }))} />
            <TopList title="Most denied tools" rows={data.deniedTools.map((t) => ({ name: t.tool, count: t.count }))} />
          </div>
        </div>
      )}
    </Card>
  );
}

function TopList({ title, rows }: { title: string; rows: { name: string; count: number }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <div>
      <h3 className="mb-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-slate-500 dark:text-slate-400">No denials in this range.</p>
      ) : (
        <ul className="space-y-1.5">
          {rows.map((r) => (
            <li key={r.name}>
              <div className="flex justify-between gap-2">
                <span className="truncate font-mono text-xs">{r.name}</span>
                <span className="tabular-nums">{r.count.toLocaleString()}</span>
              </div>
              <div aria-hidden className="mt-0.5 h-1 rounded bg-slate-100 dark:bg-slate-800">
                <div className="h-1 rounded bg-rose-400" style={{ width: `${(r.count / max) * 100}%` }} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
