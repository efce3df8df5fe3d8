"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import { json, shortHash, utc } from "@/components/audit/format";
import { auditHref } from "@/components/audit/filters";
import { canCheckProofs, rootFromProof } from "@/components/audit/proof-check";
import type { Decision, DecisionProof, EventPage } from "@/components/audit/types";
import { Button } from "@/components/ui/button";
import { ApiError, api } from "@/lib/client/api";

const Term = ({ children }: { children: string }) => <dt className="text-xs font-semibold text-slate-600 dark:text-slate-400">{children}</dt>;

/** A decision in full, with the proof that it is in the chain: its leaf, the batch root and the seal event. */
export function DecisionDetail({ decision: d }: { decision: Decision }) {
  return (
    <div className="space-y-4" data-testid="decision-detail">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div><Term>Decision id</Term><dd className="font-mono text-xs break-all">{d.id}</dd></div>
        <div><Term>Session · cohort</Term><dd className="font-mono text-xs">{d.session} · {d.cohort}</dd></div>
        <div><Term>Policy version · generation</Term><dd className="text-sm">{d.policyVersion} · {d.generation}</dd></div>
        <div><Term>Token · grant</Term><dd className="font-mono text-xs break-all">{d.tokenId ?? "—"} · {d.grantId ?? "—"}</dd></div>
        <div className="sm:col-span-2"><Term>Request</Term><dd><pre className="max-h-48 overflow-auto font-mono text-xs whitespace-pre-wrap break-all">{json(d.request)}</pre></dd></div>
        <div className="sm:col-span-2"><Term>Reasons</Term><dd><pre className="max-h-48 overflow-auto font-mono text-xs whitespace-pre-wrap break-all">{json(d.reasons)}</pre></dd></div>
      </dl>
      <InclusionProof id={d.id} />
    </div>
  );
}

function InclusionProof({ id }: { id: string }) {
  const proof = useQuery({
    queryKey: ["decision-proof", id],
    queryFn: () => api<DecisionProof>(`/api/v1/admin/audit/decisions/${encodeURIComponent(id)}/proof`),
    // Batches are sealed every second: a 409 "not sealed yet" clears up on its own.
    retry: (n, e) => e instanceof ApiError && e.status === 409 && n < 5,
    retryDelay: 1200,
    staleTime: Infinity,
  });
  const p = proof.data;
  // The seal event: the one page of the list that ends right at its seq.
  const seal = useQuery({
    queryKey: ["audit-event", p?.batch.auditSeq],
    queryFn: () => api<EventPage>(`/api/v1/admin/audit?cursor=${p!.batch.auditSeq + 1}&limit=1`).then((r) => r.events.find((e) => e.seq === p!.batch.auditSeq) ?? null),
    enabled: Boolean(p),
    staleTime: Infinity,
  });
  const recomputed = useQuery({
    queryKey: ["decision-proof-root", id, p?.batch.root],
    queryFn: () => rootFromProof(p!.decision, p!.index, p!.batch.size, p!.path),
    enabled: Boolean(p) && canCheckProofs(),
    staleTime: Infinity,
  });

  if (proof.isPending) return <p role="status" className="text-sm text-slate-500 dark:text-slate-400">Loading the inclusion proof…</p>;
  if (proof.error) {
    const unsealed = proof.error instanceof ApiError && proof.error.status === 409;
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 text-sm">
        <span className={unsealed ? "" : "text-red-700 dark:text-red-400"}>{unsealed ? "Not sealed into the chain yet; batches are sealed every second." : `Could not load the proof: ${proof.error.message}`}</span>
        <Button variant="secondary" onClick={() => void proof.refetch()}>Try again</Button>
      </div>
    );
  }
  if (!p) return null;
  const sealedRoot = (seal.data?.after as { root?: unknown } | null | undefined)?.root;
  const rootOk = recomputed.data === p.batch.root;
  return (
    <section aria-label="Inclusion proof" className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900" data-testid="inclusion-proof">
      <h3 className="text-sm font-semibold">Inclusion proof <span className="font-normal text-slate-500 dark:text-slate-400">(RFC 6962 Merkle tree, SHA-256)</span></h3>
      <dl className="mt-2 grid gap-3 text-sm sm:grid-cols-2">
        <div><Term>Leaf index</Term><dd>{p.index} of {p.batch.size} in the batch</dd></div>
        <div>
          <Term>Sealed by audit event</Term>
          <dd>
            <Link href={auditHref("events", { action: "decisions.seal", to: seal.data?.at })} className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
              #{p.batch.auditSeq}<span className="sr-only">: show in the event log</span>
            </Link>
            {seal.data && <span className="text-slate-600 dark:text-slate-400"> · {utc(seal.data.at)} · hash <span className="font-mono text-xs" title={seal.data.hash}>{shortHash(seal.data.hash)}</span></span>}
          </dd>
        </div>
        <div className="sm:col-span-2"><Term>Batch root</Term><dd className="font-mono text-xs break-all">{p.batch.root}</dd></div>
        <div className="sm:col-span-2">
          <Term>Checks</Term>
          <dd className="space-y-0.5 text-sm">
            {!canCheckProofs() ? (
              <p>This browser cannot hash here (WebCrypto needs HTTPS); run the offline verifier on an export instead.</p>
            ) : recomputed.isPending ? (
              <p role="status">Recomputing the root…</p>
            ) : (
              <p data-testid="proof-root-check" className={rootOk ? "text-emerald-800 dark:text-emerald-300" : "font-semibold text-red-800 dark:text-red-300"}>
                <span aria-hidden>{rootOk ? "✓ " : "✕ "}</span>
                {rootOk ? "The leaf and path recompute to the batch root (checked in this browser)." : "The leaf and path do not lead to the batch root."}
              </p>
            )}
            {sealedRoot !== undefined && (
              <p className={sealedRoot === p.batch.root ? "text-emerald-800 dark:text-emerald-300" : "font-semibold text-red-800 dark:text-red-300"}>
                <span aria-hidden>{sealedRoot === p.batch.root ? "✓ " : "✕ "}</span>
                {sealedRoot === p.batch.root ? `Audit event #${p.batch.auditSeq} carries this root, so the chain's hashes and signatures cover it.` : `Audit event #${p.batch.auditSeq} carries a different root.`}
              </p>
            )}
          </dd>
        </div>
        <div className="sm:col-span-2">
          <Term>{`Audit path (${p.path.length} sibling hash${p.path.length === 1 ? "" : "es"}, leaf to root)`}</Term>
          <dd>
            {p.path.length === 0 ? <span className="text-sm">Empty: the decision is the batch's only leaf, so its hash is the root.</span> : (
              <ol className="list-decimal pl-6 font-mono text-xs break-all">{p.path.map((h, i) => <li key={i}>{h}</li>)}</ol>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
