// Soak drift: early against late window, exact from the windows' cells (captured as the
// difference of cumulative snapshots), with the sampling noise of each percentile.
import { describe, expect, it } from 'vitest';
import { analyseRun } from '../../src/judge/analysis/analyse.js';
import { DriftCapture } from '../../src/judge/analysis/drift-capture.js';
import { analyseDriftFromCells, analyseDriftFromTimeline, latencyDrift, percentileWithBounds, windowCells } from '../../src/judge/analysis/drift.js';
import { driftWindows } from '../../src/config/stage-shape.js';
import { addCellInto, createCell, type Cell } from '../../src/metrics/cell.js';
import { createHistogram, percentileMs, recordMicros } from '../../src/metrics/histogram.js';
import { judgeDrift } from '../../src/judge/analysis-checks.js';
import { evaluateTargets } from '../../src/judge/checks.js';
import type { TargetRow } from '../../src/config/types.js';
import type { TimelinePoint } from '../../src/result/types.js';

/** A cell with `n` latencies spread evenly over [lowMs, highMs]. */
function cell(group: string, n: number, lowMs: number, highMs: number, phaseIndex = 0): Cell {
  const c = createCell(group, phaseIndex);
  for (let i = 0; i < n; i++) {
    recordMicros(c.latency, (lowMs + ((highMs - lowMs) * i) / Math.max(1, n - 1)) * 1000);
    c.requests++;
    c.statusCodes['200'] = (c.statusCodes['200'] ?? 0) + 1;
  }
  return c;
}
function plus(a: Cell, b: Cell): Cell {
  const sum = createCell(a.group, a.phaseIndex);
  addCellInto(sum, a);
  addCellInto(sum, b);
  return sum;
}
const windows = driftWindows({ phase: 'soak', startMs: 0, endMs: 100_000 })!;
const row = (partial: Partial<TargetRow>): TargetRow => ({ name: 'Soak', requests: null, phase: null, checks: [{ metric: 'drift', limit: 0.02 }], abortOnFail: false, ...partial });

describe('windowCells: a window is the exact difference of two cumulative snapshots', () => {
  it('counts and histograms are subtracted per request name; phases are added together', () => {
    const before = [cell('a', 100, 10, 20, 0), cell('b', 50, 5, 5, 0)];
    const extra = cell('a', 200, 30, 40, 1);
    const after = [plus(before[0]!, cell('a', 0, 0, 0, 0)), extra, plus(before[1]!, cell('b', 10, 5, 5, 0))];
    const w = windowCells(before, after);
    const a = w.find((c) => c.group === 'a')!;
    expect(a.requests).toBe(200);
    expect(a.statusCodes).toEqual({ '200': 200 });
    expect(percentileMs(a.latency, 0)).toBeGreaterThanOrEqual(29.9);
    expect(w.find((c) => c.group === 'b')?.requests).toBe(10);
  });
});

describe('percentiles with their noise', () => {
  it('a p95 of 10,000 samples is tight, of 100 loose', () => {
    const many = cell('x', 10_000, 0, 100).latency;
    const few = cell('x', 100, 0, 100).latency;
    const tight = percentileWithBounds(many, 95);
    const loose = percentileWithBounds(few, 95);
    expect(tight.value).toBeCloseTo(95, 0);
    expect(tight.high - tight.low).toBeLessThan(1);
    expect(loose.high - loose.low).toBeGreaterThan(5);
  });

  it('the same distribution twice: no change, an interval around 0', () => {
    const m = latencyDrift(cell('x', 2000, 10, 20).latency, cell('x', 2000, 10, 20).latency, 95);
    expect(m.change).toBe(0);
    expect(m.changeLow!).toBeLessThan(0);
    expect(m.changeHigh!).toBeGreaterThan(0);
  });
});

describe('analyseDriftFromCells', () => {
  it('a service 10% slower in the late window: +10% at every percentile, throughput steady', () => {
    const early = { startMs: 10_000, endMs: 30_000, cells: [cell('a', 2000, 10, 20)] };
    const late = { startMs: 80_000, endMs: 100_000, cells: [cell('a', 2000, 11, 22)] };
    const d = analyseDriftFromCells(windows, early, late);
    expect(d.source).toBe('cells');
    expect(d.p50.change!).toBeCloseTo(0.1, 2);
    expect(d.p95.change!).toBeCloseTo(0.1, 2);
    expect(d.p95.changeLow!).toBeGreaterThan(0.05);
    expect(d.rps).toEqual({ early: 100, late: 100, change: 0 });
    expect(d.errorRate).toEqual({ early: 0, late: 0, change: 0 });
    expect(d.early).toEqual({ startMs: 10_000, endMs: 30_000, requests: 2000 });
  });
});

