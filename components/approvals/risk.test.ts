import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byRiskThenAge, riskOf } from "@/components/approvals/risk";

const NOW = Date.parse("2030-01-01T12:00:00Z");
const inMin = (m: number) => new Date(NOW + m * 60_000).toISOString();
const base = { tool: "refund_payment", blastRadius: null, source: "rule" as const, reversal: "refund the refund", expiresAt: inMin(60), createdAt: inMin(-10) };

describe("approval risk", () => {
  it("adds kind, blast radius against its bound, source, reversal and urgency", () => {
    const r = riskOf({ ...base, tool: "drop_table", blastRadius: 0.05, reversal: null, expiresAt: inMin(3) }, { kind: "schema", blast_radius: { max: 0.05 } }, NOW);
    assert.equal(r.score, 4 + 3 + 1 + 1 + 2);
    assert.equal(r.level, "high");
    assert.deepEqual(r.reasons, ["schema tool", "blast radius at 100% of its bound", "no reversal plan", "expires within 5 min"]);
  });
  it("scores a routine read in approval-all mode low", () => {
    const r = riskOf({ ...base, tool: "search_kb", source: "approval_all", blastRadius: 0 }, { kind: "read" }, NOW);
    assert.deepEqual([r.score, r.level], [0, "low"]);
  });
  it("sorts riskiest first, then oldest first", () => {
    const tools = { refund_payment: { kind: "write" as const }, drop_table: { kind: "schema" as const } };
    const rows = [
      { ...base, id: "new-refund", createdAt: inMin(-1) },
      { ...base, id: "drop", tool: "drop_table", createdAt: inMin(-1) },
      { ...base, id: "old-refund", createdAt: inMin(-30) },
    ];
    assert.deepEqual(byRiskThenAge(rows, tools, NOW).map((x) => x.request.id), ["drop", "old-refund", "new-refund"]);
  });
  it("puts the requests the live policy refuses last, riskiest first among them", () => {
    const tools = { refund_payment: { kind: "write" as const }, drop_table: { kind: "schema" as const } };
    const refused = { allows: false as const, policyVersion: 4, reason: { primitive: "not_allowed", message: "not in tier" } };
    const rows = [
      { ...base, id: "refused-refund", livePolicy: refused },
      { ...base, id: "refused-drop", tool: "drop_table", livePolicy: refused },
      { ...base, id: "new-refund", createdAt: inMin(-1), livePolicy: { allows: true as const } },
      { ...base, id: "old-refund", createdAt: inMin(-30) },
    ];
    assert.deepEqual(byRiskThenAge(rows, tools, NOW).map((x) => x.request.id), ["old-refund", "new-refund", "refused-drop", "refused-refund"]);
  });
});
