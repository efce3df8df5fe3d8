import { RollingWindow, type WindowTotals } from "@/lib/reliability/rolling-window";

export type CircuitState = "closed" | "open" | "half_open";

export interface BreakerConfig {
  /** Length of the rolling window the trips are measured over (the seed's "over 5 minutes"). */
  windowMs: number;
  /** Opens when errors / evaluations exceeds this (0.01 = 1%). */
  maxErrorRate: number;
  /** Opens when the window's p99 evaluation latency exceeds this. */
  maxP99Ms: number;
  /** Neither trip fires on fewer evaluations than this: 1 error in 3 calls is noise, not a rate. */
  minSamples: number;
  /** How long the circuit stays open before half-open lets probes through the engine again. */
  cooldownMs: number;
  /** Decisions half-open sends through the engine; all must succeed for the circuit to close. */
  probes: number;
  /** A deny rate this much above its baseline (0.2 = 20% above) raises the deny-spike alert. */
  denySpike: number;
}

export const DEFAULT_BREAKER: BreakerConfig = {
  windowMs: 5 * 60_000,
  maxErrorRate: 0.01,
  maxP99Ms: 500,
  minSamples: 100,
  cooldownMs: 30_000,
  probes: 10,
  denySpike: 0.2,
};

// A spike must also be at least this many percentage points, so a baseline of 0.1% denies moving
// to 0.13% (30% "above") does not page anyone.
const MIN_SPIKE_POINTS = 0.01;

export interface Transition {
  from: CircuitState;
  to: CircuitState;
  at: number;
  reason: string;
}

export interface DenySpike {
  at: number;
  rate: number;
  baseline: number;
  decisions: number;
}

export interface BreakerStatus {
  state: CircuitState;
  since: number;
  reason: string | null;
  window: { evaluations: number; errors: number; errorRate: number; p99Ms: number | null; denyRate: number | null; baselineDenyRate: number | null };
}

/**
 * The enforcement circuit breaker, as a pure state machine: no I/O, an injected clock, every
 * input passed in. The caller asks `admit()` before each decision and reports how the engine did
 * with `record()`; transitions and deny spikes come back through the listeners.
 *
 *   closed    every decision goes through the engine; the window's error rate or p99 trips it
 *   open      decisions follow each tool's failsafe category; after `cooldownMs`, half-open
 *   half_open the next `probes` decisions go through the engine, the rest stay failsafe; one
 *             failed or slow probe re-opens, all probes passing closes (with a fresh window, or
 *             the errors that opened it would trip it again at once)
 *
 * The deny baseline is the deny rate of the window before the current one (minutes 5–10 ago with
 * the default window): the rate agents normally see, so a new policy or an attack that makes far
 * more calls refused shows as a spike. Failsafe answers are not engine decisions and count in
 * neither rate.
 */
export class EnforcementBreaker {
  private state_: CircuitState = "closed";
  private since = 0;
  private reason: string | null = null;
  private probesLeft = 0;
  private probesPending = 0;
  private spiking = false;
  private readonly health: RollingWindow;
  private readonly verdicts: RollingWindow;
  private readonly listeners = { transition: [] as ((t: Transition) => void)[], spike: [] as ((s: DenySpike) => void)[] };

  constructor(readonly config: BreakerConfig = DEFAULT_BREAKER, private readonly now: () => number = Date.now) {
    this.since = now();
    this.health = new RollingWindow(config.windowMs, 1, now);
    // Two windows' worth of buckets: the current window and the baseline before it.
    this.verdicts = new RollingWindow(config.windowMs, 2, now);
  }

  get state(): CircuitState {
    return this.state_;
  }

  onTransition(fn: (t: Transition) => void): void {
    this.listeners.transition.push(fn);
  }

  onDenySpike(fn: (s: DenySpike) => void): void {
    this.listeners.spike.push(fn);
  }

