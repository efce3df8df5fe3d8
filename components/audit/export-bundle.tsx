"use client";

import { useEffect, useId, useRef, useState } from "react";
import { bytes } from "@/components/audit/format";
import { toQuery, type EventKey, type Filters } from "@/components/audit/filters";
import { Button } from "@/components/ui/button";
import { WarningIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";
import { AuditFiltersSchema } from "@/lib/audit/bundle-format";

// The filters the bundle format records and applies (pure zod, safe in the browser). The list's
// other filters are left out of the request, and the user is told, rather than silently widened.
const EXPORTABLE: ReadonlySet<string> = new Set(Object.keys(AuditFiltersSchema.shape));

type State =
  | { phase: "idle" }
  | { phase: "preparing"; started: number }
  | { phase: "downloading"; started: number; received: number; total: number | null }
  | { phase: "done"; filename: string; size: number }
  | { phase: "error"; message: string };

function filenameOf(res: Response): string {
  const cd = res.headers.get("content-disposition") ?? "";
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1] ?? m[2] ?? "") : "";
  return name || `governor-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.tar.gz`;
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    /* not JSON: fall through */
  }
  return `The export failed with status ${res.status}.`;
}

/**
 * Downloads the offline-verifiable bundle for the current filters. The server signs the head and
 * writes the archive before the first byte, which can take a while on a long range, so the
 * button shows how long it has waited, then how much has arrived; Cancel aborts the request.
 */
export function ExportBundle({ filters }: { filters: Filters<EventKey> }) {
  const toast = useToast();
  const [state, setState] = useState<State>({ phase: "idle" });
  const [now, setNow] = useState(() => Date.now());
  const abort = useRef<AbortController | null>(null);
  const statusId = useId();
  const busy = state.phase === "preparing" || state.phase === "downloading";
  const ignored = Object.keys(filters).filter((k) => !EXPORTABLE.has(k));
  const exported = Object.fromEntries(Object.entries(filters).filter(([k]) => EXPORTABLE.has(k)));

  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [busy]);
  useEffect(() => () => abort.current?.abort(), []);

  async function run() {
    const ctrl = new AbortController();
    abort.current = ctrl;
    const started = Date.now();
    setNow(started);
    setState({ phase: "preparing", started });
    try {
      const res = await fetch(`/api/v1/admin/audit/export${toQuery(exported)}`, { credentials: "same-origin", signal: ctrl.signal });
      if (!res.ok) throw new Error(await errorMessage(res));
      const total = Number(res.headers.get("content-length")) || null;
      const filename = filenameOf(res);
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let received = 0;
      setState({ phase: "downloading", started, received, total });
      const reader = res.body?.getReader();
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          received += value.byteLength;
          setState({ phase: "downloading", started, received, total });
        }
      } else {
        chunks.push(new Uint8Array(await res.arrayBuffer()));
        received = chunks[0]!.byteLength;
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: "application/gzip" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: "done", filename, size: received });
      toast("success", `Saved ${filename} (${bytes(received)}).`);
    } catch (e) {
      if (ctrl.signal.aborted) return setState({ phase: "idle" });
      const message = e instanceof Error ? e.message : String(e);
      setState({ phase: "error", message });
      toast("error", `Export failed: ${message}`);
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  }

  const waited = "started" in state ? Math.max(0, Math.floor((now - state.started) / 1000)) : 0;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => void run()} disabled={busy} aria-describedby={statusId}>
          {busy && <Spinner />}
          {busy ? "Exporting…" : "Export bundle"}
        </Button>
        {busy && <Button variant="ghost" onClick={() => abort.current?.abort()}>Cancel export</Button>}
        <span id={statusId} role="status" data-testid="export-status" className="text-xs text-slate-600 dark:text-slate-400">
          {state.phase === "idle" && "A .tar.gz of the events matching the filters, with signed checkpoints, keys and decision proofs."}
          {state.phase === "preparing" && "Signing the head and building the bundle…"}
          {state.phase === "downloading" && `Downloading${state.total ? ` ${bytes(state.total)}` : ""}…`}
          {state.phase === "done" && `Saved ${state.filename} (${bytes(state.size)}).`}
          {state.phase === "error" && <span className="text-red-700 dark:text-red-400">Export failed: {state.message}</span>}
        </span>
        {/* Outside the live region: a screen reader should hear the phase, not every tick. */}
        {busy && (
          <span aria-hidden className="font-mono text-xs text-slate-500 dark:text-slate-400" data-testid="export-progress">
            {state.phase === "downloading" ? `${bytes(state.received)} · ` : ""}{waited} s
          </span>
        )}
      </div>
      {ignored.length > 0 && (
        <p className="flex items-start gap-1.5 text-xs text-amber-900 dark:text-amber-200" data-testid="export-ignored">
          <WarningIcon className="mt-0.5" />
          <span>The export does not filter by {ignored.join(" or ")}: the bundle holds every event matching the other filters.</span>
        </p>
      )}
      {state.phase === "downloading" && state.total && <progress className="h-2 w-64 max-w-full" value={state.received} max={state.total} aria-label="Export download progress" />}
    </div>
  );
}

function Spinner() {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4 animate-spin" fill="none">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
