import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_BREAKER, EnforcementBreaker, type DenySpike, type Transition } from "@/lib/reliability/breaker";

// The state machine alone, with an injected clock and injected evaluation results.
function harness(overrides: Partial<typeof DEFAULT_BREAKER> = {}) {
  let t = 1_000_000;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const b = new EnforcementBreaker({ ...DEFAULT_BREAKER, ...overrides }, clock.now);
  const transitions: Transition[] = [];
  const spikes: DenySpike[] = [];
  b.onTransition((x) => transitions.push(x));
  b.onDenySpike((x) => spikes.push(x));
  const run = (n: number, r: { ok?: boolean; latencyMs?: number; decision?: string } = {}) => {
    for (let i = 0; i < n; i++) {
      assert.equal(b.admit(), "engine");
      b.record({ ok: r.ok ?? true, latencyMs: r.latencyMs ?? 1, decision: r.decision ?? "allow" });
    }
  };
  return { b, clock, transitions, spikes, run };
}

describe("enforcement breaker: trips", () => {
  it("stays closed at an error rate of exactly 1%, opens just above it", () => {
    const { b, run, transitions } = harness();
    run(198);
    run(2, { ok: false });
    assert.equal(b.state, "closed", "2 of 200 is 1%, not above it");
    run(1, { ok: false });
    assert.equal(b.state, "open");
    assert.equal(transitions.length, 1);
    assert.match(transitions[0]!.reason, /error rate 1\.5% \(3 of 201\) is above 1% over the last 5 min/);
    assert.equal(b.admit(), "failsafe");
  });

  it("does not trip on errors below the minimum sample", () => {
    const { b, run } = harness();
    run(10, { ok: false });
    assert.equal(b.state, "closed", "10 errors in 10 evaluations is under the 100-evaluation minimum");
    run(89);
    assert.equal(b.state, "closed");
    run(1);
    assert.equal(b.state, "open", "the 100th evaluation makes the 10% rate count");
  });

  it("opens when more than 1% of evaluations exceed the p99 bound", () => {
    const { b, run, transitions } = harness();
    run(99, { latencyMs: 3 });
    run(1, { latencyMs: 900 });
    assert.equal(b.state, "closed", "1 slow in 100: the p99 is still under 500 ms");
    run(1, { latencyMs: 501 });
    assert.equal(b.state, "open");
    assert.match(transitions[0]!.reason, /p99 is above 500 ms over the last 5 min: 2 of 101/);
  });

  it("forgets errors older than the window", () => {
    const { b, run, clock } = harness();
    run(100);
    run(1, { ok: false });
    clock.advance(5 * 60_000 + 10_000);
    run(100);
    run(1, { ok: false });
    assert.equal(b.state, "closed", "the first error left the window");
    assert.equal(b.status().window.errors, 1);
  });
});

describe("enforcement breaker: recovery", () => {
  const tripped = (overrides = {}) => {
    const h = harness({ cooldownMs: 30_000, probes: 3, ...overrides });
    h.run(100);
    h.run(2, { ok: false });
    assert.equal(h.b.state, "open");
    return h;
  };

  it("stays open through the cool-down, then half-open admits exactly the probe sample", () => {
    const { b, clock, transitions } = tripped();
    clock.advance(29_999);
    assert.equal(b.admit(), "failsafe");
    clock.advance(1);
    assert.deepEqual([b.admit(), b.admit(), b.admit(), b.admit()], ["engine", "engine", "engine", "failsafe"]);
    assert.equal(b.state, "half_open");
    assert.deepEqual(transitions.map((t) => `${t.from}>${t.to}`), ["closed>open", "open>half_open"]);
  });

  it("closes when every probe succeeds, with a fresh window", () => {
    const { b, clock, transitions } = tripped();
    clock.advance(30_000);
    for (let i = 0; i < 3; i++) assert.equal(b.admit(), "engine");
    b.record({ ok: true, latencyMs: 2, decision: "allow" });
    b.record({ ok: true, latencyMs: 2, decision: "allow" });
    assert.equal(b.state, "half_open", "one probe still out");
    b.record({ ok: true, latencyMs: 2, decision: "allow" });
    assert.equal(b.state, "closed");
    assert.equal(transitions.at(-1)!.reason, "all 3 half-open probes succeeded");
    assert.equal(b.status().window.errors, 0, "the errors that opened it are gone");
    assert.equal(b.admit(), "engine");
  });

  it("re-opens on a failed probe and on a slow probe, each time for a full cool-down", () => {
    const { b, clock, transitions } = tripped();
    clock.advance(30_000);
    b.admit();
    b.record({ ok: false, latencyMs: 1 });
    assert.equal(b.state, "open");
    assert.equal(b.admit(), "failsafe");
    clock.advance(30_000);
    b.admit();
    b.record({ ok: true, latencyMs: 800, decision: "allow" });
    assert.equal(b.state, "open");
    assert.match(transitions.at(-1)!.reason, /probe took 800 ms \(limit 500 ms\)/);
    assert.deepEqual(transitions.map((t) => t.to), ["open", "half_open", "open", "half_open", "open"]);
  });
});

describe("enforcement breaker: deny spike", () => {
  it("alerts once when the deny rate is more than 20% above the previous window's", () => {
    const { clock, run, spikes, b } = harness({ windowMs: 60_000 });
    // Baseline window: 10% denies.
    for (let i = 0; i < 20; i++) {
      run(9);
      run(1, { decision: "deny" });
      clock.advance(2_000);
    }
    clock.advance(62_000); // now the 200 above are all in the previous window
    run(100);
    run(12, { decision: "deny" }); // 12/112 = 10.7%: 7% above the baseline
    assert.equal(spikes.length, 0);
    run(10, { decision: "deny" }); // 22/122 = 18%: 80% above
    assert.equal(spikes.length, 1);
    assert.ok(Math.abs(spikes[0]!.baseline - 0.1) < 1e-9);
    run(10, { decision: "deny" });
    assert.equal(spikes.length, 1, "one alert per episode");
    assert.equal(b.state, "closed", "a deny spike alerts; it does not open the circuit");
  });

  it("needs a baseline window with enough decisions", () => {
    const { run, spikes } = harness({ windowMs: 60_000 });
    run(300, { decision: "deny" });
    assert.equal(spikes.length, 0, "no previous window yet");
  });
});
