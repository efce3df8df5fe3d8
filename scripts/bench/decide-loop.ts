// An agent deciding in a loop through the real SDK (lib/sdk), watched by the kill-switch
// benchmark: it answers "when, after time t, did this client first get an answer like X?".
// Remote mode decides back to back (each decide is a loopback round trip, so the loop yields on
// I/O). A local decide resolves without I/O, so a back-to-back loop would starve the event loop
// that delivers the stream and poll answers; the local loop decides once per millisecond, and so
// does the remote loop after a failsafe answer (an open breaker answers without I/O too).
import { performance } from "node:perf_hooks";
import type { Governor } from "@/lib/sdk";
import type { DecideInput, Decision } from "@/lib/sdk/types";
import { sleep } from "@/scripts/bench/stats";

export interface Seen {
  at: number;
  /** The SDK answered from its snapshot because Governor did not answer in time. */
  failsafe: boolean;
}

interface Waiter {
  since: number;
  want: (d: Decision) => boolean;
  resolve: (seen: Seen | null) => void;
  timer: NodeJS.Timeout;
}

export class DecideLoop {
  decides = 0;
  /** Answers marked failsafe: the SDK could not reach Governor in time and answered from its snapshot. */
  failsafe = 0;
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private waiters = new Set<Waiter>();
  private startedAt = 0;

  constructor(
    private readonly gov: Governor,
    private readonly req: DecideInput,
    private readonly pauseMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.startedAt = performance.now();
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
    this.waiters.clear();
  }

  /** Decides per second since start(): the resolution of every measurement taken with this loop. */
  get rate(): number {
    return this.decides / ((performance.now() - this.startedAt) / 1000);
  }

  /**
   * Resolves with the time (performance.now()) the first answer matching `want` arrived among
   * the decides that ended after `since`, or null after `timeoutMs`. Failsafe answers count when
   * they match: the agent acts on them like on any other.
   */
  waitFor(want: (d: Decision) => boolean, since: number, timeoutMs: number): Promise<Seen | null> {
    return new Promise((resolve) => {
      const w: Waiter = { since, want, resolve, timer: setTimeout(() => (this.waiters.delete(w), resolve(null)), timeoutMs) };
      this.waiters.add(w);
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let d: Decision;
      try {
        d = await this.gov.decide(this.req);
      } catch (err) {
        console.error(`  decide loop: ${(err as Error).message}`);
        await sleep(10);
        continue;
      }
      const at = performance.now();
      this.decides++;
      if (d.failsafe) this.failsafe++;
      for (const w of this.waiters) {
        if (at < w.since || !w.want(d)) continue;
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve({ at, failsafe: d.failsafe === true });
      }
      if (this.pauseMs > 0 || d.failsafe) await sleep(Math.max(1, this.pauseMs));
    }
  }
}
