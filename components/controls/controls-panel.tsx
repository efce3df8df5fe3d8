"use client";

import { StopIcon } from "@/components/ui/icons";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RecoverDialog } from "@/components/controls/recover-dialog";
import { CONTROL_LABEL, useControls, useFlipControl, type ActiveControl } from "@/components/controls/use-controls";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

type Pending = { control: string; target?: string; label: string } | null;

// While the controls cannot be read, no state is shown as "running" or "off": during an
// incident an operator must not mistake "unknown" for "not stopped".
const UNKNOWN = <span className="text-amber-700 dark:text-amber-400">state unknown</span>;

function stateText(c: ActiveControl | undefined, known = true) {
  if (!known) return UNKNOWN;
  if (!c) return <span className="text-emerald-700 dark:text-emerald-400">● running</span>;
  return (
    <span className="text-red-700 dark:text-red-400">
      <StopIcon /> stopped by {c.setBy} at {c.setAt.slice(11, 19)} UTC{c.reason ? ` · “${c.reason}”` : ""}
    </span>
  );
}

export function ControlsPanel({ canWrite, canManageSettings }: { canWrite: boolean; canManageSettings: boolean }) {
  const controls = useControls();
  const flip = useFlipControl();
  const toast = useToast();
  const policy = useQuery({ queryKey: ["policy-head"], queryFn: () => api<{ version: { document: { tools: object; agents: object; tenants: object } } | null }>("/api/v1/admin/policy") });
  const [search, setSearch] = useState("");
  const [stopping, setStopping] = useState<Pending>(null);
  const [reason, setReason] = useState("");
  const [recovering, setRecovering] = useState<ActiveControl | null>(null);
  const [savingSetting, setSavingSetting] = useState(false);

  const active = useMemo(() => new Map((controls.data?.controls ?? []).map((c) => [`${c.control}:${c.target}`, c])), [controls.data]);
  const doc = policy.data?.version?.document;
  // The policy's names, plus any name a kill is active on that the policy does not have (a kill
  // forced ahead of a policy change, or one left after the policy dropped the name), so every
  // active kill can be seen and resumed here.
  const withKilled = (control: string, names: string[]) => {
    const extra = (controls.data?.controls ?? []).filter((c) => c.control === control && c.target && !names.includes(c.target)).map((c) => c.target);
    return { names: [...names, ...extra], outside: new Set(extra) };
  };
  const groups = [
    { title: "Tools", control: "tool_kill", ...withKilled("tool_kill", Object.keys(doc?.tools ?? {})) },
    { title: "Agents", control: "agent_kill", ...withKilled("agent_kill", Object.keys(doc?.agents ?? {})) },
    { title: "Tenants", control: "tenant_kill", ...withKilled("tenant_kill", Object.keys(doc?.tenants ?? {})) },
  ];
  const q = search.trim().toLowerCase();
  // React Query keeps the last good answer when a refetch fails: that state is shown, marked stale.
  const known = controls.data !== undefined;
  const stale = controls.isError && known;

  async function setTwoPerson(value: boolean) {
    setSavingSetting(true);
    try {
      await api("/api/v1/admin/settings", { method: "PATCH", body: { recovery_two_person: value } });
      toast("success", value ? "Lifting the global kill now needs a second operator." : "One operator can lift the global kill.");
      void controls.refetch();
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setSavingSetting(false);
    }
  }

  return (
    <div className="space-y-6">
      {controls.isError && (
        <div role="alert" data-testid="controls-load-error" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200">
          <p className="font-medium">{stale ? "The controls could not be refreshed; the state below may be out of date." : "The controls could not be loaded, so their state is unknown."}</p>
          <p className="mt-1">
            {controls.error.message}
            {stale && controls.dataUpdatedAt ? ` Last read at ${new Date(controls.dataUpdatedAt).toISOString().slice(11, 19)} UTC.` : ""} Retrying every 2 s. Agents
            keep the last policy they were given; flipping a control needs the database.
          </p>
        </div>
      )}
      <Card title="Modes">
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {(["global_kill", "read_only", "approval_all"] as const).map((mode) => {
            const c = active.get(`${mode}:`);
            return (
              <li key={mode} className="flex flex-wrap items-center gap-3 py-3" data-testid={`mode-${mode}`}>
                <div className="min-w-56 font-medium">{CONTROL_LABEL[mode]}</div>
                <div className="flex-1 text-sm">{!known ? UNKNOWN : c ? stateText(c) : <span className="text-slate-600 dark:text-slate-400">off</span>}</div>
                {canWrite && known && (c ? (
                  <Button variant="secondary" onClick={() => setRecovering(c)}>Turn off</Button>
                ) : (
                  <Button variant={mode === "global_kill" ? "danger" : "secondary"} onClick={() => setStopping({ control: mode, label: CONTROL_LABEL[mode]! })}>Turn on</Button>
                ))}
              </li>
            );
          })}
          <li className="flex flex-wrap items-center gap-3 py-3">
            <div className="min-w-56 font-medium">Two-person recovery</div>
            <div className="flex-1 text-sm text-slate-600 dark:text-slate-400">
              {!known ? UNKNOWN : controls.data?.settings.recovery_two_person ? "On: lifting the global kill needs a second operator to confirm." : "Off: one operator with a reason can lift the global kill."}
            </div>
            {canManageSettings && known && (
              <Button variant="secondary" disabled={savingSetting} onClick={() => setTwoPerson(!controls.data?.settings.recovery_two_person)}>
                {controls.data?.settings.recovery_two_person ? "Turn off" : "Turn on"}
              </Button>
            )}
          </li>
        </ul>
      </Card>

      <div>
        <label htmlFor="control-search" className="block text-sm font-medium">Find a tool, agent or tenant</label>
        <input id="control-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. refund" className="mt-1 block w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950" />
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        {groups.map((g) => {
          const names = g.names.filter((n) => n.includes(q));
          return (
            <Card key={g.control} title={g.title}>
              {policy.isPending ? (
                <p role="status" className="text-sm text-slate-500">Loading…</p>
              ) : policy.isError && !doc ? (
                <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">Could not load the policy: {policy.error.message}</p>
              ) : names.length === 0 ? (
                <p className="text-sm text-slate-500">{q ? `No ${g.title.toLowerCase()} match “${search}”.` : `No ${g.title.toLowerCase()} in the policy.`}</p>
              ) : (
                <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid={`kills-${g.control}`}>
                  {names.map((name) => {
                    const c = active.get(`${g.control}:${name}`);
                    return (
                      <li key={name} className="flex items-start gap-2 py-2">
                        <div className="flex-1">
                          <div className="font-mono text-sm font-medium">
                            {name}
                            {g.outside.has(name) && <span className="ml-2 font-sans text-xs font-normal text-slate-500 dark:text-slate-400">not in the live policy</span>}
                          </div>
                          <div className="text-xs">{stateText(c, known)}</div>
                        </div>
                        {canWrite && known && (c ? (
                          <Button variant="secondary" aria-label={`Resume ${name}`} onClick={() => flip.mutate({ control: g.control, target: name, active: false })}>Resume</Button>
                        ) : (
                          <Button variant="ghost" aria-label={`Stop ${name}`} onClick={() => setStopping({ control: g.control, target: name, label: `${g.title.slice(0, -1)} ${name}` })}>Stop</Button>
                        ))}
                      </li>
                    );
                  })}
                </ul>
              )}
            </Card>
          );
        })}
      </div>

      <ConfirmDialog
        open={stopping !== null}
        title={stopping?.control === "global_kill" ? "Stop every agent now?" : `Turn on: ${stopping?.label ?? ""}?`}
        confirmLabel="Turn on"
        danger
        pending={flip.isPending}
        onCancel={() => setStopping(null)}
        onConfirm={() =>
          stopping && flip.mutate({ control: stopping.control, target: stopping.target, active: true, reason: reason.trim() || undefined }, { onSuccess: () => { setStopping(null); setReason(""); } })
        }
      >
        <p>It applies to the next decision of every agent, on every instance.</p>
        <label htmlFor="stop-reason" className="mt-3 block font-medium text-slate-800 dark:text-slate-200">Reason (optional)</label>
        <input id="stop-reason" value={reason} onChange={(e) => setReason(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
      </ConfirmDialog>
      <RecoverDialog control={recovering} onClose={() => setRecovering(null)} />
    </div>
  );
}
