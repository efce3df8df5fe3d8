import type { BreakerOptions } from "@/lib/sdk/types";

export type BreakerState = "closed" | "open" | "half_open";

/**
 * A circuit breaker around decision calls, so an unreachable Governor costs an agent one
 * timeout per cool-down instead of one per tool call.
 *
 *  - closed:    every call goes through; `failureThreshold` consecutive failures open it
 *               (a success in between resets the count, so sporadic blips never open it).
 *  - open:      no call goes through; decide() answers failsafe at once. After `cooldownMs`
 *               the next call becomes the trial.
 *  - half_open: exactly one trial call is in flight; others still get failsafe. The trial's
 *               success closes the breaker, its failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private state_: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private readonly threshold: number;
  private readonly cooldownMs: number;

  constructor(opts: BreakerOptions = {}, private readonly now: () => number = Date.now) {
    this.threshold = Math.max(1, opts.failureThreshold ?? 5);
    this.cooldownMs = Math.max(0, opts.cooldownMs ?? 2000);
  }

  get state(): BreakerState {
    return this.state_;
  }

  /** May a call go to the server now? A true in the open state claims the single trial. */
  tryAcquire(): boolean {
    if (this.state_ === "closed") return true;
    if (this.state_ === "open" && this.now() - this.openedAt >= this.cooldownMs) {
      this.state_ = "half_open";
      return true;
    }
    return false;
  }

  success(): void {
    this.state_ = "closed";
    this.failures = 0;
  }

  failure(): void {
    this.failures += 1;
    if (this.state_ === "half_open" || this.failures >= this.threshold) {
      this.state_ = "open";
      this.openedAt = this.now();
    }
  }
}
