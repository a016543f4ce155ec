import { describe, expect, it } from 'vitest';
import { buildPlan, levelAt, plannedRequests, stageIndexAt } from '../../src/engine/plan.js';
import { arrivalsBefore, createPacer, sliceOfLevel } from '../../src/engine/pacer.js';
import type { StageSpec } from '../../src/config/types.js';

const stage = (name: string, seconds: number, fromLevel: number, toLevel: number): StageSpec => ({
  name,
  durationMs: seconds * 1000,
  fromLevel,
  toLevel,
});

/** arrivals due in each whole second of the run */
function perSecond(stages: StageSpec[]): number[] {
  const plan = buildPlan('open', stages);
  const pacer = createPacer(plan);
  const seconds = Math.ceil(plan.totalMs / 1000);
  return Array.from({ length: seconds }, (_, s) => arrivalsBefore(pacer, (s + 1) * 1000) - arrivalsBefore(pacer, s * 1000));
}

describe('pacer', () => {
  it.each([
    ['200/s for 5 s', [stage('hold', 5, 200, 200)], [200, 200, 200, 200, 200]],
    ['100/s then an instant jump to 400/s', [stage('a', 2, 100, 100), stage('jump', 0, 400, 400), stage('b', 2, 400, 400)], [100, 100, 400, 400]],
    ['a ramp 0 → 400/s over 4 s rises second by second', [stage('ramp', 4, 0, 400)], [50, 150, 250, 350]],
    ['a ramp down 400 → 0/s', [stage('down', 4, 400, 0)], [350, 250, 150, 50]],
    ['a spike from 10 to 200 and back', [stage('base', 2, 10, 10), stage('spike', 2, 200, 200), stage('rec', 1, 10, 10)], [10, 10, 200, 200, 10]],
  ])('%s', (_name, stages, expected) => {
    expect(perSecond(stages)).toEqual(expected);
  });

  it('starts arrival 0 at t=0 and spaces a constant rate evenly: 2 per second, 4th arrival at 1.5 s', () => {
    const pacer = createPacer(buildPlan('open', [stage('hold', 2, 2, 2)]));
    expect([0, 1, 2, 3].map((i) => pacer.dueMs(i))).toEqual([0, 500, 1000, 1500]);
    expect(pacer.total).toBe(4);
    expect(pacer.dueMs(4)).toBe(Infinity);
  });

  it('spaces a ramp by the area under the rate: 0 → 2/s over 2 s has its 1st arrival at √2 s... and 2 in all', () => {
    const pacer = createPacer(buildPlan('open', [stage('ramp', 2, 0, 2)]));
    expect(pacer.total).toBe(2);
    expect(pacer.dueMs(0)).toBe(0);
    expect(pacer.dueMs(1)).toBeCloseTo(Math.SQRT2 * 1000, 6);
  });

  it('answers exactly for plans past 2^32 arrivals: a 24 h soak at 100,000/s at t = 23 h (no 32-bit midpoint)', () => {
    const pacer = createPacer(buildPlan('open', [stage('soak', 24 * 3600, 100_000, 100_000)]));
    expect(pacer.total).toBe(8_640_000_000);
    const t = 23 * 3600 * 1000;
    expect(arrivalsBefore(pacer, t)).toBe(8_280_000_000);
    expect(arrivalsBefore(pacer, t + 1000) - arrivalsBefore(pacer, t)).toBe(100_000);
    expect(pacer.dueMs(8_280_000_000)).toBeCloseTo(t, 6);
  });

  it('finds the stage of an arrival in a plan of many steps (a 500-step staircase)', () => {
    const steps = Array.from({ length: 500 }, (_, i) => stage(`step-${i + 1}`, 1, (i + 1) * 10, (i + 1) * 10));
    const counts = perSecond(steps);
    expect(counts.length).toBe(500);
    counts.forEach((n, i) => expect(n).toBe((i + 1) * 10));
  });

  it('slices interleave and add up exactly to the whole', () => {
    const plan = buildPlan('open', [stage('ramp', 3, 7, 333)]);
    const whole = createPacer(plan);
    const slices = [0, 1, 2].map((index) => createPacer(plan, { index, count: 3 }));
    expect(slices.reduce((sum, p) => sum + p.total, 0)).toBe(whole.total);
    const merged = slices.flatMap((p) => Array.from({ length: p.total }, (_, i) => p.dueMs(i))).sort((a, b) => a - b);
    expect(merged).toEqual(Array.from({ length: whole.total }, (_, i) => whole.dueMs(i)));
  });

  it('splits users into slices that add up', () => {
    expect([0, 1, 2].map((index) => sliceOfLevel(10, { index, count: 3 }))).toEqual([4, 3, 3]);
    expect([0, 1].map((index) => sliceOfLevel(1, { index, count: 2 }))).toEqual([1, 0]);
  });
});

describe('plan', () => {
  const spike = [stage('baseline', 300, 100, 100), stage('spike', 300, 2000, 2000), stage('recovery', 300, 100, 100)];

  it('compresses a 15-minute spike into 60 s keeping its shape', () => {
    const plan = buildPlan('open', spike, { totalDurationMs: 60_000 });
    expect(plan.totalMs).toBe(60_000);
    expect(plan.stages.map((s) => [s.startMs, s.endMs])).toEqual([
      [0, 20_000],
      [20_000, 40_000],
      [40_000, 60_000],
    ]);
    expect(levelAt(plan, 10_000)).toBe(100);
    expect(levelAt(plan, 30_000)).toBe(2000);
    expect(stageIndexAt(plan, 59_999)).toBe(2);
  });

  it('scales every level', () => {
    const plan = buildPlan('open', spike, { scale: 0.5 });
    expect(plan.stages.map((s) => s.toLevel)).toEqual([50, 1000, 50]);
    expect(plannedRequests(plan)).toBe(50 * 300 + 1000 * 300 + 50 * 300);
  });

  it('ramps linearly within a stage and jumps at a zero-length stage', () => {
    const plan = buildPlan('closed', [stage('ramp', 10, 0, 100), stage('jump', 0, 300, 300), stage('hold', 10, 300, 300)]);
    expect(levelAt(plan, 5000)).toBe(50);
    expect(levelAt(plan, 10_000)).toBe(300);
    expect(stageIndexAt(plan, 10_000)).toBe(2);
    expect(levelAt(plan, 25_000)).toBe(300);
  });
});
