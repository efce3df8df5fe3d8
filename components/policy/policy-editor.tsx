"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { useToast } from "@/components/ui/toast";
import { ApprovalRulesForm } from "@/components/policy/approval-rules-form";
import { Notice } from "@/components/policy/bits";
import { ToolGrid } from "@/components/policy/check-grid";
import { HeadMovedBanner } from "@/components/policy/head-moved-banner";
import { JsonEditor } from "@/components/policy/json-editor";
import { KeyValueView } from "@/components/policy/key-value-view";
import { PendingOpsList } from "@/components/policy/pending-ops-list";
import { PolicyView } from "@/components/policy/policy-view";
import { RateLimitsForm } from "@/components/policy/rate-limits-form";
import { ReviewPanel, fetchChangeSet, type Applied } from "@/components/policy/review-panel";
import { Tabs } from "@/components/ui/tabs";
import { TenantTiersForm } from "@/components/policy/tenant-tiers-form";
import { OPEN_STATUSES, type PolicyHead } from "@/components/policy/types";
import { usePolicyDraft } from "@/components/policy/use-policy-draft";
import { api } from "@/lib/client/api";
import type { PolicyDocument } from "@/lib/policy/document";
import type { Json } from "@/lib/policy/keypath";

type Tab = "forms" | "kv" | "json" | "overview";

function Section({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title}>
      {hint && <p className="-mt-2 mb-3 text-sm text-slate-600 dark:text-slate-400">{hint}</p>}
      {children}
    </Card>
  );
}

