"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import { applyOps, ChangeOp } from "@/lib/changesets/ops";
import { diffDocuments } from "@/lib/policy/diff";
import { PolicyDocument } from "@/lib/policy/document";
import type { Json } from "@/lib/policy/keypath";
import { withOp, withOps } from "@/components/policy/pending-ops";
import type { PolicyHead } from "@/components/policy/types";

/** The editor's local change set: the version it is written against and the operations on it. */
export interface Draft {
  baseVersion: number | null;
  baseDoc: Json | null;
  ops: ChangeOp[];
  reason: string;
  /** The server change set these operations were last saved to, if any. */
  changeSetId: string | null;
}

const EMPTY: Draft = { baseVersion: null, baseDoc: null, ops: [], reason: "", changeSetId: null };
const Stored = z.object({
  baseVersion: z.number().int().min(1),
  baseDoc: z.json(),
  ops: z.array(ChangeOp),
  reason: z.string(),
  changeSetId: z.string().nullable(),
});

/**
 * Holds the draft in React state and mirrors it to localStorage, so a reload or a closed tab
 * does not lose work. The base follows the live head while there is nothing pending; once
 * there is, it stays put until the editor rebases on purpose.
 */
export function usePolicyDraft(head: PolicyHead | undefined, storageKey: string) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [restored, setRestored] = useState<Draft | null>(null);
  const loaded = useRef(false);

  useEffect(() => {
    try {
      const parsed = Stored.safeParse(JSON.parse(localStorage.getItem(storageKey) ?? "null"));
      if (parsed.success && parsed.data.ops.length > 0) {
        const d = parsed.data as Draft;
        setDraft(d);
        setRestored(d);
      }
    } catch {
      // A corrupt draft is dropped rather than blocking the editor.
    }
    loaded.current = true;
  }, [storageKey]);

  useEffect(() => {
    const v = head?.version;
    if (!v) return;
    setDraft((d) => (d.ops.length === 0 && d.baseVersion !== v.number ? { ...d, baseVersion: v.number, baseDoc: v.document as Json } : d));
  }, [head, draft.baseVersion, draft.ops.length]);

  useEffect(() => {
    if (!loaded.current) return;
    if (draft.ops.length === 0 && !draft.changeSetId) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, JSON.stringify(draft));
  }, [draft, storageKey]);

  const base = draft.baseDoc;
  const working = useMemo(() => (base === null ? null : applyOps(base, draft.ops)), [base, draft.ops]);
  const parsed = useMemo(() => (working === null ? null : PolicyDocument.safeParse(working)), [working]);
  const baseParsed = useMemo(() => (base === null ? null : PolicyDocument.safeParse(base)), [base]);
  const diff = useMemo(() => (base === null || working === null ? [] : diffDocuments(base, working)), [base, working]);

  const setOp = useCallback((op: ChangeOp) => setDraft((d) => (d.baseDoc === null ? d : { ...d, ops: withOp(d.baseDoc, d.ops, op) })), []);
  const addOps = useCallback((ops: ChangeOp[]) => setDraft((d) => (d.baseDoc === null ? d : { ...d, ops: withOps(d.baseDoc, d.ops, ops) })), []);
  const removeOp = useCallback((index: number) => setDraft((d) => ({ ...d, ops: d.ops.filter((_, i) => i !== index) })), []);
  const removeOpsTouching = useCallback((keys: string[]) => setDraft((d) => ({ ...d, ops: d.ops.filter((o) => !keys.some((k) => k === o.key || k.startsWith(`${o.key}.`) || o.key.startsWith(`${k}.`))) })), []);
  const setReason = useCallback((reason: string) => setDraft((d) => ({ ...d, reason })), []);
  const setChangeSetId = useCallback((changeSetId: string | null) => setDraft((d) => ({ ...d, changeSetId })), []);
  const discard = useCallback(() => setDraft((d) => ({ ...EMPTY, baseVersion: d.baseVersion, baseDoc: d.baseDoc })), []);
  const rebase = useCallback((version: number, doc: Json) => setDraft((d) => ({ ...d, baseVersion: version, baseDoc: doc })), []);
  /** After an apply: start over on whatever the head is now. */
  const reset = useCallback(() => setDraft(EMPTY), []);

  return { draft, restored, working, parsed, baseParsed, diff, setOp, addOps, removeOp, removeOpsTouching, setReason, setChangeSetId, discard, rebase, reset };
}

export type PolicyDraft = ReturnType<typeof usePolicyDraft>;
