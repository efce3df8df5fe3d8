import { EventEmitter } from "node:events";
import type { Db } from "@/lib/db/client";
import { toControlState } from "@/lib/controls/controls";
import { activeGrants, toGrantState } from "@/lib/grants/grants";
import { compile, type Snapshot } from "@/lib/policy/compile";
import { PolicyDocument } from "@/lib/policy/document";
import type { Overlay } from "@/lib/policy/overlay";
import type { Store } from "@/lib/db/store";
import { TX_OPTIONS } from "@/lib/db/mutate";
import { activeRolloutSource, compileCanary, type CanaryRoute, type RolloutSource } from "@/lib/rollouts/route";
import { loadWorld } from "@/lib/runtime-model/load-world";

/** What the SDK needs to compile the same snapshot locally (GET /api/v1/policy/snapshot). */
export interface SnapshotSource {
  policyVersion: number;
  generation: number;
  document: PolicyDocument;
  overlay: Overlay;
  /** The active rollout's candidate and its share of sessions; absent when none is active. */
  rollout?: RolloutSource;
}

const EMPTY_DOCUMENT = PolicyDocument.parse({});

/** Reads version, controls, grants and generation as one consistent picture. */
export async function loadSnapshotSource(db: Db): Promise<SnapshotSource> {
  return db.$transaction(
    async (tx) => {
      const generation = (await tx.generation.findUnique({ where: { id: 1 } }))?.value ?? 0;
      const head = await tx.policyHead.findUnique({ where: { id: 1 } });
      const version = head ? await tx.policyVersion.findUnique({ where: { number: head.version } }) : null;
      const controls = (await tx.runtimeControl.findMany()).map(toControlState);
      const grants = (await activeGrants(tx as unknown as Db)).map(toGrantState);
      const rollout = await activeRolloutSource(tx);
      const world = await loadWorld(tx as unknown as Db);
      return {
        policyVersion: version?.number ?? 0,
        generation,
        // Stored versions were validated on write; parsing again fills defaults added since.
        document: version ? PolicyDocument.parse(version.document) : EMPTY_DOCUMENT,
        overlay: { controls, grants, ...world },
        ...(rollout ? { rollout } : {}),
      };
    },
    { isolationLevel: "RepeatableRead", ...TX_OPTIONS },
  );
}

/**
 * Holds the compiled snapshot every decision reads. A committed change (generation event)
 * triggers a reload; the new snapshot replaces the old by reference, so a decision in flight
 * finishes under the snapshot it started with and the next one sees the change.
 */
export class SnapshotHolder {
  current: Snapshot;
  /** The rollout candidate, compiled with the same overlay; null when no rollout is active. */
  canary: CanaryRoute | null;
  source: SnapshotSource;
  private readonly events = new EventEmitter();
  private reloading: Promise<void> | null = null;
  private closed = false;
  private again = false;
  private unsubscribe: () => void;

  private constructor(private readonly store: Store, source: SnapshotSource) {
    this.source = source;
    this.current = compile(source.document, source.overlay, source);
    this.canary = compileCanary(source);
    this.events.setMaxListeners(0);
    this.unsubscribe = store.bus.onGeneration(({ generation }) => {
      if (generation > this.source.generation) void this.reload();
    });
  }

  static async open(store: Store): Promise<SnapshotHolder> {
    return new SnapshotHolder(store, await loadSnapshotSource(store.prisma));
  }

  /** Coalesces bursts: one reload at a time, and one more if changes arrived meanwhile. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      do {
        this.again = false;
        try {
          const source = await loadSnapshotSource(this.store.prisma);
          if (source.generation >= this.source.generation) {
            this.source = source;
            this.current = compile(source.document, source.overlay, source);
            this.canary = compileCanary(source);
            this.events.emit("snapshot", this.current);
          }
        } catch (err) {
          // Keep deciding on the last good snapshot and try again shortly: no further change
          // may come to trigger another reload.
          console.error("[snapshot] reload failed; still serving generation", this.source.generation, (err as Error).message);
          if (!this.closed) setTimeout(() => void this.reload(), 500).unref();
        }
      } while (this.again);
      this.reloading = null;
    })();
    return this.reloading;
  }

  onSnapshot(listener: (s: Snapshot) => void): () => void {
    this.events.on("snapshot", listener);
    return () => this.events.off("snapshot", listener);
  }

  /** Resolves once no reload is in flight (so the store can close under it safely). */
  async idle(): Promise<void> {
    while (this.reloading) await this.reloading;
  }

  onClose(listener: () => void): () => void {
    this.events.on("close", listener);
    return () => this.events.off("close", listener);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.events.emit("close");
    this.events.removeAllListeners();
  }
}
