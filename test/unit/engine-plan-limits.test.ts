// The plan's upper bounds, checked before anything is sent (after -d and --scale).
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { assertWithinLimits, planLimitProblem } from '../../src/engine/plan-limits.js';
import type { StageSpec } from '../../src/config/types.js';

const stage = (seconds: number, level: number): StageSpec => ({ name: 'hold', durationMs: seconds * 1000, fromLevel: level, toLevel: level });

describe('plan limits', () => {
  it.each([
    ['a 24 h soak at 100,000/s', 'open', [stage(24 * 3600, 100_000)], {}, null],
    ['10,000,000/s, the most', 'open', [stage(10, 10_000_000)], {}, null],
    ['--scale 1e12 on 50/s', 'open', [stage(60, 50)], { scale: 1e12 }, 'reaches rate 50000000000000'],
    ['1,000,001 users', 'closed', [stage(60, 1_000_001)], {}, "above perfctl's limit of 1,000,000 users"],
    ['-d 40 days', 'open', [stage(60, 10)], { totalDurationMs: 40 * 24 * 3600 * 1000 }, 'lasts'],
    ['30 days at 1,000,000/s: 2.6e12 arrivals', 'open', [stage(30 * 24 * 3600, 1_000_000)], {}, 'arrivals'],
  ] as const)('%s', (_name, model, stages, adjust, expected) => {
    const problem = planLimitProblem(buildPlan(model, [...stages], adjust));
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });

  it('refuses as invalid input (exit 2)', () => {
    expect(() => assertWithinLimits(buildPlan('open', [stage(10, 50)], { scale: 1e12 }))).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
