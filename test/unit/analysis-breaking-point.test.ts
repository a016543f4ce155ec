// Stress breaking point: each step of a staircase judged on its own cells, and stopOnBreak's
// live watch.
import { describe, expect, it } from 'vitest';
import { analyseBreakingPoint, BreakWatch, stepRows } from '../../src/judge/analysis/breaking-point.js';
import { stageWindows } from '../../src/config/stage-shape.js';
import { createCell, type Cell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import type { TargetRow } from '../../src/config/types.js';

const steps = stageWindows([100, 200, 300, 400, 500].map((level, i) => ({ name: `step-${i + 1}`, durationMs: 10_000, fromLevel: level, toLevel: level })));
const phases = steps.map(({ name, startMs, endMs }) => ({ name, startMs, endMs }));

/** Step i: level × 10 s requests at `ms` each, `errors` of them failed. */
function stepCell(i: number, ms: number, errors = 0): Cell {
  const c = createCell('api', i);
  const n = steps[i]!.toLevel * 10;
  for (let k = 0; k < n; k++) {
    recordMicros(c.latency, ms * 1000);
    c.requests++;
  }
  c.errors = errors;
  if (errors > 0) c.errorKinds['status'] = errors;
  return c;
}
const row = (partial: Partial<TargetRow>): TargetRow => ({ name: 'API', requests: null, phase: null, checks: [], abortOnFail: false, ...partial });
const rows = [row({ checks: [{ metric: 'p95', limit: 100 }, { metric: 'errorRate', limit: 0.01 }, { metric: 'rps', limit: 1000 }] })];

describe('analyseBreakingPoint', () => {
  it('the last step where every target held, and the first that broke with its check', () => {
    const cells = [stepCell(0, 20), stepCell(1, 30), stepCell(2, 60), stepCell(3, 250), stepCell(4, 900, 400)];
    const bp = analyseBreakingPoint({ steps, rows, cells, phases, runDurationMs: 50_000 });
    expect(bp.steps.map((s) => [s.phase, s.level, s.rps, s.pass])).toEqual([
      ['step-1', 100, 100, true],
      ['step-2', 200, 200, true],
      ['step-3', 300, 300, true],
      ['step-4', 400, 400, false],
      ['step-5', 500, 500, false],
    ]);
    expect(bp.lastGood).toEqual({ phase: 'step-3', level: 300, rps: 300 });
    expect(bp.firstBroken).toMatchObject({ phase: 'step-4', level: 400, rps: 400 });
    expect(bp.firstBroken!.failed).toEqual([{ row: 'API', metric: 'p95', limit: 100, actual: 250.111, unit: 'ms', message: 'p95 250.1 ms > 100 ms' }]);
    expect(bp.steps[4]!.failed.map((f) => f.metric)).toEqual(['p95', 'errorRate']);
    expect(bp.stoppedEarly).toBe(false);
  });

  it('judges only rows without a phase, on latency and errors (not rps, not the run-wide analyses)', () => {
    const mixed = [row({ name: 'Spike row', phase: 'step-2', checks: [{ metric: 'p95', limit: 1 }] }), row({ checks: [{ metric: 'rps', limit: 1e6 }, { metric: 'drift', limit: 0.02 }, { metric: 'p50', limit: 100 }] })];
    expect(stepRows(mixed, 'step-1')).toEqual([row({ phase: 'step-1', checks: [{ metric: 'p50', limit: 100 }] })]);
  });

  it('every step held: no breaking point found, said so', () => {
    const bp = analyseBreakingPoint({ steps, rows, cells: [0, 1, 2, 3, 4].map((i) => stepCell(i, 10)), phases, runDurationMs: 50_000 });
    expect(bp.lastGood?.phase).toBe('step-5');
    expect(bp.firstBroken).toBeNull();
    expect(bp.note).toMatch(/breaking point lies above the last step/);
  });

  it('a step the run did not finish can be broken, never the last good one', () => {
    const bp = analyseBreakingPoint({ steps, rows, cells: [stepCell(0, 10), stepCell(1, 10), stepCell(2, 10)], phases, runDurationMs: 25_000, stoppedEarly: true });
    expect(bp.steps.map((s) => [s.phase, s.complete])).toEqual([
      ['step-1', true],
      ['step-2', true],
      ['step-3', false],
    ]);
    expect(bp.lastGood?.phase).toBe('step-2');
    expect(bp.stoppedEarly).toBe(true);
  });
});

describe('BreakWatch (stopOnBreak)', () => {
  it('judges a step from half of it on, on checks with at least 100 samples', () => {
    const watch = new BreakWatch(steps, rows, phases);
    expect(watch.active).toBe(true);
    const broken = [stepCell(0, 10), stepCell(1, 500)];
    // 12 s: step-2 is 20% through: not judged yet; step-1 ended too recently to settle
    expect(watch.check(() => broken, 10_500)).toBeNull();
    expect(watch.check(() => broken, 15_000)).toEqual({ step: 'step-2', reason: 'step-2: API p95 500.2 ms > 100 ms' });
  });

  it('a step that held is judged once more when it has ended, then left alone', () => {
    let calls = 0;
    const watch = new BreakWatch(steps, rows, phases);
    const cells = (): Cell[] => {
      calls++;
      return [stepCell(0, 10)];
    };
    expect(watch.check(cells, 11_000)).toBeNull();
    expect(calls).toBe(1); // read once per tick, whatever the number of steps judged
    expect(watch.check(cells, 12_000)).toBeNull();
  });

  it('without a row to judge the steps by, it is not active', () => {
    expect(new BreakWatch(steps, [row({ checks: [{ metric: 'rps', limit: 10 }] })], phases).active).toBe(false);
  });
});
