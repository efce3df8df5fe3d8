// The calibration scatter's axes. Blast radii are shares of a fleet, and in practice most actions
// touch a few percent of it: on a fixed 0–100 % square the points sat in one corner. Both axes
// run to the same round value just above the largest point, so the diagonal (a perfect
// prediction) stays at 45° and a point's distance from it still reads as its error.

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2];
const MAX_TICKS = 5; // intervals, so at most six labels along an axis

export interface SquareScale {
  top: number;
  ticks: number[];
  /** Decimals for a tick label in percent: 1 when steps are below 1 %. */
  digits: number;
}

/** The axes for points whose largest coordinate is `max` (a share, 0–1). */
export function squareScale(max: number): SquareScale {
  // 10 % headroom so the largest point is not drawn on the frame; never below 1 % or above 100 %.
  const want = Math.min(1, Math.max(0.01, (Number.isFinite(max) ? max : 1) * 1.1));
  const step = STEPS.find((s) => want / s <= MAX_TICKS + 1e-9) ?? 0.2;
  const intervals = Math.ceil(want / step - 1e-9);
  const top = Math.min(1, round(intervals * step));
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => round(i * step));
  return { top, ticks, digits: step < 0.01 ? 1 : 0 };
}

// Multiples of 0.001 computed in floating point (0.1 × 3 = 0.30000000000000004) back to clean ticks.
const round = (v: number) => Math.round(v * 1e6) / 1e6;
