// When does arrival n start? A pure function of the plan (after Vegeta's Pacer and k6's
// ramping-arrival-rate maths). Within a stage the rate is linear,
//   r(t) = a + (b − a)·t/D            (a = fromLevel, b = toLevel, D = duration, t in s)
// so the arrivals so far are its integral
//   N(t) = a·t + (b − a)·t²/(2D)
// and arrival n (0-based) is due when N(t) = n − (arrivals of earlier stages).
// Solving k·t² + a·t − x = 0 with k = (b − a)/(2D) in the cancellation-free form
//   t = 2x / (a + √(a² + 4kx)).
// Arrival 0 is due at t = 0, so 200/s for 5 s gives exactly 1000 arrivals.
import { stageArea, type Plan } from './plan.js';

const EPSILON = 1e-9;

export interface Pacer {
  /** arrivals due in the whole run (this slice only) */
  readonly total: number;
  /** due time of this slice's i-th arrival, ms from the start; Infinity past the end */
  dueMs(i: number): number;
}

/**
 * A slice takes every `count`-th arrival starting at `index` (0-based), so shards and
 * worker threads together send exactly the whole plan, interleaved in time.
 */
export function createPacer(plan: Plan, slice: { index: number; count: number } = { index: 0, count: 1 }): Pacer {
  const stages = plan.stages.filter((s) => s.durationMs > 0);
  const before: number[] = [];
  let cumulative = 0;
  for (const stage of stages) {
    before.push(cumulative);
    cumulative += stageArea(stage);
  }
  const wholeTotal = Math.max(0, Math.ceil(cumulative - EPSILON));
  const total = wholeTotal > slice.index ? Math.ceil((wholeTotal - slice.index) / slice.count) : 0;

  function dueOfArrival(n: number): number {
    // the last stage whose cumulative start is <= n (binary search: plans may have many steps)
    let s = 0;
    let hi = stages.length - 1;
    while (s < hi) {
      const mid = Math.ceil((s + hi) / 2);
      if (before[mid]! > n + EPSILON) hi = mid - 1;
      else s = mid;
    }
    const stage = stages[s]!;
    const x = n - before[s]!;
    const a = stage.fromLevel;
    const b = stage.toLevel;
    const seconds = stage.durationMs / 1000;
    const k = (b - a) / (2 * seconds);
    const root = Math.sqrt(Math.max(0, a * a + 4 * k * x));
    const denominator = a + root;
    const t = x <= 0 ? 0 : denominator <= 0 ? seconds : (2 * x) / denominator;
    return stage.startMs + Math.min(t, seconds) * 1000;
  }

  return {
    total,
    dueMs(i: number): number {
      if (i >= total) return Infinity;
      return dueOfArrival(i * slice.count + slice.index);
    },
  };
}

/** The first `limit` arrivals only (-n): the schedule is kept, it just ends sooner. */
export function limitPacer(pacer: Pacer, limit: number | undefined): Pacer {
  if (limit === undefined || limit >= pacer.total) return pacer;
  return { total: limit, dueMs: (i) => (i >= limit ? Infinity : pacer.dueMs(i)) };
}

/**
 * How many of this pacer's arrivals are due before t (for the planned count per second).
 * A binary search: O(log n) for any plan (a 24 h soak at 100,000/s has 8.6·10⁹ arrivals, past
 * 32-bit integers, so the midpoint is computed in floating point, never with `>>>`).
 */
export function arrivalsBefore(pacer: Pacer, tMs: number): number {
  let lo = 0;
  let hi = pacer.total;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pacer.dueMs(mid) < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Split an integer level (users) into `count` parts that add up exactly. */
export function sliceOfLevel(level: number, slice: { index: number; count: number }): number {
  const whole = Math.round(level);
  return Math.floor(whole / slice.count) + (slice.index < whole % slice.count ? 1 : 0);
}
