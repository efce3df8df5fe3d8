import type { ReactNode } from "react";
import { json, utc } from "@/components/audit/format";
import type { AuditEvent } from "@/components/audit/types";
import { diffDocuments, type KeyChange } from "@/lib/policy/diff";
import type { Json } from "@/lib/policy/keypath";

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Key-by-key changes between an event's before and after state. A missing side counts as an
 * empty object when the other side is one, so a creation lists each key as added instead of
 * one opaque "null → {…}" row.
 */
export function eventChanges(e: Pick<AuditEvent, "before" | "after">): KeyChange[] {
  const before = (e.before ?? undefined) as Json | undefined;
  const after = (e.after ?? undefined) as Json | undefined;
  if (before === undefined && after === undefined) return [];
  const a = before === undefined && isObject(after) ? {} : before;
  const b = after === undefined && isObject(before) ? {} : after;
  return diffDocuments(a, b);
}

const KIND = {
  added: { glyph: "+", label: "added", cls: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  removed: { glyph: "−", label: "removed", cls: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  changed: { glyph: "~", label: "changed", cls: "bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-200" },
} as const;
const kindOf = (c: KeyChange) => (!("from" in c) ? KIND.added : !("to" in c) ? KIND.removed : KIND.changed);

function Value({ v, present }: { v: unknown; present: boolean }) {
  if (!present) return <span className="text-slate-400 dark:text-slate-500">(absent)</span>;
  return <pre className="max-h-48 overflow-auto font-mono text-xs whitespace-pre-wrap break-all">{json(v)}</pre>;
}

function Row({ term, children, mono = false }: { term: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-semibold text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className={`text-sm ${mono ? "font-mono text-xs break-all" : ""}`}>{children}</dd>
    </div>
  );
}

/** One event in full: who, from where, what changed key by key, and the two hashes that chain it. */
export function EventDetail({ event: e }: { event: AuditEvent }) {
  const changes = eventChanges(e);
  return (
    <div className="space-y-4" data-testid="event-detail">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Row term="Time">{utc(e.at)}</Row>
        <Row term="Actor">{e.actorName} <span className="text-slate-500 dark:text-slate-400">({e.actorType} <span className="font-mono">{e.actorId}</span>)</span></Row>
        <Row term="Policy version · generation">{e.policyVersion ?? "—"} · {e.generation ?? "—"}</Row>
        <Row term="Request IP" mono>{e.requestIp ?? "—"}</Row>
        <div className="sm:col-span-2 lg:col-span-4"><Row term="Reason">{e.reason ?? "—"}</Row></div>
        {e.userAgent && <div className="sm:col-span-2 lg:col-span-4"><Row term="User agent" mono>{e.userAgent}</Row></div>}
      </dl>

      <div>
        <h3 className="text-sm font-semibold">Changes <span className="font-normal text-slate-500 dark:text-slate-400">(before → after, key by key)</span></h3>
        {changes.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{e.before == null && e.after == null ? "This event records no before or after state." : "Before and after are identical."}</p>
        ) : (
          <div className="mt-2 overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
            <table className="w-full table-fixed text-sm" data-testid="event-diff">
              <caption className="sr-only">Changed keys of event #{e.seq}</caption>
              <thead className="bg-slate-100 text-left text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="w-1/4 px-3 py-1.5 font-medium">Key</th>
                  <th scope="col" className="w-24 px-3 py-1.5 font-medium">Change</th>
                  <th scope="col" className="px-3 py-1.5 font-medium">Before</th>
                  <th scope="col" className="px-3 py-1.5 font-medium">After</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => {
                  const k = kindOf(c);
                  return (
                    <tr key={c.key} className="border-t border-slate-200 align-top dark:border-slate-700">
                      <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs font-normal break-all">{c.key || "(whole value)"}</th>
                      <td className="px-3 py-1.5">
                        <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-semibold ${k.cls}`}><span aria-hidden>{k.glyph}</span>{k.label}</span>
                      </td>
                      <td className="px-3 py-1.5"><Value v={c.from} present={"from" in c} /></td>
                      <td className="px-3 py-1.5"><Value v={c.to} present={"to" in c} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <dl className="grid gap-3 rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <Row term="Hash (SHA-256 of the previous hash and this event's canonical JSON)" mono><span data-testid="event-hash">{e.hash}</span></Row>
        <Row term={`Previous hash${e.seq === 1 ? " (genesis)" : ` (event #${e.seq - 1})`}`} mono>{e.prevHash}</Row>
      </dl>
    </div>
  );
}
