"use client";

import { useQuery } from "@tanstack/react-query";
import { Link } from "@/components/ui/link";
import type { ReactNode } from "react";
import { ago, duration, utc } from "@/components/approvals/format";
import { api } from "@/lib/client/api";
import type { Glance } from "@/lib/overview/glance";

type Tone = "calm" | "attention" | "alarm";
const TONE: Record<Tone, string> = {
  calm: "border-slate-200 dark:border-slate-800",
  attention: "border-amber-300 dark:border-amber-700",
  alarm: "border-red-300 dark:border-red-800",
};

function Tile({ label, href, tone = "calm", testId, children, detail }: { label: string; href: string; tone?: Tone; testId: string; children: ReactNode; detail: ReactNode }) {
  return (
    <Link href={href} data-testid={testId} className={`block rounded-lg border bg-white p-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-500 dark:bg-slate-900 dark:hover:bg-slate-800/60 ${TONE[tone]}`}>
      <span className="block text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</span>
      <span className="mt-1 block text-xl font-semibold">{children}</span>
      <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">{detail}</span>
    </Link>
  );
}

const ENDED: Record<string, string> = { promoted: "Promoted", rolled_back: "Rolled back", aborted: "Aborted" };

function RolloutTile({ r }: { r: Glance["rollout"] }) {
  if (!r) return <Tile label="Rollout" href="/rollouts" testId="glance-rollout" detail="Release a change set as a canary from Policy → Change sets.">None running</Tile>;
  const name = r.strategy === "blue_green" ? "Blue-green" : "Canary";
  if (r.status === "running" || r.status === "paused") {
    return (
      <Tile label="Rollout" href={`/rollouts/${r.id}`} testId="glance-rollout" tone={r.status === "paused" ? "attention" : "calm"} detail={`version ${r.baselineVersion} → ${r.candidateVersion}, this stage since ${ago(r.at)}`}>
        {name} {r.percent}% {r.status === "paused" && <span className="text-base font-medium text-amber-700 dark:text-amber-400">· paused</span>}
      </Tile>
    );
  }
  return (
    <Tile label="Last rollout" href={`/rollouts/${r.id}`} testId="glance-rollout" tone={r.status === "rolled_back" ? "alarm" : "calm"} detail={`${ago(r.at)}${r.endReason ? `: ${r.endReason}` : ""}`}>
      {ENDED[r.status] ?? r.status} (v{r.candidateVersion})
    </Tile>
  );
}

/** What is live, what is changing and what waits for a person; each tile opens its page. */
export function GlanceTiles() {
  const q = useQuery({ queryKey: ["overview-glance"], queryFn: () => api<Glance & { store: string }>("/api/v1/admin/overview"), refetchInterval: 5000 });
  if (q.isPending) return <div className="h-24 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-label="Loading the overview" />;
  if (q.isError) return <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">Could not load the overview: {q.error.message}</p>;
  const g = q.data;
  const waiting = `${g.approvals.waiting.toLocaleString()}${g.approvals.waitingCapped ? "+" : ""}`;
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Tile label="Live policy" href="/policy/history" testId="glance-policy" detail={g.policy ? <>by {g.policy.author} {ago(g.policy.at)} · generation {g.generation}</> : "Nothing published yet"}>
        {g.policy ? `Version ${g.policy.version}` : "None"}
      </Tile>
      <RolloutTile r={g.rollout} />
      <Tile
        label="Approvals waiting"
        href="/approvals"
        testId="glance-approvals"
        tone={g.approvals.waiting > 0 ? "attention" : "calm"}
        detail={g.approvals.expiresFirstAt ? <span title={utc(g.approvals.expiresFirstAt, true)}>the first expires in {duration(Date.parse(g.approvals.expiresFirstAt) - Date.now())}</span> : "Nothing waits for a reviewer."}
      >
        {waiting}
      </Tile>
      <Tile label="Change sets in review" href="/policy/changesets" testId="glance-changesets" tone={g.changeSets.awaitingReview > 0 ? "attention" : "calm"} detail={g.changeSets.awaitingReview > 0 ? "waiting for reviewers' approval before they can be applied" : "None waits for a reviewer."}>
        {g.changeSets.awaitingReview}
      </Tile>
    </div>
  );
}