describe('the drift check', () => {
  const base = { row: 'Soak', metric: 'drift', limit: 0.02, unit: 'ratio' as const, phase: 'soak' };

  it('passes at or under its limit, fails beyond it even at the low end of the noise', () => {
    expect(judgeDrift(base, { early: 100, late: 101, change: 0.01, changeLow: 0.005, changeHigh: 0.015 }, 5000)).toMatchObject({ pass: true, actual: 0.01 });
    const failed = judgeDrift(base, { early: 100, late: 110, change: 0.1, changeLow: 0.06, changeHigh: 0.14 }, 5000);
    expect(failed).toMatchObject({ pass: false, actual: 0.1 });
    expect(failed.message).toBe('drift +10% (p95 100 → 110 ms) > 2% (95% interval +6%..+14%)');
  });

  it('a change within sampling noise, or under 1 ms, is not held against the limit', () => {
    const noisy = judgeDrift(base, { early: 100, late: 105, change: 0.05, changeLow: -0.02, changeHigh: 0.12 }, 300);
    expect(noisy.pass).toBe(true);
    expect(noisy.message).toMatch(/within sampling noise \(95% interval -2%..\+12%\): not beyond 2%/);
    const small = judgeDrift(base, { early: 2, late: 2.5, change: 0.25, changeLow: 0.2, changeHigh: 0.3 }, 5000);
    expect(small.pass).toBe(true);
    expect(small.message).toMatch(/under 1 ms/);
  });

  it('evaluateTargets judges drift rows on the analysis: the whole soak, or the requests a row names', () => {
    const early = { startMs: 10_000, endMs: 30_000, cells: [cell('fast', 2000, 10, 20), cell('slow', 2000, 100, 200)] };
    const late = { startMs: 80_000, endMs: 100_000, cells: [cell('fast', 2000, 10, 20), cell('slow', 2000, 150, 300)] };
    const analysis = analyseRun({
      result: { profile: { stages: [{ name: 'soak', durationMs: 100_000, fromLevel: 200, toLevel: 200 }] }, phases: [{ name: 'soak', startMs: 0, endMs: 100_000 }], timeline: [], durationMs: 100_000 },
      cells: [],
      rows: [row({})],
      driftCells: { early, late },
    });
    expect(analysis?.drift?.windowCells).toHaveLength(4);
    const rows = [row({ name: 'Fast', requests: ['fast'] }), row({ name: 'Slow', requests: ['slow'] }), row({ name: 'Elsewhere', phase: 'other' })];
    const checks = evaluateTargets(rows, [], [{ name: 'soak', startMs: 0, endMs: 100_000 }], 100_000, analysis);
    expect(checks.map((c) => [c.row, c.pass, c.state])).toEqual([
      ['Fast', true, 'pass'],
      ['Slow', false, 'fail'],
      ['Elsewhere', false, 'uncertain'],
    ]);
    expect(checks[1]!.actual!).toBeCloseTo(0.5, 2);
    expect(checks[2]!.message).toBe('drift not judged: drift was measured on soak, not other');
  });

  it('too few samples in a window: not judged', () => {
    const analysis = analyseRun({
      result: { profile: { stages: [{ name: 'soak', durationMs: 100_000, fromLevel: 2, toLevel: 2 }] }, phases: [{ name: 'soak', startMs: 0, endMs: 100_000 }], timeline: [], durationMs: 100_000 },
      cells: [],
      rows: [row({})],
      driftCells: { early: { startMs: 10_000, endMs: 30_000, cells: [cell('a', 40, 1, 2)] }, late: { startMs: 80_000, endMs: 100_000, cells: [cell('a', 40, 5, 9)] } },
    });
    const [check] = evaluateTargets([row({})], [], [{ name: 'soak', startMs: 0, endMs: 100_000 }], 100_000, analysis);
    expect(check).toMatchObject({ pass: false, state: 'uncertain', samples: 40, message: 'drift not judged: 40 samples in a window, at least 200 needed' });
  });
});

