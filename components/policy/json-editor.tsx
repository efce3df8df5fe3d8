"use client";

import { useEffect, useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/policy/bits";
import { opsFromDiff, type ChangeOp } from "@/lib/changesets/ops";
import { zodFields } from "@/lib/http/validate";
import { checkDocument } from "@/lib/policy/compile";
import { diffDocuments } from "@/lib/policy/diff";
import { PolicyDocument } from "@/lib/policy/document";
import { getKey, setKey, type Json } from "@/lib/policy/keypath";

const pretty = (v: Json | undefined) => JSON.stringify(v ?? null, null, 2);

interface Checked {
  ops: ChangeOp[];
  errors: { path: string; message: string }[];
  compileErrors: { path: string; message: string }[];
  ignored: string[];
}

/** Parses the text, puts it in place, and validates the whole document as the server would. */
function check(working: Json, scope: string, text: string): Checked {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    return { ops: [], errors: [{ path: scope || "(document)", message: `not valid JSON: ${(e as Error).message}` }], compileErrors: [], ignored: [] };
  }
  const raw = scope ? setKey(working, scope, value) : value;
  const parsed = PolicyDocument.safeParse(raw);
  if (!parsed.success) return { ops: [], errors: zodFields(parsed.error), compileErrors: [], ignored: [] };
  const normal = parsed.data as unknown as Json;
  // zod drops keys the schema does not know; say so rather than losing a typo silently.
  const ignored = diffDocuments(normal, raw).filter((c) => c.from === undefined).map((c) => c.key);
  return { ops: opsFromDiff(diffDocuments(working, normal)), errors: [], compileErrors: checkDocument(parsed.data).errors, ignored };
}

/** A JSON editor for the whole document or one subtree, validated against the schema on every change. */
export function JsonEditor({ working, onUse }: { working: Json; onUse: (ops: ChangeOp[]) => void }) {
  const id = useId();
  const [scope, setScope] = useState("");
  const original = useMemo(() => pretty(scope ? getKey(working, scope) : working), [working, scope]);
  const [text, setText] = useState(original);
  const [dirty, setDirty] = useState(false);
  // Follow the pending changes made elsewhere until the editor has typed something.
  useEffect(() => {
    if (!dirty) setText(original);
  }, [original, dirty]);
  const result = useMemo(() => check(working, scope, text), [working, scope, text]);

  const scopes = useMemo(() => {
    const doc = working as Record<string, Json>;
    const out = [{ value: "", label: "Whole document" }];
    for (const top of Object.keys(doc)) {
      out.push({ value: top, label: top });
      const sub = doc[top];
      if (sub && typeof sub === "object" && !Array.isArray(sub) && ["tools", "agents", "tiers", "tenants"].includes(top)) {
        for (const k of Object.keys(sub)) out.push({ value: `${top}.${k}`, label: `${top}.${k}` });
      }
    }
    return out;
  }, [working]);

  const valid = result.errors.length === 0;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-scope`} className="block text-sm font-medium">Edit</label>
          <select
            id={`${id}-scope`}
            value={scope}
            onChange={(e) => {
              setScope(e.target.value);
              setDirty(false);
            }}
            className="mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
          >
            {scopes.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
        <p className="pb-2 text-sm text-slate-600 dark:text-slate-400">The text starts from the document with your pending changes. Nothing changes until you press “Use these changes”.</p>
      </div>
      <div>
        <label htmlFor={`${id}-text`} className="block text-sm font-medium">JSON for {scope || "the whole document"}</label>
        <textarea
          id={`${id}-text`}
          value={text}
          spellCheck={false}
          aria-invalid={!valid}
          aria-describedby={`${id}-status`}
          onChange={(e) => {
            setText(e.target.value);
            setDirty(true);
          }}
          rows={24}
          className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 font-mono text-xs leading-5 dark:bg-slate-950 ${valid ? "border-slate-300 dark:border-slate-700" : "border-red-500 ring-1 ring-red-500"}`}
        />
      </div>
      <div id={`${id}-status`} data-testid="json-status" className="space-y-2">
        {!valid ? (
          <Notice tone="error" title={`${result.errors.length} problem${result.errors.length === 1 ? "" : "s"}: the document does not match the policy schema`}>
            <ul className="list-inside list-disc">
              {result.errors.map((e, i) => <li key={i}><code className="font-mono">{e.path}</code>: {e.message}</li>)}
            </ul>
          </Notice>
        ) : (
          <p className="text-sm text-emerald-800 dark:text-emerald-300">✓ Valid policy document. {result.ops.length === 0 ? "No changes against your pending version." : `${result.ops.length} key${result.ops.length === 1 ? "" : "s"} would change.`}</p>
        )}
        {result.compileErrors.length > 0 && (
          <Notice tone="warning" title="The compiler would refuse this at apply time">
            <ul className="list-inside list-disc">
              {result.compileErrors.map((e, i) => <li key={i}><code className="font-mono">{e.path}</code> {e.message}</li>)}
            </ul>
          </Notice>
        )}
        {result.ignored.length > 0 && <Notice tone="warning" title="Unknown keys are ignored">{result.ignored.map((k) => <code key={k} className="mr-2 font-mono">{k}</code>)}</Notice>}
      </div>
      <div className="flex gap-2">
        <Button
          className="disabled:opacity-50"
          disabled={!valid || result.ops.length === 0}
          onClick={() => {
            onUse(result.ops);
            setDirty(false);
          }}
        >
          Use these changes
        </Button>
        <Button variant="secondary" disabled={!dirty} onClick={() => setDirty(false)}>Reset text</Button>
      </div>
    </div>
  );
}
