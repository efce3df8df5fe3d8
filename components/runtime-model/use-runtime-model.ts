"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Edge, Service } from "@/components/runtime-model/layout";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/client/api";

export interface RuntimeModel {
  services: (Service & { description: string; updatedAt: string })[];
  edges: Edge[];
}

export const useRuntimeModel = () => useQuery({ queryKey: ["runtime-model"], queryFn: () => api<RuntimeModel>("/api/v1/admin/runtime-model") });

/** A runtime-model change: toast on success (the next decision uses it), refresh the model. */
export function useModelChange<V>(fn: (v: V) => Promise<unknown>, success: (v: V) => string, onError?: (e: Error) => void) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_r, v) => {
      toast("success", success(v));
      void qc.invalidateQueries({ queryKey: ["runtime-model"] });
    },
    onError: (e) => {
      toast("error", e.message);
      onError?.(e);
    },
  });
}
