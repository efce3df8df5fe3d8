"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

export interface ActiveControl {
  control: string;
  target: string;
  reason: string | null;
  setBy: string;
  setAt: string;
}
export interface Recovery {
  id: string;
  control: string;
  reason: string;
  requestedBy: string;
  requestedById: string;
  createdAt: string;
}
export interface ControlsState {
  controls: ActiveControl[];
  recoveries: Recovery[];
  settings: { recovery_two_person: boolean };
}

export const CONTROL_LABEL: Record<string, string> = {
  global_kill: "Global kill switch",
  tool_kill: "Tool stopped",
  agent_kill: "Agent stopped",
  tenant_kill: "Tenant stopped",
  read_only: "Read-only mode",
  approval_all: "Approval-all mode",
};

/** Live runtime-control state for the banner, the header button and the Controls page. */
export function useControls() {
  // Every tab polls every 2 s so a flip by anyone shows up everywhere within seconds.
  return useQuery({ queryKey: ["controls"], queryFn: () => api<ControlsState>("/api/v1/admin/controls"), refetchInterval: 2000 });
}

export interface FlipInput {
  control: string;
  target?: string;
  active: boolean;
  reason?: string;
}

export function useFlipControl() {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: FlipInput) => api<{ status: string; generation: number }>("/api/v1/admin/controls", { method: "POST", body: input }),
    onSuccess: (r, input) => {
      const what = `${CONTROL_LABEL[input.control] ?? input.control}${input.target ? ` (${input.target})` : ""}`;
      if (r.status === "awaiting_confirmation") toast("info", `Recovery requested. A second operator must confirm before agents resume.`);
      else toast("success", `${what} ${input.active ? "is on" : "lifted"} (generation ${r.generation}).`);
      void qc.invalidateQueries({ queryKey: ["controls"] });
    },
    onError: (e) => toast("error", e.message),
  });
}

export function useResolveRecovery() {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: "confirm" | "cancel" }) => api<{ status: string }>(`/api/v1/admin/controls/recoveries/${id}/${action}`, { method: "POST", body: {} }),
    onSuccess: (r) => {
      toast("success", r.status === "confirmed" ? "Recovery confirmed: agents resume on their next decision." : "Recovery request cancelled; the kill stays on.");
      void qc.invalidateQueries({ queryKey: ["controls"] });
    },
    onError: (e) => toast("error", e.message),
  });
}
