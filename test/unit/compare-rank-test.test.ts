import { describe, expect, it } from 'vitest';
import { mannWhitneyZ } from '../../src/compare/rank-test.js';

const blocks = (...values: number[]): number[] => values;

describe('Mann-Whitney rank test over time blocks', () => {
  it('finds a shift present in every block: 10 blocks at 20 ms against 10 at 30 ms', () => {
    const base = blocks(20.1, 20.3, 19.9, 20.5, 20.2, 20.0, 20.4, 20.1, 20.6, 19.8);
    const cur = base.map((v) => v + 10);
    expect(mannWhitneyZ(base, cur)).toBeGreaterThan(3.09);
  });

  it('does not call a burst in 3 of 10 blocks a shift', () => {
    const base = blocks(20.1, 20.3, 19.9, 20.5, 20.2, 20.0, 20.4, 20.1, 20.6, 19.8);
    const cur = blocks(20.2, 93.4, 88.0, 20.1, 20.4, 19.9, 70.2, 20.3, 20.0, 20.5);
    expect(mannWhitneyZ(base, cur)).toBeLessThan(3.09);
  });

  it('is negative when the current run is lower, and 0 for identical blocks', () => {
    expect(mannWhitneyZ([5, 6, 7], [1, 2, 3])).toBeLessThan(0);
    expect(mannWhitneyZ([4, 4, 4], [4, 4, 4])).toBe(0);
    expect(mannWhitneyZ([], [1])).toBe(0);
  });
});