/** The policy editor: structured forms, key/value and JSON views over one local change set. */
export function PolicyEditor({ username }: { username: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  // Polled so the editor notices, within seconds, when someone else applies a change.
  const head = useQuery({ queryKey: ["policy-head"], queryFn: () => api<PolicyHead>("/api/v1/admin/policy"), refetchInterval: 3000 });
  const d = usePolicyDraft(head.data, `governor.policy-draft.${username}`);
  const { draft } = d;
  const [tab, setTab] = useState<Tab>("forms");
  const [rebasing, setRebasing] = useState(false);
  const [applied, setApplied] = useState<Applied | null>(null);

  const restored = d.restored;
  const { setChangeSetId, reset } = d;
  const onApplied = useCallback(
    (a: Applied) => {
      setApplied(a);
      reset();
      // The page header names the live version; it comes from the server component.
      router.refresh();
    },
    [reset, router],
  );
  useEffect(() => {
    if (!restored) return;
    const said = () => toast("info", `Restored your unsaved draft: ${restored.ops.length} operation${restored.ops.length === 1 ? "" : "s"} on version ${restored.baseVersion}.`);
    const id = restored.changeSetId;
    if (!id) return said();
    // A change set applied since ends the draft (the review panel sees to that); one closed
    // otherwise is not continued, and the next save starts a new one.
    fetchChangeSet(id).then(
      ({ changeSet: cs }) => {
        if (cs.status === "applied") return;
        if (!OPEN_STATUSES.has(cs.status)) setChangeSetId(null);
        said();
      },
      () => {
        setChangeSetId(null);
        said();
      },
    );
  }, [restored, toast, setChangeSetId]);

  const live = head.data?.version;
  if (head.isPending) return <p role="status" className="text-sm text-slate-500">Loading the live policy…</p>;
  if (head.error) return <Notice tone="error" title="Could not load the policy">{head.error.message}</Notice>;
  if (!live) return <EmptyState title="No policy version is published yet">Publish a first version with POST /api/v1/admin/policy/versions; after that, edit it here.</EmptyState>;
  if (draft.baseDoc === null || d.working === null) return <p role="status" className="text-sm text-slate-500">Loading the live policy…</p>;

  const doc = d.parsed?.success ? d.parsed.data : null;
  const baseDoc = d.baseParsed?.success ? d.baseParsed.data : null;
  const quorum = (live.document as PolicyDocument).change_control?.quorum ?? 1;
  const headMoved = draft.ops.length > 0 && draft.baseVersion !== null && live.number !== draft.baseVersion;

  async function rebase() {
    if (!live) return;
    setRebasing(true);
    try {
      if (draft.changeSetId) {
        await api(`/api/v1/admin/changesets/${draft.changeSetId}`, { method: "PATCH", body: { baseVersion: live.number } }).catch((e: Error & { status?: number }) => {
          if (e.status === 409 || e.status === 404) d.setChangeSetId(null);
          else throw e;
        });
        await qc.invalidateQueries({ queryKey: ["changeset", draft.changeSetId] });
      }
      d.rebase(live.number, live.document as Json);
      router.refresh();
      toast("success", `Rebased onto version ${live.number}. Check the diff: your operations now apply to it.`);
    } catch (e) {
      toast("error", (e as Error).message);
    } finally {
      setRebasing(false);
    }
  }

  async function discard() {
    if (draft.changeSetId) await api(`/api/v1/admin/changesets/${draft.changeSetId}/abandon`, { method: "POST", body: {} }).catch(() => undefined);
    d.discard();
    void qc.invalidateQueries({ queryKey: ["changesets"] });
    toast("info", "Discarded the pending changes.");
  }

  const setList = (key: string, value: string[]) => d.setOp({ op: "set", key, value });
  const forms = doc ? (
    <div className="space-y-4">
      <Section title="Tool access per agent" hint="Tick the tools each agent may call. Granting a write, send, destructive or schema tool (marked “review”) needs reviewer approval.">
        <ToolGrid caption="Tools each agent may call" rowLabel="Agent" rows={Object.keys(doc.agents)} doc={doc} list={(a) => doc.agents[a]!.allowed_tools} baseList={(a) => baseDoc?.agents[a]?.allowed_tools} keyOf={(a) => `agents.${a}.allowed_tools`} onSet={setList} />
      </Section>
      <Section title="Tools per tier" hint="A tenant can use a tool only when its tier includes it, and the agent may call it.">
        <ToolGrid caption="Tools each tier includes" rowLabel="Tier" rows={Object.keys(doc.tiers)} doc={doc} list={(t) => doc.tiers[t]!.tools} baseList={(t) => baseDoc?.tiers[t]?.tools} keyOf={(t) => `tiers.${t}.tools`} onSet={setList} />
      </Section>
      <Section title="Tenant tiers">
        <TenantTiersForm doc={doc} base={draft.baseDoc} onOp={d.setOp} />
      </Section>
      <Section title="Rate limits" hint="Calls allowed per window. A tool limit counts every agent and tenant together; a tier limit counts each tenant on the tier separately.">
        <RateLimitsForm doc={doc} base={draft.baseDoc} onOp={d.setOp} />
      </Section>
      <Section title="Approval rules" hint="Calls to these tools wait for N reviewers of the group. Changing approval rules is sensitive and needs reviewer approval itself.">
        <ApprovalRulesForm doc={doc} base={draft.baseDoc} onOp={d.setOp} />
      </Section>
    </div>
  ) : (
    <Notice tone="error" title="The pending operations make the document invalid, so the forms cannot show it">
      <ul className="list-inside list-disc">
        {d.parsed && !d.parsed.success && d.parsed.error.issues.map((i, n) => <li key={n}><code className="font-mono">{i.path.join(".")}</code>: {i.message}</li>)}
      </ul>
      <p className="mt-1">Fix it in the JSON tab, or remove the operation from the pending list.</p>
    </Notice>
  );

  return (
    <div>
      {headMoved && <HeadMovedBanner base={draft.baseVersion!} head={live} onRebase={rebase} pending={rebasing} />}
      {applied && (
        <div className="mb-4">
          <Notice tone="success" testId="applied-notice" title={`Applied as version ${applied.version}`}>
            {applied.changes !== undefined && `${applied.changes} key${applied.changes === 1 ? "" : "s"} changed${applied.warnings ? `, with ${applied.warnings} warning(s)` : ""}. `}
            <Link className="underline" href="/policy/history">Version history</Link> · <Link className="underline" href={`/policy/changesets/${applied.changeSetId}`}>Change set</Link>
          </Notice>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0">
          <Tabs
            label="Policy editor views"
            value={tab}
            onChange={setTab}
            tabs={[
              { id: "forms", label: "Forms" },
              { id: "kv", label: "Key/value" },
              { id: "json", label: "JSON" },
              { id: "overview", label: "Overview" },
            ]}
          >
            {tab === "forms" && forms}
            {tab === "kv" && <KeyValueView doc={d.working} diff={d.diff} onOp={d.setOp} />}
            {tab === "json" && (
              <JsonEditor
                working={d.working}
                onUse={(ops) => {
                  d.addOps(ops);
                  toast("info", `Added ${ops.length} operation${ops.length === 1 ? "" : "s"} to the pending change set.`);
                }}
              />
            )}
            {tab === "overview" && (doc ? <PolicyView doc={doc} /> : forms)}
          </Tabs>
        </div>
        <aside aria-label="Pending change set" className="lg:sticky lg:top-20 lg:self-start">
          <PendingOpsList ops={draft.ops} baseVersion={draft.baseVersion} onRemove={d.removeOp} onDiscard={discard} />
        </aside>
      </div>
      {(draft.ops.length > 0 || draft.changeSetId) && (
        <div className="mt-6">
          <ReviewPanel d={d} quorum={quorum} onRebase={rebase} onApplied={onApplied} />
        </div>
      )}
    </div>
  );
}
