import { describe, expect, it } from 'vitest';
import { describeAsRun } from '../../src/app/run-description.js';
import { buildPlan } from '../../src/engine/plan.js';

const SPIKE = 'Sudden 20x jump - 5m at 30 req/s, instant jump to 600 req/s for 5m, 5m recovery';
const stages = [
  { name: 'baseline', durationMs: 300_000, fromLevel: 30, toLevel: 30 },
  { name: 'spike', durationMs: 300_000, fromLevel: 600, toLevel: 600 },
  { name: 'recovery', durationMs: 300_000, fromLevel: 30, toLevel: 30 },
];

describe('describeAsRun: the shape the run had, then the one written', () => {
  it.each([
    { what: 'no adjustment: the profile’s own words', adjust: { scale: 1 }, plan: {}, text: SPIKE },
    {
      what: '-d 20s: a 20-second run, not "5m at 30 req/s"',
      adjust: { duration: '20s', scale: 1 },
      plan: { totalDurationMs: 20_000 },
      text: `Run with -d 20s: 20s in all, 6.7s at 30/s, 6.7s at 600/s, 6.7s at 30/s. As written: ${SPIKE}`,
    },
    {
      what: '--scale 0.5 halves the levels',
      adjust: { scale: 0.5 },
      plan: { scale: 0.5 },
      text: `Run with --scale 0.5: 15m in all, 5m at 15/s, 5m at 300/s, 5m at 15/s. As written: ${SPIKE}`,
    },
  ])('$what', ({ adjust, plan, text }) => {
    expect(describeAsRun(SPIKE, buildPlan('open', stages, plan), adjust)).toBe(text);
  });

  it('a staircase in one phrase', () => {
    const steps = Array.from({ length: 10 }, (_, i) => ({ name: `step-${i + 1}`, durationMs: 120_000, fromLevel: 50 * (i + 1), toLevel: 50 * (i + 1) }));
    const plan = buildPlan('closed', steps, { totalDurationMs: 20_000 });
    expect(describeAsRun('Staircase', plan, { duration: '20s', scale: 1 })).toBe('Run with -d 20s: 20s in all, 10 steps of 2s, 50 → 500 users. As written: Staircase');
  });

  it('a ramp and the closed model', () => {
    const plan = buildPlan('closed', [{ name: 'ramp', durationMs: 120_000, fromLevel: 0, toLevel: 50 }], { totalDurationMs: 30_000 });
    expect(describeAsRun(undefined, plan, { duration: '30s', scale: 1 })).toBe('Run with -d 30s: 30s in all, 30s ramp 0 → 50 users.');
  });
});
