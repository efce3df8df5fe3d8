"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { approvalsPath, type RequestFilter } from "@/components/approvals/filter-params";
import type { ActionRequest, Directory, PolicyHead } from "@/components/approvals/types";
import { api } from "@/lib/client/api";

// Reviewers watch the queue; every open tab polls every 2 s so a vote or a new request from
// anywhere shows up without a reload.
export const LIVE_MS = 2000;

export function useApprovalList(filter: RequestFilter) {
  return useQuery({
    queryKey: ["approvals", filter],
    // `waiting` comes with view=queue: all pending requests that match, not only those sent.
    queryFn: () => api<{ requests: ActionRequest[]; waiting?: number; waitingCapped?: boolean }>(approvalsPath(filter)),
    refetchInterval: LIVE_MS,
  });
}

export function useApproval(id: string) {
  return useQuery({
    queryKey: ["approval", id],
    queryFn: () => api<{ request: ActionRequest }>(`/api/v1/admin/approvals/${encodeURIComponent(id)}`),
    // A resolved request does not change any more, apart from its execution time.
    refetchInterval: (q) => (q.state.data?.request.status === "pending" || q.state.error ? LIVE_MS : 10_000),
  });
}

export function usePolicyHead() {
  return useQuery({ queryKey: ["policy-head"], queryFn: () => api<PolicyHead>("/api/v1/admin/policy"), refetchInterval: 30_000 });
}

export function useDirectory() {
  return useQuery({ queryKey: ["directory"], queryFn: () => api<Directory>("/api/v1/admin/directory"), staleTime: 60_000 });
}

export interface VoteResult {
  status: string;
  approvals: number;
  rejections: number;
  required: number;
}

export function useVote(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { vote: "approve" | "reject"; comment?: string }) =>
      api<VoteResult>(`/api/v1/admin/approvals/${encodeURIComponent(id)}/votes`, { method: "POST", body: input }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["approval", id] });
      void qc.invalidateQueries({ queryKey: ["approvals"] });
    },
  });
}