  /** "engine" to evaluate this decision normally, "failsafe" to answer by category. */
  admit(): "engine" | "failsafe" {
    if (this.state_ === "open" && this.now() - this.since >= this.config.cooldownMs) {
      this.move("half_open", `cool-down of ${Math.round(this.config.cooldownMs / 1000)} s over; probing the engine with ${this.config.probes} decisions`);
      this.probesLeft = this.config.probes;
      this.probesPending = 0;
    }
    if (this.state_ === "closed") return "engine";
    if (this.state_ === "half_open" && this.probesLeft > 0) {
      this.probesLeft--;
      this.probesPending++;
      return "engine";
    }
    return "failsafe";
  }

  /** How one engine evaluation went: thrown (`ok: false`) or answered, how long it took, its verdict. */
  record(r: { ok: boolean; latencyMs: number; decision?: string }): void {
    const failed = !r.ok || r.latencyMs > this.config.maxP99Ms;
    if (this.state_ === "half_open") {
      this.probesPending = Math.max(0, this.probesPending - 1);
      if (failed) {
        this.move("open", r.ok ? `a half-open probe took ${Math.round(r.latencyMs)} ms (limit ${this.config.maxP99Ms} ms)` : "a half-open probe failed");
        return;
      }
      if (this.probesLeft === 0 && this.probesPending === 0) {
        this.health.reset();
        this.move("closed", `all ${this.config.probes} half-open probes succeeded`);
      }
    }
    if (this.state_ === "open") return; // a decision admitted before the trip finishing late
    this.health.add({ count: 1, errors: r.ok ? 0 : 1, latencyMs: r.latencyMs, slow: r.latencyMs > this.config.maxP99Ms });
    if (r.ok && r.decision) this.recordVerdict(r.decision);
    if (this.state_ === "closed") this.checkTrip();
  }

  status(): BreakerStatus {
    const w = this.health.totals();
    const cur = this.verdicts.totals(0);
    const base = this.verdicts.totals(1);
    return {
      state: this.state_,
      since: this.since,
      reason: this.reason,
      window: {
        evaluations: w.count,
        errors: w.errors,
        errorRate: w.count ? w.errors / w.count : 0,
        p99Ms: this.health.quantile(0.99),
        denyRate: cur.count ? cur.denies / cur.count : null,
        baselineDenyRate: base.count ? base.denies / base.count : null,
      },
    };
  }

  private checkTrip(): void {
    const w: WindowTotals = this.health.totals();
    if (w.count < this.config.minSamples) return;
    const rate = w.errors / w.count;
    if (rate > this.config.maxErrorRate) {
      return this.move("open", `evaluation error rate ${(rate * 100).toFixed(1)}% (${w.errors} of ${w.count}) is above ${this.config.maxErrorRate * 100}% over the last ${this.windowText()}`);
    }
    // p99 > bound exactly when more than 1% of evaluations took longer than the bound; counted
    // per evaluation, so the trip does not depend on the histogram's bins.
    if (w.slow > w.count - Math.ceil(0.99 * w.count)) {
      this.move("open", `evaluation p99 is above ${this.config.maxP99Ms} ms over the last ${this.windowText()}: ${w.slow} of ${w.count} evaluations took longer`);
    }
  }

  private recordVerdict(decision: string): void {
    this.verdicts.add({ count: 1, denies: decision === "deny" ? 1 : 0 });
    const cur = this.verdicts.totals(0);
    const base = this.verdicts.totals(1);
    if (cur.count < this.config.minSamples || base.count < this.config.minSamples) return;
    const rate = cur.denies / cur.count;
    const baseline = base.denies / base.count;
    const spike = rate > baseline * (1 + this.config.denySpike) && rate - baseline >= MIN_SPIKE_POINTS;
    // Edge-triggered: one alert per episode, re-armed once the rate is back under the bound.
    if (spike && !this.spiking) for (const fn of this.listeners.spike) fn({ at: this.now(), rate, baseline, decisions: cur.count });
    this.spiking = spike;
  }

  private windowText(): string {
    const s = this.config.windowMs / 1000;
    return s % 60 === 0 ? `${s / 60} min` : `${s} s`;
  }

  private move(to: CircuitState, reason: string): void {
    const from = this.state_;
    this.state_ = to;
    this.since = this.now();
    this.reason = reason;
    for (const fn of this.listeners.transition) fn({ from, to, at: this.since, reason });
  }
}
