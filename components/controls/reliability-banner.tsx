"use client";

import { useQuery } from "@tanstack/react-query";
import { StopIcon, WarningIcon } from "@/components/ui/icons";

interface DegradedPart {
  component: "database" | "enforcement";
  since: string;
  message: string;
}
interface Health {
  status: "ok" | "degraded";
  degraded?: DegradedPart[];
  reliability?: { instance: string; circuit: { state: "closed" | "open" | "half_open" } };
}

const TITLE: Record<DegradedPart["component"], string> = {
  database: "Database unreachable",
  enforcement: "Enforcement circuit",
};

/**
 * Shown on every console page while this instance is degraded: the database unreachable, or the
 * enforcement circuit breaker open or half-open. It polls /api/health, which answers without the
 * database, so it still works during the outage it reports.
 */
export function ReliabilityBanner() {
  const { data } = useQuery({
    queryKey: ["health"],
    queryFn: async () => (await fetch("/api/health", { cache: "no-store" })).json() as Promise<Health>,
    refetchInterval: 2000,
  });
  if (!data || data.status !== "degraded" || !data.degraded?.length) return null;
  const circuit = data.reliability?.circuit.state;
  return (
    <div role="region" aria-label="Degraded service" data-testid="reliability-banner" className="bg-orange-600 px-4 py-2 text-sm text-white">
      <ul className="mx-auto max-w-7xl space-y-1">
        {data.degraded.map((d) => (
          <li key={d.component} className="flex flex-wrap items-start gap-x-2" data-testid={`degraded-${d.component}`}>
            {d.component === "database" ? <StopIcon /> : <WarningIcon />}
            <strong className="uppercase">
              {TITLE[d.component]}
              {d.component === "enforcement" && circuit ? `: ${circuit === "half_open" ? "half-open" : circuit}` : ""}
            </strong>
            <span>since {d.since.slice(11, 19)} UTC · {d.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