describe('analyseDriftFromTimeline (a result without the windows’ cells)', () => {
  it("request-weighted per-second percentiles of the points wholly inside each window", () => {
    const timeline: TimelinePoint[] = Array.from({ length: 100 }, (_, i) => ({ t: i + 1, requests: 50, errors: i >= 80 ? 1 : 0, rps: 50, p50: 10, p95: i < 50 ? 20 : 30, p99: 40, level: 50 }));
    const d = analyseDriftFromTimeline(windows, timeline);
    expect(d.source).toBe('timeline');
    expect(d.early).toEqual({ startMs: 10_000, endMs: 30_000, requests: 1000 });
    expect(d.p95).toMatchObject({ early: 20, late: 30, change: 0.5 });
    expect(d.p50.change).toBe(0);
    expect(d.errorRate.change).toBeCloseTo(0.02, 6);
  });
});

describe('DriftCapture: snapshots on the per-second tick', () => {
  it('captures the four boundaries and gives each window only what completed in it', () => {
    const capture = new DriftCapture(windows);
    const live = createCell('a', 0);
    for (let second = 1; second <= 100; second++) {
      // 10 requests a second, at `second` ms each
      for (let i = 0; i < 10; i++) {
        recordMicros(live.latency, second * 1000);
        live.requests++;
      }
      capture.onSecond(second, () => [live]);
    }
    const w = capture.finish([live], 100_000)!;
    expect(w.early).toMatchObject({ startMs: 10_000, endMs: 30_000 });
    expect(w.late).toMatchObject({ startMs: 80_000, endMs: 100_000 });
    expect(w.early.cells[0]!.requests).toBe(200);
    expect(percentileMs(w.early.cells[0]!.latency, 0)).toBeCloseTo(11, 1);
    expect(percentileMs(w.late.cells[0]!.latency, 100)).toBeCloseTo(100, 0);
    // the snapshots are copies: the live cell went on, the windows did not
    expect(w.late.cells[0]!.requests).toBe(200);
    expect(createHistogram().totalCount).toBe(0);
  });

  it('a run that ended before the late window: no windows', () => {
    const capture = new DriftCapture(windows);
    capture.onSecond(50, () => [createCell('a', 0)]);
    expect(capture.finish([], 50_000)).toBeNull();
  });
});

describe('live cells read more than once in a second', () => {
  it('combineCells leaves its inputs alone: combining the same cells twice gives the same sums', async () => {
    const { combineCells } = await import('../../src/metrics/cell-codec.js');
    const workerCells = [cell('a', 10, 1, 2), cell('a', 20, 1, 2)];
    const first = combineCells(workerCells);
    const second = combineCells(workerCells);
    expect(first[0]!.requests).toBe(30);
    expect(second[0]!.requests).toBe(30);
    expect(workerCells.map((c) => c.requests)).toEqual([10, 20]);
  });
});

describe('flows in a drift scope', () => {
  it('a flow (whole iterations) counts only when a row names it, never in "all requests"', async () => {
    const { scopeWindow } = await import('../../src/judge/analysis/drift.js');
    const flow = { ...cell('checkout', 50, 500, 900), flow: true as const };
    const cells = [cell('login', 100, 10, 20), flow];
    expect(scopeWindow(cells, null).requests).toBe(100);
    expect(scopeWindow(cells, ['*']).requests).toBe(100);
    expect(scopeWindow(cells, ['checkout']).requests).toBe(50);
  });
});

describe('perfctl merge: the shards’ drift windows are added exactly', () => {
  it('analyseMerged adds the window cells of every shard, then judges drift on the sum', async () => {
    const { analyseMerged } = await import('../../src/judge/analysis/analyse.js');
    const run = { profile: { stages: [{ name: 'soak', durationMs: 100_000, fromLevel: 200, toLevel: 200 }] }, phases: [{ name: 'soak', startMs: 0, endMs: 100_000 }], timeline: [], durationMs: 100_000 };
    const shard = (lateMs: number) =>
      analyseRun({
        result: run,
        cells: [],
        rows: [row({})],
        driftCells: { early: { startMs: 10_000, endMs: 30_000, cells: [cell('a', 1000, 10, 20)] }, late: { startMs: 80_000, endMs: 100_000, cells: [cell('a', 1000, lateMs, lateMs * 2)] } },
      })!;
    const merged = analyseMerged(run, [], [row({})], [{ analysis: shard(10) }, { analysis: shard(30) }]);
    expect(merged?.drift?.early.requests).toBe(2000);
    expect(merged?.drift?.late.requests).toBe(2000);
    // late: half 10-20 ms, half 30-60 ms: p50 at the boundary, p95 in the slow half
    expect(merged!.drift!.p95.late).toBeGreaterThan(50);
  });
});
