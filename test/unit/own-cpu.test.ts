import { describe, expect, it } from 'vitest';
import { summariseOwnCpu } from '../../src/observers/own-cpu.js';

describe("perfctl's own CPU: start → end, peak", () => {
  it.each([
    [[], undefined],
    [[50], { startPercent: 50, endPercent: 50, peakPercent: 50 }],
    // 20 seconds: the first and last tenth are 2 seconds each
    [[10, 20, ...Array.from({ length: 16 }, () => 50), 90, 70], { startPercent: 15, endPercent: 80, peakPercent: 90 }],
    [[12.34, 12.36, 99.96], { startPercent: 12.3, endPercent: 100, peakPercent: 100 }],
  ])('%j', (seconds, summary) => {
    expect(summariseOwnCpu(seconds)).toEqual(summary);
  });
});
