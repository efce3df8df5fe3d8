import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { squareScale } from "@/components/calibration/scale";

describe("squareScale (the calibration scatter's axes)", () => {
  it("zooms to the data with a round top just above the largest point", () => {
    assert.deepEqual(squareScale(0.06), { top: 0.08, ticks: [0, 0.02, 0.04, 0.06, 0.08], digits: 0 });
    assert.deepEqual(squareScale(0.3), { top: 0.4, ticks: [0, 0.1, 0.2, 0.3, 0.4], digits: 0 });
  });

  it("keeps the full square when points reach near 100 %", () => {
    assert.deepEqual(squareScale(0.95), { top: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], digits: 0 });
    assert.deepEqual(squareScale(1), { top: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], digits: 0 });
  });

  it("never zooms below 1 %, and labels sub-percent steps with a decimal", () => {
    assert.deepEqual(squareScale(0), { top: 0.01, ticks: [0, 0.002, 0.004, 0.006, 0.008, 0.01], digits: 1 });
    assert.deepEqual(squareScale(0.004), { top: 0.01, ticks: [0, 0.002, 0.004, 0.006, 0.008, 0.01], digits: 1 });
  });

  it("always leaves the largest point inside the frame, with at most six labels", () => {
    for (let m = 0; m <= 1; m += 0.0007) {
      const s = squareScale(m);
      assert.ok(s.top >= Math.min(1, m), `top ${s.top} covers ${m}`);
      assert.ok(s.ticks.length >= 2 && s.ticks.length <= 6, `${s.ticks.length} ticks for ${m}`);
      assert.equal(s.ticks[s.ticks.length - 1], s.top);
    }
  });
});
