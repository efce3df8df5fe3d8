"use client";

// Rollback thresholds the form can override; empty keeps the server's default. The defaults
// shown are the (error rate 5%, p99 2 s, deny-rate change 20% after 10 min, completion
// 90% of baseline, 5-minute window); the server applies the authoritative values.
export const TRIGGER_FIELDS = [
  { key: "maxErrorRate", label: "Max error rate (%)", placeholder: "5", scale: 0.01 },
  { key: "maxP99Ms", label: "Max p99 latency (ms)", placeholder: "2000", scale: 1 },
  { key: "maxDenyRateDelta", label: "Max deny-rate change (%)", placeholder: "20", scale: 0.01 },
  { key: "minRuntimeSec", label: "Deny-rate check after (s)", placeholder: "600", scale: 1 },
  { key: "minCompletionRatio", label: "Min completion vs baseline (%)", placeholder: "90", scale: 0.01 },
  { key: "windowSec", label: "Window (s)", placeholder: "300", scale: 1 },
] as const;

export type TriggerDraft = Partial<Record<(typeof TRIGGER_FIELDS)[number]["key"], string>>;

export function toTriggers(d: TriggerDraft): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const f of TRIGGER_FIELDS) {
    const raw = d[f.key]?.trim();
    if (raw) out[f.key] = Number((Number(raw) * f.scale).toPrecision(12));
  }
  return Object.keys(out).length ? out : undefined;
}

export function TriggerFields({ value, onChange }: { value: TriggerDraft; onChange: (d: TriggerDraft) => void }) {
  return (
    <details className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
      <summary className="cursor-pointer text-sm font-medium">Rollback triggers (optional overrides)</summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-3">
        {TRIGGER_FIELDS.map((f) => (
          <label key={f.key} className="text-sm">
            {f.label}
            <input
              type="number"
              step="any"
              min={0}
              placeholder={`default ${f.placeholder}`}
              value={value[f.key] ?? ""}
              onChange={(e) => onChange({ ...value, [f.key]: e.target.value })}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950"
            />
          </label>
        ))}
      </div>
    </details>
  );
}
