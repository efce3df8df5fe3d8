import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { comparisonText, explainEvent, pct, windowWords } from "@/components/rollouts/format";
import type { RolloutEvent } from "@/components/rollouts/types";

const ev = (e: Partial<RolloutEvent>): RolloutEvent => ({ at: "2026-11-28T07:00:00.000Z", kind: "rollback", actor: "system", automatic: true, reason: "r", ...e });

describe("rollout wording", () => {
  it("explains an automatic rollback with metric, value, bound and window", () => {
    assert.equal(explainEvent(ev({ detail: { metric: "error_rate", value: 0.072, threshold: 0.05, window: "300s" } })), "Rolled back automatically: error_rate 7.2% > 5% over the last 5 min");
    assert.equal(explainEvent(ev({ detail: { metric: "p99_ms", value: 2450, threshold: 2000, window: "60s" } })), "Rolled back automatically: p99_ms 2450 ms > 2000 ms over the last 1 min");
    assert.equal(explainEvent(ev({ detail: { metric: "task_completion_ratio", value: 0.81, threshold: 0.9, window: "300s" } })), "Rolled back automatically: task_completion_ratio 81% < 90% over the last 5 min");
  });

  it("explains automatic advances and manual actions", () => {
    // The evaluator's advance event: detail { fromStage, toStage, percent, stage (= fromStage), criteria, window }
    assert.equal(explainEvent(ev({ kind: "advance", detail: { fromStage: 0, toStage: 1, percent: 20, stage: 0, window: "300s" } })), "Advanced automatically to stage 2 (20%): every criterion held for the stage's minimum duration (window 5 min)");
    assert.equal(explainEvent(ev({ kind: "pause", automatic: false, actor: "editor", reason: "checking a spike" })), "Paused by editor: checking a spike");
    assert.equal(explainEvent(ev({ kind: "pause", detail: { metric: "policy_head", value: null, threshold: 3 }, reason: "the head moved" })), "Paused automatically: the head moved");
  });

  it("formats windows, percentages and comparison tiles", () => {
    assert.deepEqual([windowWords("300s"), windowWords(45), windowWords("7200s"), windowWords(null)], ["5 min", "45 s", "2 h", null]);
    assert.equal(pct(0.05), "5%");
    const t = comparisonText({ metric: "deny_rate", canary: 0.052, control: 0.03, diff: 0.022, ci95: [0.0073, 0.0367], pValue: 0.0131, verdict: "worse", test: "two_proportion_z" });
    assert.deepEqual(t, { canary: "5.2%", control: "3%", diff: "+2.2 pp", ci95: "+0.73 pp to +3.67 pp", pValue: "0.0131" });
    const l = comparisonText({ metric: "latency", canary: 1.2, control: 3.5, diff: -2.3, ci95: null, pValue: 0.00001, verdict: "better", test: "mann_whitney_u" });
    assert.deepEqual([l.diff, l.ci95, l.pValue], ["−2.3 ms", "—", "< 0.0001"]);
  });
});
