"use client";

import type { AccessCell, ToolAccess } from "@/lib/agents/access";
import { canaryDifferences, type CanaryDifference } from "@/lib/agents/canary-diff";
import type { LiveAccess } from "@/lib/agents/live-access";
import { Card } from "@/components/ui/card";
import { ClockIcon, StopIcon } from "@/components/ui/icons";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/empty-state";

// Glyph plus word in every cell, so a verdict never rests on colour alone.
function verdictLook(c: Pick<AccessCell, "decision" | "primitive">): { glyph: ReactNode; word: string; tone: string } {
  if (c.decision === "allow") return { glyph: "✓", word: "allowed", tone: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" };
  if (c.decision === "pending") return { glyph: <ClockIcon className="h-3 w-3" />, word: "needs approval", tone: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" };
  if (c.primitive === "kill_switch") return { glyph: <StopIcon className="h-3 w-3" />, word: "stopped", tone: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" };
  if (c.primitive === "not_allowed") return { glyph: "–", word: "not available", tone: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300" };
  return { glyph: "✕", word: `denied (${c.primitive ?? "policy"})`, tone: "bg-rose-100 text-rose-900 dark:bg-rose-950 dark:text-rose-200" };
}

function Verdict({ c }: { c: Pick<AccessCell, "decision" | "primitive"> }) {
  const v = verdictLook(c);
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${v.tone}`}>
      <span aria-hidden>{v.glyph}</span>
      {v.word}
    </span>
  );
}

function Cell({ c, difference }: { c: AccessCell; difference: CanaryDifference | undefined }) {
  return (
    <td className="px-3 py-2 align-top" data-testid={`access-${c.tenant}`}>
      <Verdict c={c} />
      {c.decision !== "allow" && c.message && <p className="mt-1 max-w-64 text-xs text-slate-600 dark:text-slate-400">{c.message}</p>}
      {c.limits.length > 0 && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">limit {c.limits.join(", ")}</p>}
      {difference && (
        <p className="mt-1 text-xs" data-testid="access-canary">
          <span className="font-medium text-violet-700 dark:text-violet-300">canary:</span>{" "}
          {difference.canary ? <Verdict c={difference.canary} /> : <><Verdict c={{ decision: "deny", primitive: "not_allowed" }} /> ({difference.why})</>}
        </p>
      )}
    </td>
  );
}

function ToolHeader({ t }: { t: ToolAccess }) {
  return (
    <th scope="row" className="px-3 py-2 text-left align-top font-normal">
      <div className="font-mono text-sm font-medium">{t.tool}</div>
      <div className="text-xs text-slate-500 dark:text-slate-400">
        {t.kind}
        {t.zone ? ` · zone ${t.zone}` : ""}
        {t.failsafe === "security_critical" ? " · security-critical (fails closed)" : ""}
      </div>
      {t.conditions.length > 0 && (
        <ul className="mt-1 max-w-80 list-disc space-y-0.5 pl-4 text-xs text-slate-600 dark:text-slate-400">
          {t.conditions.map((c) => <li key={c}>{c}</li>)}
        </ul>
      )}
    </th>
  );
}

/**
 * What the agent may call now, per tool and tenant: the engine's verdict on a plain call
 * (lib/agents/access.ts), with what a real call must also satisfy, and during a rollout the cells
 * where the candidate answers differently.
 */
export function AccessMatrix({ agent, access }: { agent: string; access: LiveAccess }) {
  const { stable, canary } = access;
  const diff = canary ? canaryDifferences(stable, canary) : { cells: [], added: [] };
  const differenceAt = (tool: string, tenant: string) => diff.cells.find((d) => d.tool === tool && d.tenant === tenant);
  return (
    <Card title={`What ${agent} may call now`}>
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        The engine&apos;s verdict on a plain call (no arguments, no target) under policy version {stable.policyVersion}, generation {stable.generation}, kill switches and modes included. A real call can still be refused by its arguments, its target or a rate counter: each tool lists what it must also satisfy.
      </p>
      {canary && (
        <p className="mb-3 rounded-md border border-violet-200 bg-violet-50 px-3 py-2 text-sm text-violet-900 dark:border-violet-900 dark:bg-violet-950 dark:text-violet-200" data-testid="access-rollout">
          A rollout sends {canary.percent}% of sessions to version {canary.policyVersion}. Cells where that version answers differently are marked <strong>canary</strong>.
        </p>
      )}
      {!stable.inPolicy ? (
        <EmptyState title={`${agent} is not in the live policy`}>Every call it makes is denied (not_allowed). An editor adds it under <code>agents</code> in a change set on the Policy page.</EmptyState>
      ) : stable.tools.length === 0 ? (
        <EmptyState title={`The policy lets ${agent} call no tools`}>An editor adds tools to <code>agents.{agent}.allowed_tools</code> in a change set on the Policy page.</EmptyState>
      ) : stable.tenants.length === 0 ? (
        <EmptyState title="The policy has no tenants">Every call names a tenant; an editor adds tenants under <code>tenants</code> on the Policy page.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="access-matrix">
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
                <th scope="col" className="px-3 py-2">Tool</th>
                {stable.tenants.map((t) => <th key={t} scope="col" className="px-3 py-2 font-mono normal-case">{t}</th>)}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {stable.tools.map((t) => (
                <tr key={t.tool} data-testid={`access-row-${t.tool}`}>
                  <ToolHeader t={t} />
                  {t.tenants.map((c) => <Cell key={c.tenant} c={c} difference={differenceAt(t.tool, c.tenant)} />)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canary && <CanaryOnly version={canary.policyVersion} added={diff.added} />}
    </Card>
  );
}

/** Tools the candidate lets the agent call that the live version does not. */
function CanaryOnly({ version, added }: { version: number; added: string[] }) {
  if (added.length === 0) return null;
  return <p className="mt-3 text-sm text-violet-900 dark:text-violet-200">Version {version} also lets it call: <span className="font-mono">{added.join(", ")}</span>.</p>;
}
