"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StageBadge } from "@/components/agents/stage-badge";
import type { Stage } from "@/components/agents/types";
import { EmptyState } from "@/components/ui/empty-state";
import { api } from "@/lib/client/api";

export function AgentsList() {
  const q = useQuery({ queryKey: ["agents"], queryFn: () => api<{ agents: { id: string; name: string; description: string; stage: Stage }[] }>("/api/v1/admin/agents") });
  if (q.isPending) return <p role="status" className="text-sm text-slate-500">Loading agents…</p>;
  if (q.error) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">Could not load agents: {q.error.message}</p>;
  if (q.data.agents.length === 0) return <EmptyState title="No agents yet">An admin creates an agent token for each agent on the Admin page.</EmptyState>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" data-testid="agents-list">
      {q.data.agents.map((a) => (
        <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div>
            <Link href={`/agents/${a.id}`} className="font-mono font-medium text-sky-700 hover:underline dark:text-sky-400">{a.id}</Link>
            <p className="text-sm text-slate-600 dark:text-slate-400">{a.description || a.name}</p>
          </div>
          <StageBadge stage={a.stage} />
        </li>
      ))}
    </ul>
  );
}
