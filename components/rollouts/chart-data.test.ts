import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartPoints, eventsIn, timeDomain } from "@/components/rollouts/chart-data";
import type { SeriesPoint } from "@/components/rollouts/types";

const row = (minute: string, cohort: "stable" | "canary", p: Partial<SeriesPoint>): SeriesPoint => ({
  minute, cohort, decisions: 0, allows: 0, denies: 0, pendings: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null,
  outcomes: { success: 0, failure: 0, partial: 0, rolled_back: 0 }, ...p,
});

describe("rollout chart data", () => {
  it("folds both cohorts of a minute into one point, with gaps (null) where a cohort had no traffic", () => {
    const pts = chartPoints([
      row("2026-11-28T07:01:00.000Z", "canary", { decisions: 10, denies: 3, errors: 1, p99Ms: 4, outcomes: { success: 3, failure: 1, partial: 0, rolled_back: 0 } }),
      row("2026-11-28T07:00:00.000Z", "stable", { decisions: 50, denies: 5, p99Ms: 2 }),
      row("2026-11-28T07:01:00.000Z", "stable", { decisions: 0 }),
    ]);
    assert.equal(pts.length, 2);
    assert.equal(pts[0]!.t, Date.parse("2026-11-28T07:00:30.000Z"));
    assert.equal(pts[0]!.stable_deny, 0.1);
    assert.equal(pts[0]!.canary_deny, undefined);
    assert.deepEqual([pts[1]!.canary_deny, pts[1]!.canary_error, pts[1]!.canary_completion, pts[1]!.canary_p99], [0.3, 0.1, 0.75, 4]);
    assert.deepEqual([pts[1]!.stable_deny, pts[1]!.stable_p99, pts[1]!.stable_completion], [null, null, null]);
  });

  it("plots a minute at the middle of the part of it the rollout was live", () => {
    const [p] = chartPoints([row("2026-11-28T07:29:00.000Z", "canary", { decisions: 5 })], { from: Date.parse("2026-11-28T07:29:40.000Z"), to: Date.parse("2026-11-28T07:29:50.000Z") });
    assert.equal(p!.t, Date.parse("2026-11-28T07:29:45.000Z"));
  });

  it("trims the time axis to the rollout's life and keeps only events inside it", () => {
    const now = Date.parse("2026-11-28T08:00:30.000Z");
    const d = timeDomain(60, now, "2026-11-28T07:45:10.000Z");
    const nextMinute = Date.parse("2026-11-28T08:01:00.000Z");
    assert.deepEqual(d, [Date.parse("2026-11-28T07:45:00.000Z"), nextMinute]);
    assert.deepEqual(timeDomain(15, now, "2026-11-28T06:00:00.000Z"), [nextMinute - 15 * 60_000, nextMinute]);
    const ended = timeDomain(60, now, "2026-11-28T07:45:10.000Z", "2026-11-28T07:50:20.000Z");
    assert.equal(ended[1], Date.parse("2026-11-28T07:51:00.000Z"));
    const ev = eventsIn([{ at: "2026-11-28T07:40:00.000Z", kind: "start", actor: "a", automatic: false, reason: "" }, { at: "2026-11-28T07:50:00.000Z", kind: "pause", actor: "a", automatic: false, reason: "x" }], d);
    assert.deepEqual(ev.map((e) => e.kind), ["pause"]);
  });
});
