"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Rollout, RolloutAction, RolloutMetrics, StartInput } from "@/components/rollouts/types";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

// The evaluator acts within seconds, so the dashboard polls every 2.5 s: an automatic rollback
// shows up on every open tab about as fast as it happens.
export const LIVE_MS = 2500;

export function useRolloutList() {
  return useQuery({
    queryKey: ["rollouts"],
    queryFn: () => api<{ rollouts: Rollout[] }>("/api/v1/admin/rollouts"),
    refetchInterval: LIVE_MS,
  });
}

export function useRolloutMetrics(id: string, minutes: number) {
  return useQuery({
    queryKey: ["rollout-metrics", id, minutes],
    queryFn: () => api<RolloutMetrics>(`/api/v1/admin/rollouts/${encodeURIComponent(id)}/metrics?minutes=${minutes}`),
    // An ended rollout no longer changes; keep a slow poll in case it was just ended elsewhere.
    refetchInterval: (q) => (q.state.data && !["running", "paused"].includes(q.state.data.rollout.status) ? 15_000 : LIVE_MS),
    placeholderData: (prev) => prev,
  });
}

export function useStartRollout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: StartInput) => api<{ id: string; candidateVersion: number; status: string }>("/api/v1/admin/rollouts", { method: "POST", body: input }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ["rollouts"] }),
  });
}

const DONE: Record<RolloutAction, string> = {
  pause: "Paused: the canary keeps its share, nothing advances automatically.",
  resume: "Resumed: the evaluator advances and rolls back again.",
  advance: "Advanced to the next stage.",
  promote: "Promoted: the candidate is now the head for every session.",
  abort: "Aborted: every session is back on the baseline.",
};

export function useRolloutAction(id: string) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ action, reason }: { action: RolloutAction; reason: string }) =>
      api<unknown>(`/api/v1/admin/rollouts/${encodeURIComponent(id)}/${action}`, { method: "POST", body: { reason } }),
    onSuccess: (_r, { action }) => toast("success", DONE[action]),
    onError: (e) => toast("error", e.message),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["rollout-metrics", id] });
      void qc.invalidateQueries({ queryKey: ["rollouts"] });
    },
  });
}
