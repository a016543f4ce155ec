import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../src/config/types.js';
import { addCount, createCell, type Cell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import { AbortWatch } from '../../src/judge/live-abort.js';

const phases = [
  { name: 'baseline', startMs: 0, endMs: 30_000 },
  { name: 'spike', startMs: 30_000, endMs: 60_000 },
];

/** A cell of `n` requests at `ms`, `errors` of them failed. */
function cell(phaseIndex: number, n: number, ms: number, errors = 0, group = 'api'): Cell {
  const c = createCell(group, phaseIndex);
  for (let i = 0; i < n; i++) {
    c.requests++;
    recordMicros(c.latency, ms * 1000);
    if (i < errors) {
      c.errors++;
      addCount(c.errorKinds, 'status');
    }
  }
  return c;
}

const errorRow = (partial: Partial<TargetRow> = {}): TargetRow => ({
  name: 'During the spike',
  requests: null,
  phase: 'spike',
  checks: [{ metric: 'errorRate', limit: 0.05 }],
  abortOnFail: true,
  ...partial,
});

describe('AbortWatch', () => {
  it('nothing aborts before the grace period, however bad the data', () => {
    const watch = new AbortWatch([errorRow({ phase: null })], { graceMs: 5000 });
    const cells = [cell(0, 1000, 5, 500)];
    expect(watch.check(cells, phases, 4999)).toBeNull();
    expect(watch.check(cells, phases, 5000)).toMatchObject({ row: 'During the spike', check: { metric: 'errorRate', pass: false } });
  });

  it('nothing aborts before the row has minSamples', () => {
    const watch = new AbortWatch([errorRow({ phase: null })], { minSamples: 100 });
    expect(watch.check([cell(0, 99, 5, 99)], phases, 10_000)).toBeNull();
    expect(watch.check([cell(0, 100, 5, 99)], phases, 10_000)).not.toBeNull();
  });

  it('a row scoped to a phase is judged only once the phase has begun, on that phase only', () => {
    const watch = new AbortWatch([errorRow()]);
    const badBaseline = [cell(0, 1000, 5, 900)];
    expect(watch.check(badBaseline, phases, 20_000)).toBeNull(); // the spike has not begun
    const spikeFine = [...badBaseline, cell(1, 500, 5, 5)];
    expect(watch.check(spikeFine, phases, 35_000)).toBeNull(); // 1% in the spike
    const spikeBad = [...badBaseline, cell(1, 500, 5, 60)];
    const decision = watch.check(spikeBad, phases, 35_000);
    expect(decision?.row).toBe('During the spike');
    expect(decision?.check.message).toBe('errorRate 12.00% ≥ 5%');
  });

  it('watches only abortOnFail rows', () => {
    const watch = new AbortWatch([errorRow({ phase: null, abortOnFail: false })]);
    expect(watch.active).toBe(false);
    expect(watch.check([cell(0, 1000, 5, 1000)], phases, 10_000)).toBeNull();
  });

  it('a percentile beyond its limit aborts once its scope holds 100 samples (failing needs no bound)', () => {
    const watch = new AbortWatch([errorRow({ phase: null, checks: [{ metric: 'p99', limit: 10 }] })]);
    expect(watch.check([cell(0, 99, 50)], phases, 10_000)).toBeNull();
    expect(watch.check([cell(0, 150, 50)], phases, 10_000)?.check).toMatchObject({ metric: 'p99', pass: false, state: 'fail', samples: 150 });
  });

  it('rps is never judged live', () => {
    const watch = new AbortWatch([errorRow({ phase: null, checks: [{ metric: 'rps', limit: 1000 }] })]);
    expect(watch.check([cell(0, 200, 5)], phases, 10_000)).toBeNull();
  });

  it('returns the first failed check in table order', () => {
    const watch = new AbortWatch([
      errorRow({ name: 'A', phase: null, checks: [{ metric: 'p50', limit: 100 }, { metric: 'max', limit: 10 }] }),
      errorRow({ name: 'B', phase: null }),
    ]);
    const decision = watch.check([cell(0, 200, 20, 200)], phases, 10_000);
    expect(decision).toMatchObject({ row: 'A', check: { metric: 'max' } });
  });
});

describe('AbortWatch in a run with scenarios', () => {
  // the run's phases: each scenario's stages, overlapping in time
  const runPhases = [
    { name: 'browsing/hold', startMs: 0, endMs: 60_000 },
    { name: 'wave/warm', startMs: 10_000, endMs: 30_000 },
    { name: 'wave/peak', startMs: 30_000, endMs: 60_000 },
  ];

  it('a row of one scenario sees only its cells; with a phase, only that stage of it, once it has started', () => {
    const byScenario = new AbortWatch([errorRow({ name: 'Wave', phase: null, scenario: 'wave' })], { graceMs: 0 });
    const atPeak = new AbortWatch([errorRow({ name: 'Peak', phase: 'peak', scenario: 'wave' })], { graceMs: 0 });
    // the browsing users fail, the wave does not
    const browsingFails = [cell(0, 1000, 5, 500, 'list'), cell(1, 500, 5, 0, 'login'), cell(2, 500, 5, 0, 'login')];
    expect(byScenario.check(browsingFails, runPhases, 40_000)).toBeNull();
    expect(atPeak.check(browsingFails, runPhases, 40_000)).toBeNull();
    // the wave fails at its peak
    const peakFails = [cell(0, 1000, 5, 0, 'list'), cell(1, 500, 5, 0, 'login'), cell(2, 500, 5, 200, 'login')];
    expect(atPeak.check(peakFails, runPhases, 29_000)).toBeNull();
    expect(atPeak.check(peakFails, runPhases, 40_000)).toMatchObject({ row: 'Peak', check: { metric: 'errorRate', scenario: 'wave', pass: false } });
    expect(byScenario.check(peakFails, runPhases, 40_000)).toMatchObject({ row: 'Wave', check: { samples: 1000, pass: false } });
  });
});
