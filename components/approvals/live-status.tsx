"use client";

import type { UseQueryResult } from "@tanstack/react-query";

/** Says whether a polled view is current, so a stale screen is never mistaken for a live one. */
export function LiveStatus({ query }: { query: Pick<UseQueryResult, "dataUpdatedAt" | "error" | "isFetching" | "data"> }) {
  if (query.error && query.data) {
    return <span role="status" className="text-xs text-amber-800 dark:text-amber-300">⚠ Live updates paused ({query.error.message}); retrying.</span>;
  }
  if (!query.dataUpdatedAt) return null;
  return (
    <span className="text-xs text-slate-500 dark:text-slate-400">
      <span aria-hidden>● </span>Live · updated {new Date(query.dataUpdatedAt).toISOString().slice(11, 19)} UTC
    </span>
  );
}
