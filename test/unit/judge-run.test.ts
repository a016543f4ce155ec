// The judge as a pure function on recorded measurements (no servers): the same data gives the
// same verdict whether it comes from one run or from its shards merged.
import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../src/config/types.js';
import { judgeRun } from '../../src/judge/judge-run.js';
import { assembleResult } from '../../src/result/build-result.js';
import { decodeCells } from '../../src/result/cells.js';
import { mergeShardResults } from '../../src/result/merge-results.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread, type SyntheticRun } from '../helpers/result-fixture.js';

function row(partial: Partial<TargetRow> & Pick<TargetRow, 'checks'>): TargetRow {
  return { name: 'row', requests: null, phase: null, abortOnFail: false, ...partial };
}

/** A result as `run` writes it: measured, then judged with its rows (carried in the resolved profile). */
function judged(run: SyntheticRun, rows: TargetRow[], shard?: { index: number; count: number }, generatorProblem?: string): Result {
  const measured = makeResult(run);
  measured.profile.resolved = { targets: rows };
  if (shard) measured.shard = shard;
  measured.generator = { due: 1000, launched: 1000, late: generatorProblem ? 400 : 0, undelivered: 0, maxLoopLagMs: 3, ...(generatorProblem ? { problem: generatorProblem } : {}) };
  const { verdict: _v, reason: _r, targets: _t, ...rest } = measured;
  return assembleResult(rest, judgeRun({ result: rest, cells: decodeCells(measured) }, rows));
}

function merged(shards: Result[]): Result {
  const { merged: m, cells } = mergeShardResults(shards, shards.map((_, i) => `shard-${i + 1}.json`));
  return assembleResult(m, judgeRun({ result: m, cells }, (m.profile.resolved as { targets: TargetRow[] }).targets, { shards }));
}

const stall: SyntheticRun = {
  phases: [
    { name: 'before', startMs: 0, endMs: 3000 },
    { name: 'during', startMs: 3000, endMs: 6000 },
  ],
  // 150 requests each at 50/s; a 1 s stall in the second stage
  cells: [
    { group: 'api', phase: 'before', latenciesMs: spread(150, 1, 3) },
    { group: 'api', phase: 'during', latenciesMs: [...spread(100, 1, 3), ...spread(50, 20, 980)] },
  ],
};
const stallRows = [
  row({ name: 'before', phase: 'before', checks: [{ metric: 'p99', limit: 50 }] }),
  row({ name: 'during', phase: 'during', checks: [{ metric: 'p99', limit: 50 }] }),
];

describe('judgeRun', () => {
  it('a 1 s stall in stage 2: `during` fails near 900 ms, `before` is not a failure, the run fails', () => {
    const result = judged(stall, stallRows);
    const [before, during] = result.targets;
    expect(during).toMatchObject({ row: 'during', state: 'fail', samples: 150 });
    expect(during!.actual).toBeGreaterThan(900);
    expect(before!.state).not.toBe('fail');
    expect(result.verdict).toBe('fail');
  });

  it('150 fast samples against p99 < 50 ms alone: inconclusive, saying how long a run would judge it', () => {
    const result = judged({ cells: [{ group: 'api', phase: 'main', latenciesMs: spread(150, 0.5, 2.9) }], durationMs: 3000 }, [row({ checks: [{ metric: 'p99', limit: 50 }] })]);
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/p99 .* uncertain: 150 samples cannot show it under the limit \(about 299 would\); a run about 2× as long \(-d 6s\)/);
  });

  it('no targets and every request failed: verdict none, never pass', () => {
    const result = judged({ cells: [{ group: 'api', phase: 'main', latenciesMs: spread(200, 1, 5), statusErrors: 200 }] }, []);
    expect(result.verdict).toBe('none');
    expect(result.reason).toBe('no targets: nothing was judged');
  });

  it('p95: { warn: 20ms, fail: 200ms } against a 30 ms service: warn', () => {
    const rows = [row({ checks: [{ metric: 'p95', limit: 20, severity: 'warn' }, { metric: 'p95', limit: 200, severity: 'fail' }] })];
    const result = judged({ cells: [{ group: 'api', phase: 'main', latenciesMs: spread(1000, 28, 32) }] }, rows);
    expect(result.targets.map((t) => [t.severity, t.state])).toEqual([
      ['warn', 'fail'],
      ['fail', 'pass'],
    ]);
    expect(result.verdict).toBe('warn');
  });

  it('the result is assembled once: verdict and reason right after status', () => {
    const result = judged(stall, stallRows);
    expect(Object.keys(result).slice(0, 10)).toEqual(['schemaVersion', 'tool', 'profile', 'baseUrl', 'startedAt', 'endedAt', 'durationMs', 'status', 'verdict', 'reason']);
  });
});

describe('run and merge judge alike', () => {
  const half = (n: number): SyntheticRun => ({ cells: [{ group: 'api', phase: 'main', latenciesMs: spread(n, 1, 4) }] });
  const rows = [row({ checks: [{ metric: 'p99', limit: 50 }, { metric: 'errorRate', limit: 0.01 }] })];

  it('the same data: one run, or two shards merged, gives the same checks and verdict', () => {
    const whole = judged(half(400), rows);
    const merge = merged([judged(half(200), rows, { index: 1, count: 2 }), judged(half(200), rows, { index: 2, count: 2 })]);
    expect(whole.verdict).toBe('pass');
    expect(merge.verdict).toBe(whole.verdict);
    expect(merge.targets.map((t) => [t.metric, t.state, t.samples])).toEqual(whole.targets.map((t) => [t.metric, t.state, t.samples]));
    // each shard alone had too few samples for its p99: the merge has enough
    expect(judged(half(200), rows).verdict).toBe('inconclusive');
  });

  it('a shard perfctl could not deliver makes the merge inconclusive, naming the shard', () => {
    const problem = 'perfctl started only 60% of the planned requests on schedule';
    const merge = merged([judged(half(200), rows, { index: 1, count: 2 }), judged(half(200), rows, { index: 2, count: 2 }, problem)]);
    expect(merge.verdict).toBe('inconclusive');
    expect(merge.reason).toBe(`inconclusive: shard 2/2: ${problem}`);
    expect(merge.generator).toMatchObject({ due: 2000, late: 400 });
  });
});
