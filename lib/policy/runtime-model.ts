import type { DependencyState, ServiceState } from "@/lib/policy/overlay";

// The runtime model compiled for the blast-radius check: per service, every service an action on
// it reaches and their share of traffic, precomputed so a decision does one map lookup.

export interface CompiledService {
  share: number;
  zone: string | null;
  /** The service itself and everything that (transitively) depends on it, sorted. */
  affected: readonly string[];
  /** Sum of the distinct affected services' shares, capped at 1. */
  predicted: number;
}

export type CompiledRuntime = ReadonlyMap<string, CompiledService>;

/**
 * An action on service S reaches S and every service that depends on S, directly or through
 * others: a breadth-first walk over the reversed edges. Cycles are allowed (real systems have
 * them, e.g. two services calling each other); the visited set makes each service count once.
 * Edges naming a service that is not in the model are ignored here (the admin API refuses them).
 */
export function compileRuntime(services: readonly ServiceState[] = [], dependencies: readonly DependencyState[] = []): CompiledRuntime {
  const byName = new Map(services.map((s) => [s.name, s]));
  const dependents = new Map<string, string[]>();
  for (const d of dependencies) {
    if (!byName.has(d.service) || !byName.has(d.dependsOn)) continue;
    const list = dependents.get(d.dependsOn) ?? [];
    list.push(d.service);
    dependents.set(d.dependsOn, list);
  }
  const out = new Map<string, CompiledService>();
  for (const s of services) {
    const seen = new Set([s.name]);
    const queue = [s.name];
    while (queue.length) {
      for (const next of dependents.get(queue.shift()!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    const affected = [...seen].sort();
    const total = affected.reduce((sum, n) => sum + (byName.get(n)?.share ?? 0), 0);
    // Rounded to 1e-9 so 0.1 + 0.2 compares equal to a bound of 0.3.
    out.set(s.name, Object.freeze({ share: s.share, zone: s.zone, affected, predicted: Math.min(1, Math.round(total * 1e9) / 1e9) }));
  }
  return out;
}
