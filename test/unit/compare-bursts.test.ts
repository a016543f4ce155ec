// A burst of slowness in part of a run is noise, not a regression; a shift in every part is one.
import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { encodeTimeBlocks } from '../../src/metrics/cell-codec.js';
import { createHistogram, recordMicros } from '../../src/metrics/histogram.js';
import { TIME_BLOCKS } from '../../src/metrics/recorder.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** 3000 latencies: 20–24 ms, except that `slowBlocks` of the 10 time blocks run at 80–120 ms. */
function run(slowBlocks: number[]) {
  const latencies: number[] = [];
  const blocks = Array.from({ length: TIME_BLOCKS }, () => createHistogram(true));
  for (let b = 0; b < TIME_BLOCKS; b++) {
    const slow = slowBlocks.includes(b);
    for (const ms of spread(300, slow ? 80 : 20, slow ? 120 : 24)) {
      latencies.push(ms);
      recordMicros(blocks[b]!, ms * 1000);
    }
  }
  const result = makeResult({ cells: [{ group: 'api', phase: 'main', latenciesMs: latencies }] });
  return { ...result, timeBlocks: encodeTimeBlocks(new Map([['api', blocks]])) };
}

const latencyRegressions = (baseline: ReturnType<typeof run>, current: ReturnType<typeof run>) =>
  compareResults(baseline, current, { baselineFile: 'base.json' })
    .entries.filter((e) => e.regression)
    .map((e) => `${e.scope}.${e.metric}`);

describe('compare over time blocks', () => {
  it('a 4-second burst in a 10-second run raises p95 5x but is within noise', () => {
    const comparison = compareResults(run([]), run([2, 5, 8]), { baselineFile: 'base.json' });
    const p95 = comparison.entries.find((e) => e.scope === 'total' && e.metric === 'p95')!;
    expect(p95.change).toBeGreaterThan(3);
    expect(p95.regression).toBe(false);
    expect(p95.state).toBe('noise');
    expect(p95.note).toMatch(/rank test over 10 and 10 time blocks p = 0\.\d+.*within noise/);
  });

  it('the same slowness in every block is a regression', () => {
    expect(latencyRegressions(run([]), run([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toEqual(['total.p50', 'total.p95', 'total.p99', 'api.p50', 'api.p95', 'api.p99']);
  });

  it('results without time blocks are reported but not judged', () => {
    const { timeBlocks: _b, ...baseline } = run([]);
    const { timeBlocks: _c, ...current } = run([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const comparison = compareResults(baseline, current, { baselineFile: 'base.json' });
    expect(comparison.regressions).toBe(0);
    expect(comparison.entries.find((e) => e.metric === 'p50')!.note).toMatch(/no time blocks/);
  });
});
