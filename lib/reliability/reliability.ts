import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import path from "node:path";
import type { AuditInput } from "@/lib/audit/event";
import { SYSTEM } from "@/lib/auth/principal";
import type { DecisionRecord } from "@/lib/dataplane/decision-log";
import type { Store } from "@/lib/db/store";
import { env } from "@/lib/env";
import { slackMessage } from "@/lib/notify/webhooks";
import { EnforcementBreaker, type BreakerConfig, type BreakerStatus, type DenySpike } from "@/lib/reliability/breaker";
import { Journal, type JournalEntry } from "@/lib/reliability/journal";
import { writeJournalEntries } from "@/lib/reliability/replay";
import { StoreHealth, type StoreHealthState } from "@/lib/reliability/store-health";
import type { DecideInput } from "@/lib/dataplane/decide";

export interface ReliabilityStatus {
  instance: string;
  database: StoreHealthState;
  circuit: Omit<BreakerStatus, "since"> & { since: string };
  journal: { backlog: boolean; synced: number };
}

export interface ReliabilityOptions {
  dataDir?: string;
  breaker?: Partial<BreakerConfig>;
  instance?: string;
  healthIntervalMs?: number;
}

export function breakerConfigFromEnv(): BreakerConfig {
  const e = env();
  return {
    windowMs: e.GOVERNOR_BREAKER_WINDOW_S * 1000,
    maxErrorRate: e.GOVERNOR_BREAKER_ERROR_RATE,
    maxP99Ms: e.GOVERNOR_BREAKER_P99_MS,
    minSamples: e.GOVERNOR_BREAKER_MIN_SAMPLES,
    cooldownMs: e.GOVERNOR_BREAKER_COOLDOWN_S * 1000,
    probes: e.GOVERNOR_BREAKER_PROBES,
    denySpike: e.GOVERNOR_DENY_SPIKE,
  };
}

/**
 * Everything that keeps one instance deciding through faults: the enforcement circuit breaker,
 * the database's health, and the journal that holds decision-log and audit records while the
 * database cannot take them. State is per instance (each has its own breaker and journal), so
 * every audit event names the instance.
 */
export class Reliability {
  readonly instance: string;
  readonly breaker: EnforcementBreaker;
  readonly health: StoreHealth;
  readonly journal: Journal;
  /**
   * Test-only fault injection: awaited inside the measured evaluation, so a test can make
   * evaluations really fail or really take long. Only code holding this object can set it; no
   * HTTP route, setting or policy reaches it.
   */
  testOnlyEvaluationFault: ((input: DecideInput) => Promise<void> | void) | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private replayQueued = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private spikeListeners: ((s: DenySpike) => void)[] = [];

  private constructor(private readonly store: Store, opts: ReliabilityOptions) {
    const e = env();
    this.instance = opts.instance ?? `${hostname()}:${e.PORT}:${process.pid}`;
    this.breaker = new EnforcementBreaker({ ...breakerConfigFromEnv(), ...opts.breaker });
    this.health = new StoreHealth(() => store.rawQuery("SELECT 1"), { intervalMs: opts.healthIntervalMs ?? 1000, timeoutMs: e.GOVERNOR_DB_TIMEOUT_MS });
    this.journal = new Journal(path.resolve(opts.dataDir ?? e.GOVERNOR_DATA_DIR, "journal"));
    const target = `instance:${this.instance}`;
    this.breaker.onTransition((t) => {
      console.error(`[breaker] ${this.instance}: circuit ${t.from} → ${t.to}: ${t.reason}`);
      this.audit({ actor: SYSTEM.actor, action: `enforcement.circuit_${t.to}`, target, before: { state: t.from }, after: { state: t.to, instance: this.instance, at: new Date(t.at).toISOString() }, reason: t.reason });
    });
    this.breaker.onDenySpike((s) => {
      const text = `:rotating_light: Deny rate on ${this.instance} is ${(s.rate * 100).toFixed(1)}%, more than ${this.breaker.config.denySpike * 100}% above its baseline of ${(s.baseline * 100).toFixed(1)}% over ${s.decisions} decisions.`;
      this.audit(
        { actor: SYSTEM.actor, action: "enforcement.deny_spike", target, after: { instance: this.instance, rate: s.rate, baseline: s.baseline, decisions: s.decisions, at: new Date(s.at).toISOString() }, reason: text },
        { event: "enforcement.deny_spike", message: { ...slackMessage(text), instance: this.instance, rate: s.rate, baseline: s.baseline } },
      );
      for (const fn of this.spikeListeners) fn(s);
    });
    this.health.onChange((s) => {
      console.error(`[store] ${this.instance}: database ${s.up ? "reachable again" : `unreachable (${s.detail})`}`);
      if (!s.up) {
        this.audit({ actor: SYSTEM.actor, action: "store.unavailable", target, after: { instance: this.instance, since: s.since, detail: s.detail }, reason: "Database unreachable; deciding from the last policy snapshot and journaling records locally" });
        return;
      }
      this.queueReplay();
      this.audit({ actor: SYSTEM.actor, action: "store.restored", target, after: { instance: this.instance, since: s.since } });
    });
  }

