"use client";

import { useState, type FormEvent } from "react";
import { useModelChange, type RuntimeModel } from "@/components/runtime-model/use-runtime-model";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, api } from "@/lib/client/api";

const fieldErrors = (e: Error) => Object.fromEntries(((e instanceof ApiError ? e.body?.fields : undefined) ?? []).map((f) => [f.path, f.message]));
const Err = ({ msg }: { msg?: string }) => (msg ? <p className="mt-1 text-xs text-red-700 dark:text-red-400"><span aria-hidden>✕ </span>{msg}</p> : null);

/** Add or update a service, add a dependency, remove either (editors and admins). */
export function ModelEditor({ model, zones }: { model: RuntimeModel; zones: string[] }) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<string | null>(null);
  const names = model.services.map((s) => s.name);
  const upsert = useModelChange(
    (v: { name: string; share: number; zone: string | null; description: string }) => api(`/api/v1/admin/runtime-model/services/${encodeURIComponent(v.name)}`, { method: "PUT", body: { share: v.share, zone: v.zone, description: v.description } }),
    (v) => `Saved service ${v.name} (${(v.share * 100).toFixed(1)}% of traffic). The next decision predicts with it.`,
    (e) => setErrors(fieldErrors(e)),
  );
  const addEdge = useModelChange(
    (v: { service: string; dependsOn: string }) => api("/api/v1/admin/runtime-model/edges", { method: "POST", body: v }),
    (v) => `${v.service} now depends on ${v.dependsOn}.`,
    (e) => setErrors(fieldErrors(e)),
  );
  const removeEdge = useModelChange((v: { service: string; dependsOn: string }) => api(`/api/v1/admin/runtime-model/edges/${v.service}/${v.dependsOn}`, { method: "DELETE" }), (v) => `Removed: ${v.service} depends on ${v.dependsOn}.`);
  const removeService = useModelChange((name: string) => api(`/api/v1/admin/runtime-model/services/${name}`, { method: "DELETE" }), (name) => `Removed service ${name} and its dependencies.`);

  function onService(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setErrors({});
    const f = new FormData(e.currentTarget);
    const share = Number(f.get("share")) / 100;
    upsert.mutate({ name: String(f.get("name")).trim(), share, zone: String(f.get("zone")) || null, description: String(f.get("description") ?? "").trim() });
  }
  function onEdge(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setErrors({});
    const f = new FormData(e.currentTarget);
    addEdge.mutate({ service: String(f.get("service")), dependsOn: String(f.get("dependsOn")) });
  }

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Add or update a service">
        <form onSubmit={onService} aria-label="Add or update a service" className="space-y-3">
          <div className="grid gap-3 sm:grid-cols-3">
            <div>
              <TextField label="Name" name="name" required maxLength={64} pattern="[a-z0-9][a-z0-9_\-]*" placeholder="e.g. payments" list="rm-service-names" />
              <datalist id="rm-service-names">{names.map((n) => <option key={n} value={n} />)}</datalist>
              <Err msg={errors.name} />
            </div>
            <div>
              <TextField label="Traffic share (%)" name="share" type="number" min={0} max={100} step={0.1} required placeholder="e.g. 12.5" />
              <Err msg={errors.share} />
            </div>
            <div>
              <SelectField label="Zone" name="zone" defaultValue="" options={[{ value: "", label: "(none)" }, ...zones.map((z) => ({ value: z, label: z }))]} />
              <Err msg={errors.zone} />
            </div>
          </div>
          <TextField label="Description (optional)" name="description" maxLength={500} />
          <Button type="submit" disabled={upsert.isPending}>{upsert.isPending ? "Saving…" : "Save service"}</Button>
        </form>
      </Card>
      <Card title="Add a dependency">
        {names.length < 2 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Add at least two services first; then say which depends on which.</p>
        ) : (
          <form onSubmit={onEdge} aria-label="Add a dependency" className="space-y-3">
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <SelectField label="Service" name="service" options={names.map((n) => ({ value: n, label: n }))} />
                <Err msg={errors.service} />
              </div>
              <div>
                <SelectField label="Depends on" name="dependsOn" defaultValue={names[1]} options={names.map((n) => ({ value: n, label: n }))} />
                <Err msg={errors.dependsOn} />
              </div>
            </div>
            <p className="text-xs text-slate-500 dark:text-slate-400">When the service it depends on is hit, this service is hit too: its traffic counts in the blast radius.</p>
            <Button type="submit" disabled={addEdge.isPending}>{addEdge.isPending ? "Adding…" : "Add dependency"}</Button>
          </form>
        )}
        {model.edges.length > 0 && (
          <ul className="mt-4 divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Dependencies">
            {model.edges.map((e) => (
              <li key={`${e.service}>${e.dependsOn}`} className="flex items-center justify-between py-1">
                <span><span className="font-mono">{e.service}</span> depends on <span className="font-mono">{e.dependsOn}</span></span>
                <Button variant="ghost" aria-label={`Remove: ${e.service} depends on ${e.dependsOn}`} onClick={() => removeEdge.mutate(e)} disabled={removeEdge.isPending}>Remove</Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      {model.services.length > 0 && (
        <div className="lg:col-span-2 flex flex-wrap items-center gap-2" role="group" aria-labelledby="rm-remove-label">
          <span id="rm-remove-label" className="text-sm text-slate-600 dark:text-slate-400">Remove a service:</span>
          {model.services.map((s) => (
            <Button key={s.name} variant="ghost" className="text-xs" aria-label={`Remove service ${s.name}`} onClick={() => setRemoving(s.name)}>✕ {s.name}</Button>
          ))}
        </div>
      )}
      <ConfirmDialog open={removing !== null} title={`Remove service ${removing ?? ""}?`} confirmLabel="Remove service" danger pending={removeService.isPending} onCancel={() => setRemoving(null)} onConfirm={() => removing && removeService.mutate(removing, { onSettled: () => setRemoving(null) })}>
        <p>Its dependencies go with it. Actions on it are no longer predicted from the model; only an agent&apos;s own prediction is checked.</p>
      </ConfirmDialog>
    </div>
  );
}
