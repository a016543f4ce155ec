// A cell's memory follows its latencies (histograms that grow on demand), so 100 requests ×
// 100 stages fit in a few hundred MB. Footprints are byte counts, not timings: deterministic.
import { describe, expect, it } from 'vitest';
import { createCell } from '../../src/metrics/cell.js';
import { decodeHistogram, encodeHistogram, histogramBytes, percentileMs, recordMicros } from '../../src/metrics/histogram.js';

const cellBytes = (latenciesUs: number[]): number => {
  const cell = createCell('g', 0);
  for (const us of latenciesUs) {
    recordMicros(cell.latency, us);
    recordMicros(cell.service, us * 0.8);
  }
  return histogramBytes(cell.latency) + histogramBytes(cell.service);
};

describe('cell memory', () => {
  it.each([
    ['an empty cell', [], 25_000],
    ['sub-millisecond answers', [120, 350, 900], 25_000],
    ['up to 250 ms (the common case)', [800, 25_000, 250_000], 50_000],
    ['up to 1 s', [800, 25_000, 1_000_000], 55_000],
    ['up to 10 s (timeouts)', [800, 25_000, 10_000_000], 75_000],
  ])('%s', (_label, values, most) => {
    expect(cellBytes(values as number[])).toBeLessThanOrEqual(most as number);
  });

  it('a histogram that grew still records, merges and round-trips exactly', () => {
    const cell = createCell('g', 0);
    for (const us of [100, 200, 50_000_000]) recordMicros(cell.latency, us);
    const copy = decodeHistogram(encodeHistogram(cell.latency));
    expect(copy.totalCount).toBe(3);
    expect(percentileMs(copy, 100)).toBeGreaterThan(49_000);
    expect(percentileMs(copy, 50)).toBeCloseTo(0.2, 1);
  });
});