  static async open(store: Store, opts: ReliabilityOptions = {}): Promise<Reliability> {
    const r = new Reliability(store, opts);
    const left = await r.journal.recover();
    if (left > 0) {
      console.log(`[journal] replaying ${left} records an earlier run left in ${r.journal.dir}`);
      await r.queueReplay();
    }
    // PGlite runs inside this process: it cannot be unreachable, and a probe queued behind a long
    // transaction on its one connection would only report a false outage.
    if (store.kind !== "pglite") r.health.start();
    // A replay that failed (the store flapped) is retried while records wait.
    r.retryTimer = setInterval(() => r.health.isUp && r.journal.backlog && void r.queueReplay(), 2000);
    r.retryTimer.unref();
    return r;
  }

  /**
   * Hook for the decision-log writer: while the store is down, or older records still wait in the
   * journal, a batch goes to the journal (durable once the promise resolves); otherwise null and
   * the writer writes it to the store itself.
   */
  divertDecisions = (batch: DecisionRecord[]): Promise<void> | null => {
    if (this.health.isUp && !this.journal.backlog) return null;
    return this.journal.append(batch.map((record) => ({ kind: "decision", record })));
  };

  /** A deny rate more than the configured share above its baseline; rollouts pause on it. */
  onDenySpike(fn: (s: DenySpike) => void): () => void {
    this.spikeListeners.push(fn);
    return () => (this.spikeListeners = this.spikeListeners.filter((f) => f !== fn));
  }

  /** Appends a system audit event, in order: to the store when it is reachable, else to the journal. */
  audit(input: AuditInput, webhook?: { event: string; message: Record<string, unknown> }): Promise<void> {
    const entry: JournalEntry = { kind: "audit", id: randomUUID(), input, ...(webhook ? { webhook } : {}) };
    return this.enqueue(async () => {
      if (this.health.isUp && !this.journal.backlog) {
        try {
          await writeJournalEntries(this.store.prisma, [entry]);
          return;
        } catch (err) {
          this.health.report(err);
        }
      }
      await this.journal.append([entry]);
    });
  }

  status(): ReliabilityStatus {
    const b = this.breaker.status();
    return {
      instance: this.instance,
      database: this.health.state(),
      circuit: { ...b, since: new Date(b.since).toISOString() },
      journal: { backlog: this.journal.backlog, synced: this.journal.synced },
    };
  }

  /** Waits for queued audit writes and replays (tests, shutdown). */
  settled(): Promise<void> {
    return this.enqueue(async () => {});
  }

  async close(): Promise<void> {
    this.health.stop();
    if (this.retryTimer) clearInterval(this.retryTimer);
    await this.settled();
    await this.journal.close();
  }

  private queueReplay(): Promise<void> {
    if (this.replayQueued) return this.settled();
    this.replayQueued = true;
    return this.enqueue(async () => {
      this.replayQueued = false;
      if (this.health.isUp) await this.replay();
    });
  }

  private async replay(): Promise<void> {
    const n = await this.journal.replay(async (entries) => {
      const w = await writeJournalEntries(this.store.prisma, entries);
      console.log(`[journal] replayed ${entries.length} records (${w.decisions} decisions and ${w.audits} audit events new to the store)`);
    });
    if (n > 0) console.log(`[journal] ${this.journal.dir} is empty again`);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task).catch((err) => {
      console.error("[reliability]", (err as Error).message);
      this.health.report(err);
    });
    this.chain = run;
    return run;
  }
}
