import type { Db } from "@/lib/db/client";
import { loadSnapshotSource } from "@/lib/dataplane/snapshot-holder";
import { compile, type Snapshot } from "@/lib/policy/compile";
import { compileCanary, type CanaryRoute } from "@/lib/rollouts/route";

export interface CommittedSnapshots {
  generation: number;
  stable: Snapshot;
  /** During a rollout, the candidate with the same overlay, as the data plane routes it. */
  canary: CanaryRoute | null;
}

// Per store, until its generation moves. The console asks often (the request page every 2 s, the
// queue for up to 200 requests a poll, the agent page every 10 s), and reading and compiling the
// committed state each time cost a few milliseconds of the event loop that answers decisions.
const compiled = new WeakMap<Db, CommittedSnapshots>();

/**
 * The committed state compiled the way the data plane compiles it (same source, same compiler),
 * for the console's questions about it. A change bumps the generation in its own transaction, so
 * a cached compile whose generation is the store's is the committed state.
 */
export async function committedSnapshots(db: Db): Promise<CommittedSnapshots> {
  const generation = (await db.generation.findUnique({ where: { id: 1 } }))?.value ?? 0;
  const hit = compiled.get(db);
  if (hit && hit.generation === generation) return hit;
  const source = await loadSnapshotSource(db);
  const fresh = { generation: source.generation, stable: compile(source.document, source.overlay, source), canary: compileCanary(source) };
  compiled.set(db, fresh);
  return fresh;
}
