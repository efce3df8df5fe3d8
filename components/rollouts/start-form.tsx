"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { AcknowledgeStateConflicts, ApplyFeedback, isStateConflict } from "@/components/policy/apply-feedback";
import { DEFAULT_STAGES, StagesEditor, toStages, type StageDraft } from "@/components/rollouts/stages-editor";
import { toTriggers, TriggerFields, type TriggerDraft } from "@/components/rollouts/trigger-fields";
import { useStartRollout } from "@/components/rollouts/use-rollouts";
import type { StartInput, Strategy } from "@/components/rollouts/types";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/client/api";

/** Why the server refused the start: its message, and each field it named. */
function StartError({ error }: { error: unknown }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? (error.body?.fields ?? []) : [];
  return (
    <div role="alert" data-testid="start-error" className="rounded-md border-l-4 border-red-500 bg-red-50 px-4 py-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
      <p className="font-semibold">The rollout did not start: {(error as Error).message}</p>
      {fields.length > 0 && <ul className="mt-1 list-inside list-disc">{fields.map((f, i) => <li key={i}><code className="font-mono">{f.path}</code> {f.message}</li>)}</ul>}
    </div>
  );
}

/** Start a rollout from a change set (released without moving the head) or an existing version. */
export function StartRolloutForm({ changeSetId, disabledReason }: { changeSetId?: string; disabledReason?: string }) {
  const router = useRouter();
  const toast = useToast();
  const start = useStartRollout();
  const [source, setSource] = useState<"changeSet" | "version">(changeSetId ? "changeSet" : "version");
  const [csId, setCsId] = useState(changeSetId ?? "");
  const [version, setVersion] = useState("");
  const [strategy, setStrategy] = useState<Strategy>("canary");
  const [stages, setStages] = useState<StageDraft[]>(DEFAULT_STAGES.canary);
  const [triggers, setTriggers] = useState<TriggerDraft>({});
  const [reason, setReason] = useState("");
  const [ack, setAck] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const input = (): StartInput & { acknowledgeStateConflicts?: boolean } => ({
    ...(source === "changeSet" ? { changeSetId: csId.trim() } : { candidateVersion: Number(version) }),
    strategy,
    stages: toStages(stages),
    ...(toTriggers(triggers) ? { triggers: toTriggers(triggers) } : {}),
    ...(reason.trim() ? { reason: reason.trim() } : {}),
    ...(ack ? { acknowledgeStateConflicts: true } : {}),
  });
  const ready = (source === "changeSet" ? csId.trim() !== "" : version.trim() !== "") && reason.trim() !== "";

  function submit(e: FormEvent) {
    e.preventDefault();
    if (ready) setConfirming(true);
  }
  function go() {
    start.mutate(input(), {
      onSuccess: (r) => {
        toast("success", `Rollout of version ${r.candidateVersion} started.`);
        router.push(`/rollouts/${r.id}`);
      },
      onSettled: () => setConfirming(false),
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Start a rollout">
      {disabledReason && <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">{disabledReason}</p>}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Candidate</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2"><input type="radio" name="source" checked={source === "changeSet"} onChange={() => setSource("changeSet")} className="accent-sky-600" /> Release a change set</label>
          <label className="flex items-center gap-2"><input type="radio" name="source" checked={source === "version"} onChange={() => setSource("version")} className="accent-sky-600" /> An existing policy version</label>
        </div>
        <div className="max-w-md">
          {source === "changeSet" ? (
            <TextField label="Change set id" value={csId} onChange={(e) => setCsId(e.target.value)} placeholder="from Policy → Change sets" />
          ) : (
            <TextField label="Candidate version" type="number" min={1} value={version} onChange={(e) => setVersion(e.target.value)} />
          )}
        </div>
      </fieldset>
      <div className="max-w-xs">
        <SelectField
          label="Strategy"
          value={strategy}
          onChange={(e) => {
            const s = e.target.value as Strategy;
            setStrategy(s);
            setStages(DEFAULT_STAGES[s]);
          }}
          options={[{ value: "canary", label: "Canary (stages)" }, { value: "blue_green", label: "Blue-green (warm-up, then switch)" }]}
        />
      </div>
      <StagesEditor strategy={strategy} stages={stages} onChange={setStages} />
      <TriggerFields value={triggers} onChange={setTriggers} />
      <div className="max-w-2xl"><TextField label="Reason (required)" value={reason} onChange={(e) => setReason(e.target.value)} /></div>
      {isStateConflict(start.error) ? <ApplyFeedback error={start.error} /> : <StartError error={start.error} />}
      {isStateConflict(start.error) && <AcknowledgeStateConflicts checked={ack} onChange={setAck} />}
      <Button type="submit" disabled={!ready || start.isPending || Boolean(disabledReason)} className="disabled:opacity-50">Review and start…</Button>

      <ConfirmDialog open={confirming} title="Start this rollout?" confirmLabel="Start rollout" pending={start.isPending} onCancel={() => setConfirming(false)} onConfirm={go}>
        <p>{source === "changeSet" ? `Change set ${csId.trim().slice(0, 8)} is compiled against the live policy and written as the candidate version; the head does not move.` : `Version ${version} becomes the candidate.`}</p>
        <p className="mt-2">{strategy === "blue_green" ? "Blue-green" : "Canary"}: {toStages(stages).map((s) => `${s.percent}%`).join(" → ")}. A regression rolls back automatically.</p>
        <p className="mt-2"><span className="font-medium">Reason:</span> {reason.trim()}</p>
      </ConfirmDialog>
    </form>
  );
}
