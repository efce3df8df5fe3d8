import { compile, type Snapshot } from "@/lib/policy/compile";
import { PolicyDocument } from "@/lib/policy/document";
import { requestJson, type HttpOptions } from "@/lib/sdk/http";
import { GenerationStream } from "@/lib/sdk/stream";
import { GenerationSchema, SnapshotSourceSchema, type GenerationInfo } from "@/lib/sdk/types";

// Background calls are not on an agent's critical path, so they get a longer deadline than a
// decision; a slow server should still deliver the new policy.
const BACKGROUND_TIMEOUT_MS = 3000;

export interface PolicySyncOptions {
  http: HttpOptions;
  pollIntervalMs: number;
}

/**
 * Keeps the generation and the compiled snapshot current: the stream announces generations;
 * while it is down the generation is polled every `pollIntervalMs`; any generation newer than
 * the snapshot re-fetches /api/v1/policy/snapshot and compiles it. Both modes keep a snapshot,
 * because the failsafe category of a tool comes from its registry (see failsafe.ts).
 */
export class PolicySync {
  snapshot: Snapshot | null = null;
  /** The snapshot came with an active rollout: which version a session gets is the server's call. */
  rolloutActive = false;
  private latest: GenerationInfo | null = null;
  private readonly stream: GenerationStream;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private polling = false;
  private pollAgain = false;
  private refreshing = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly opts: PolicySyncOptions) {
    this.stream = new GenerationStream({
      url: opts.http.url,
      token: opts.http.token,
      fetch: opts.http.fetch,
      onGeneration: (g) => {
        opts.http.onReachable();
        this.note(g);
      },
      onConnected: (up) => (up ? this.stopPolling() : this.startPolling()),
    });
  }

  get generation(): number | null {
    return this.latest?.generation ?? null;
  }

  get policyVersion(): number | null {
    return this.latest?.policyVersion ?? null;
  }

  get streamConnected(): boolean {
    return this.stream.connected;
  }

  start(): void {
    // Poll until the stream is up, so a blocked stream never leaves the agent without policy.
    this.startPolling();
    this.stream.start();
  }

  /** Resolves once a snapshot is compiled, or rejects after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    if (this.snapshot) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No policy snapshot from Governor within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A generation seen anywhere (stream, poll, a decision's answer); newer ones refresh the snapshot. */
  note(g: GenerationInfo): void {
    if (!this.latest || g.generation > this.latest.generation) this.latest = g;
    if (this.behind()) void this.refresh();
  }

  close(): void {
    this.closed = true;
    this.stream.close();
    this.stopPolling();
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  private startPolling(): void {
    if (this.pollTimer || this.closed) return;
    void this.poll();
    this.pollTimer = setInterval(() => void this.poll(), this.opts.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /**
   * One poll at a time. A poll asked for while one is in flight runs as soon as it ends: the
   * one in flight may have started before the stream dropped and die with the same connection,
   * and skipping the new one would leave the agent blind until the next interval.
   */
  private async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      this.note(await requestJson(this.opts.http, "/api/v1/policy/generation", { timeoutMs: BACKGROUND_TIMEOUT_MS, schema: GenerationSchema }));
    } catch {
      // Still unreachable; the next tick tries again.
    } finally {
      this.polling = false;
    }
    if (this.pollAgain && !this.closed) {
      this.pollAgain = false;
      return this.poll();
    }
  }

  /**
   * One fetch at a time. A generation announced during the fetch fetches again at once; a
   * server still behind what was announced (another instance, a reload in progress) or an
   * error retries after one poll interval instead of spinning.
   */
  private async refresh(): Promise<void> {
    if (this.refreshing || this.closed || !this.behind()) return;
    this.refreshing = true;
    const wanted = this.latest!.generation;
    let failed = false;
    try {
      const src = await requestJson(this.opts.http, "/api/v1/policy/snapshot", { timeoutMs: BACKGROUND_TIMEOUT_MS, schema: SnapshotSourceSchema });
      if (!this.snapshot || src.generation >= this.snapshot.generation) {
        this.snapshot = compile(PolicyDocument.parse(src.document), src.overlay, src);
        this.rolloutActive = src.rollout !== undefined;
        for (const w of this.waiters.splice(0)) w();
      }
      if (src.generation > this.latest!.generation) this.latest = { generation: src.generation, policyVersion: src.policyVersion };
    } catch {
      failed = true; // keep deciding on the last good snapshot
    } finally {
      this.refreshing = false;
    }
    if (!this.behind() || this.closed) return;
    if (!failed && this.latest!.generation > wanted) return void this.refresh();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.refresh(), this.opts.pollIntervalMs);
    this.retryTimer.unref?.();
  }

  private behind(): boolean {
    return this.latest !== null && (!this.snapshot || this.snapshot.generation < this.latest.generation);
  }
}
