import type { ReactNode } from "react";
import { HourglassIcon } from "@/components/approvals/glyphs";
import type { RequestStatus } from "@/components/approvals/types";
import type { RiskLevel } from "@/components/approvals/risk";

// Every badge says its meaning in text with a glyph; the colour only reinforces it.
const STATUS: Record<RequestStatus, { glyph: ReactNode; label: string; cls: string }> = {
  pending: { glyph: "◷", label: "Pending", cls: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200" },
  approved: { glyph: "✓", label: "Approved", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  rejected: { glyph: "✕", label: "Rejected", cls: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  expired: { glyph: <HourglassIcon />, label: "Expired", cls: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
};

export function StatusBadge({ status }: { status: RequestStatus }) {
  const s = STATUS[status] ?? STATUS.pending;
  return (
    <span data-testid="request-status" className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${s.cls}`}>
      <span aria-hidden>{s.glyph}</span>
      {s.label}
    </span>
  );
}

const RISK: Record<RiskLevel, { glyph: string; cls: string }> = {
  high: { glyph: "▲", cls: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200" },
  medium: { glyph: "◆", cls: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200" },
  low: { glyph: "▽", cls: "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300" },
};

export function RiskBadge({ level, score, reasons }: { level: RiskLevel; score: number; reasons: string[] }) {
  const r = RISK[level];
  return (
    <span title={reasons.join(" · ") || "no risk factors"} className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold whitespace-nowrap ${r.cls}`}>
      <span aria-hidden>{r.glyph}</span>
      {level} risk <span className="font-normal opacity-80">({score})</span>
    </span>
  );
}
