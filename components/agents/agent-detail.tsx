"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { utc } from "@/components/approvals/format";
import { AccessMatrix } from "@/components/agents/access-matrix";
import { AgentStatus } from "@/components/agents/agent-status";
import { AgreementFigures } from "@/components/agents/agreement-figures";
import { RecentDecisions } from "@/components/agents/recent-decisions";
import { StageBadge } from "@/components/agents/stage-badge";
import { pct, type AgentDetail as Detail, type Stage } from "@/components/agents/types";
import { DecisionActivity } from "@/components/overview/decision-activity";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

/**
 * One agent: whether it runs and what it is doing now, what it may call, its adoption stage, the
 * figures that justify a promotion, and who moved it when.
 */
export function AgentDetail({ name, canChange, canStop, canAudit }: { name: string; canChange: boolean; canStop: boolean; canAudit: boolean }) {
  const qc = useQueryClient();
  const toast = useToast();
  const reasonId = useId();
  const [target, setTarget] = useState<Stage | null>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const q = useQuery({ queryKey: ["agent", name], queryFn: () => api<Detail>(`/api/v1/admin/agents/${encodeURIComponent(name)}`), refetchInterval: 10_000 });
  const change = useMutation({
    mutationFn: (stage: Stage) => api(`/api/v1/admin/agents/${encodeURIComponent(name)}/stage`, { method: "POST", body: { stage, reason: reason.trim() } }),
    onSuccess: (_r, stage) => {
      toast("success", stage === "enforced" ? `${name} is enforced: its next decision binds.` : `${name} is advisory: verdicts are recorded but do not bind (kill switches still do).`);
      setTarget(null);
      setReason("");
      void qc.invalidateQueries({ queryKey: ["agent", name] });
      void qc.invalidateQueries({ queryKey: ["agents"] });
    },
    onError: (e) => toast("error", e.message),
  });
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading {name}…</p>;
  if (q.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load agent {name}: {q.error.message}</p>;
  const { agent, agreement, blast, history, access, recent, approvals } = q.data;
  const next: Stage = agent.stage === "advisory" ? "enforced" : "advisory";
  return (
    <div className="space-y-6">
      <AgentStatus agent={agent.id} recent={recent} approvals={approvals} canWrite={canStop} />
      <DecisionActivity agent={agent.id} />
      <RecentDecisions agent={agent.id} canAudit={canAudit} />
      <AccessMatrix agent={agent.id} access={access} />
      <Card title="Stage">
        <div className="flex flex-wrap items-center gap-3">
          <StageBadge stage={agent.stage} />
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {agent.stage === "advisory" ? "Verdicts come back with enforced: false and the SDK lets the call run; denials open a request so reviewers record what they would decide. Kill switches and destructive schema changes still bind." : "Every verdict binds: a deny stops the call, a pending waits for reviewers."}
          </p>
          {canChange && (
            <Button variant={next === "enforced" ? "primary" : "secondary"} className="ml-auto" onClick={() => setTarget(next)}>
              {next === "enforced" ? "Promote to enforced" : "Demote to advisory"}
            </Button>
          )}
        </div>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Advisory verdicts against human decisions">
          {agreement ? <AgreementFigures a={agreement} /> : <p className="text-sm text-slate-600 dark:text-slate-400">No advisory decisions yet. Put the agent in advisory mode to measure how often the policy agrees with the humans before enforcing it.</p>}
        </Card>
        <Card title="Predicted against observed blast radius">
          {blast.n === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">No outcome with an observed blast radius yet. Agents send <code className="font-mono">observedBlastRadius</code> with POST /api/v1/outcomes.</p>
          ) : (
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div><dt className="text-slate-500">Outcomes</dt><dd className="text-xl font-semibold">{blast.n}</dd></div>
              <div><dt className="text-slate-500">Mean absolute error</dt><dd className="text-xl font-semibold">{pct(blast.meanAbsoluteError)}</dd></div>
              <div><dt className="text-slate-500">Bias (predicted − observed)</dt><dd className="text-xl font-semibold">{blast.bias !== null && blast.bias > 0 ? "+" : ""}{pct(blast.bias)}</dd></div>
              <div><dt className="text-slate-500">Under-predicted</dt><dd className="text-xl font-semibold">{pct(blast.underPredicted, 0)}</dd></div>
            </dl>
          )}
        </Card>
      </div>
      <Card title="Stage history">
        {history.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Never changed: {agent.id} has been {agent.stage} since it was created ({utc(agent.createdAt)}).</p>
        ) : (
          <ol className="space-y-2 text-sm" data-testid="stage-history">
            {history.map((h) => (
              <li key={h.at}>
                {utc(h.at)} · <strong>{h.by}</strong> moved it from {h.from} to {h.to}
                {h.reason && <span className="text-slate-600 italic dark:text-slate-400"> — “{h.reason}”</span>}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <ConfirmDialog
        open={target !== null}
        title={target === "enforced" ? `Promote ${agent.id} to enforced?` : `Demote ${agent.id} to advisory?`}
        confirmLabel={target === "enforced" ? "Promote" : "Demote"}
        danger={target === "advisory"}
        pending={change.isPending}
        onCancel={() => {
          setTarget(null);
          setMissing(false);
        }}
        onConfirm={() => {
          setMissing(!reason.trim());
          if (target && reason.trim()) change.mutate(target);
        }}
      >
        <p>{target === "enforced" ? "From its next decision, every verdict binds." : "From its next decision, verdicts no longer bind: the agent's calls run even when the policy refuses them."}</p>
        <label htmlFor={reasonId} className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (required, audited)</label>
        <input id={reasonId} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-invalid={missing} aria-describedby={missing ? `${reasonId}-err` : undefined} placeholder="e.g. 96% agreement over 400 verdicts" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
        {missing && <p id={`${reasonId}-err`} role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400"><span aria-hidden>✕ </span>Say why: the reason is recorded in the audit log.</p>}
      </ConfirmDialog>
    </div>
  );
}
