import { describe, expect, it } from 'vitest';
import { makeResult, spread } from '../helpers/result-fixture.js';

describe('synthetic results', () => {
  it('sum cells into totals, groups and phases exactly', () => {
    const result = makeResult({
      phases: [
        { name: 'a', startMs: 0, endMs: 5000 },
        { name: 'b', startMs: 5000, endMs: 10000 },
      ],
      cells: [
        { group: 'x', phase: 'a', latenciesMs: spread(100, 1, 10), statusErrors: 10 },
        { group: 'x', phase: 'b', latenciesMs: spread(100, 20, 30), otherErrors: { timeout: 5 } },
      ],
    });
    expect(result.totals.requests).toBe(205);
    expect(result.totals.errors).toBe(15);
    expect(result.groups['x']!.requests).toBe(205);
    expect(result.phases.map((p) => p.requests)).toEqual([100, 105]);
    expect(result.phases[0]!.latencyMs.max).toBeCloseTo(10, 1);
    expect(result.totals.latencyMs.p50).toBeGreaterThan(9);
    expect(result.totals.rps).toBeCloseTo(20.5, 3);
  });
});
