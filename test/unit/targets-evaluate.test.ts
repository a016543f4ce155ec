import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../src/config/types.js';
import { decodeCells } from '../../src/result/cells.js';
import {
  evaluateTargets,
  formatCheck,
  parsePercentile,
  requiredSamples,
} from '../../src/judge/checks.js';
import type { TargetCheckResult } from '../../src/result/types.js';
import { makeResult, spread, type SyntheticRun } from '../helpers/result-fixture.js';

function row(partial: Partial<TargetRow> & Pick<TargetRow, 'checks'>): TargetRow {
  return { name: 'row', requests: null, phase: null, abortOnFail: false, ...partial };
}

function evaluate(run: SyntheticRun, rows: TargetRow[]): TargetCheckResult[] {
  const result = makeResult(run);
  return evaluateTargets(rows, decodeCells(result), result.phases, result.durationMs);
}

const times = (n: number, ms: number): number[] => Array.from({ length: n }, () => ms);
/** 9 in 10 at 5 ms, 1 in 10 at 80 ms */
const mostlyFast = (n: number): number[] => [...times((n * 9) / 10, 5), ...times(n / 10, 80)];

describe('evaluateTargets: latency', () => {
  const run: SyntheticRun = { cells: [{ group: 'api', phase: 'main', latenciesMs: mostlyFast(1000) }] };

  it('9 in 10 at 5 ms, 1 in 10 at 80 ms: p50 < 10 ms passes near 5, p95 < 50 ms fails near 80', () => {
    const [p50, p95] = evaluate(run, [row({ name: 'API', checks: [{ metric: 'p50', limit: 10 }, { metric: 'p95', limit: 50 }] })]);
    expect(p50).toMatchObject({ row: 'API', metric: 'p50', limit: 10, unit: 'ms', pass: true, insufficient: false, samples: 1000 });
    expect(p50!.actual).toBeCloseTo(5, 1);
    expect(p95).toMatchObject({ metric: 'p95', pass: false, insufficient: false });
    expect(p95!.actual).toBeCloseTo(80, 0);
    expect(p50!.message).toBe('p50 5.00 ms < 10 ms');
    expect(p95!.message).toMatch(/^p95 80\.\d ms > 50 ms$/);
  });

  it('a latency equal to its limit fails: it must stay below', () => {
    const [check] = evaluate({ cells: [{ group: 'api', phase: 'main', latenciesMs: times(100, 8) }] }, [row({ checks: [{ metric: 'max', limit: 8 }] })]);
    expect(check!.actual).toBeCloseTo(8, 2);
    expect(check!.pass).toBe(false);
  });

  it('max and mean', () => {
    const [max, mean] = evaluate(run, [row({ checks: [{ metric: 'max', limit: 100 }, { metric: 'mean', limit: 10 }] })]);
    expect(max!.actual).toBeCloseTo(80, 0);
    expect(max!.pass).toBe(true);
    expect(mean!.actual).toBeCloseTo(0.9 * 5 + 0.1 * 80, 1);
    expect(mean!.pass).toBe(false);
  });

  it('p99.9 is read as the 99.9th percentile', () => {
    const latencies = [...times(19_980, 10), ...times(20, 500)]; // 0.1% at 500 ms
    const [check] = evaluate({ cells: [{ group: 'api', phase: 'main', latenciesMs: latencies }] }, [row({ checks: [{ metric: 'p99.9', limit: 100 }] })]);
    expect(check!.samples).toBe(20_000);
    expect(check!.actual).toBeCloseTo(10, 0);
    expect(check!.pass).toBe(true);
  });
});

describe('evaluateTargets: too few samples', () => {
  it.each([
    ['p50', 20],
    ['p95', 200],
    ['p99', 1000],
    ['p99.9', 10_000],
    ['max', 1],
    ['mean', 1],
    ['errorRate', 1],
  ])('%s needs %i samples', (metric, needed) => {
    expect(requiredSamples(metric)).toBe(needed);
  });

  it('a p99 from 999 requests is insufficient and does not pass; from 1000 it is judged', () => {
    const rows = [row({ name: 'API', checks: [{ metric: 'p99', limit: 1000 }] })];
    const [few] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(999, 5) }] }, rows);
    expect(few).toMatchObject({ actual: null, pass: false, insufficient: true, samples: 999 });
    expect(few!.message).toBe('p99 not judged: 999 samples, at least 1000 samples needed (limit 1000 ms)');
    const [enough] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(1000, 5) }] }, rows);
    expect(enough).toMatchObject({ pass: true, insufficient: false, samples: 1000 });
  });

  it('a p99.9 from 200 requests says so', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(200, 5) }] }, [row({ checks: [{ metric: 'p99.9', limit: 50 }] })]);
    expect(check).toMatchObject({ insufficient: true, pass: false });
    expect(check!.message).toContain('at least 10000 samples needed');
  });

  it('no requests at all: errorRate and max are insufficient', () => {
    const checks = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(10, 5) }] }, [
      row({ requests: ['nothing-*'], checks: [{ metric: 'errorRate', limit: 0.01 }, { metric: 'max', limit: 10 }] }),
    ]);
    expect(checks.map((c) => [c.insufficient, c.pass, c.samples])).toEqual([
      [true, false, 0],
      [true, false, 0],
    ]);
  });
});

describe('evaluateTargets: scope', () => {
  const twoStages: SyntheticRun = {
    phases: [
      { name: 'stage-1', startMs: 0, endMs: 10_000 },
      { name: 'stage-2', startMs: 10_000, endMs: 20_000 },
    ],
    cells: [
      { group: 'login', phase: 'stage-1', latenciesMs: times(500, 20) },
      { group: 'login', phase: 'stage-2', latenciesMs: [...times(400, 20), ...times(100, 3000)] }, // a stall
      { group: 'list', phase: 'stage-1', latenciesMs: times(500, 2) },
      { group: 'list', phase: 'stage-2', latenciesMs: times(500, 2) },
    ],
  };

  it('a stall in stage 2 fails the row scoped to stage 2 and passes the row scoped to stage 1', () => {
    const checks = evaluate(twoStages, [
      row({ name: 'Stage 1', phase: 'stage-1', checks: [{ metric: 'p95', limit: 100 }] }),
      row({ name: 'Stage 2', phase: 'stage-2', checks: [{ metric: 'p95', limit: 100 }] }),
    ]);
    expect(checks[0]).toMatchObject({ row: 'Stage 1', phase: 'stage-1', pass: true, samples: 1000 });
    expect(checks[1]).toMatchObject({ row: 'Stage 2', phase: 'stage-2', pass: false, samples: 1000 });
    expect(checks[1]!.actual).toBeGreaterThan(2900);
  });

  it('requests globs pick groups; the union is summed exactly, not averaged', () => {
    const checks = evaluate(twoStages, [
      row({ name: 'Login', requests: ['log*'], checks: [{ metric: 'max', limit: 100 }] }),
      row({ name: 'List', requests: ['l?st'], checks: [{ metric: 'max', limit: 100 }] }),
      row({ name: 'Both', requests: ['login', 'list'], checks: [{ metric: 'p90', limit: 10 }] }),
    ]);
    expect(checks[0]).toMatchObject({ pass: false, samples: 1000 });
    expect(checks[1]).toMatchObject({ pass: true, samples: 1000 });
    // 2000 samples: 1000 at 2 ms, 900 at 20 ms, 100 at 3000 ms -> p90 is 20 ms (an average of per-group p90s would not be)
    expect(checks[2]!.samples).toBe(2000);
    expect(checks[2]!.actual).toBeCloseTo(20, 0);
  });

  it('a phase the run does not have is not judged', () => {
    const [check] = evaluate(twoStages, [row({ phase: 'stage-9', checks: [{ metric: 'errorRate', limit: 0.01 }] })]);
    expect(check).toMatchObject({ actual: null, pass: false, insufficient: true, phase: 'stage-9' });
  });
});

describe('evaluateTargets: errorRate and rps', () => {
  const run: SyntheticRun = {
    durationMs: 10_000,
    phases: [{ name: 'main', startMs: 0, endMs: 10_000 }],
    cells: [{ group: 'a', phase: 'main', latenciesMs: spread(4000, 1, 10), statusErrors: 80, otherErrors: { timeout: 10, dropped: 10 } }],
  };

  it('errorRate counts every due request, dropped included', () => {
    const [pass, fail] = evaluate(run, [row({ name: 'A', checks: [{ metric: 'errorRate', limit: 0.05 }, { metric: 'errorRate', limit: 0.01 }] })]);
    expect(pass).toMatchObject({ unit: 'ratio', pass: true, samples: 4020 });
    expect(pass!.actual).toBeCloseTo(100 / 4020, 6);
    expect(fail!.pass).toBe(false);
    expect(fail!.message).toBe('errorRate 2.49% ≥ 1%');
    expect(pass!.message).toBe('errorRate 2.49% < 5%');
  });

  it('errorRate: 0% means no errors at all', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(10, 1) }] }, [row({ checks: [{ metric: 'errorRate', limit: 0 }] })]);
    expect(check).toMatchObject({ actual: 0, pass: true });
  });

  it('rps is sent requests (not dropped) over the run or the phase window', () => {
    const [low, high] = evaluate(run, [row({ checks: [{ metric: 'rps', limit: 500 }, { metric: 'rps', limit: 400 }] })]);
    expect(low!.actual).toBeCloseTo(401, 6); // (4000 + 10 timeouts) / 10 s
    expect(low).toMatchObject({ unit: 'rps', pass: false, samples: 4010 });
    expect(low!.message).toBe('rps 401.0 < 500');
    expect(high!.pass).toBe(true);
    expect(high!.message).toBe('rps 401.0 ≥ 400');
  });

  it('rps of a phase uses its window, clamped to the end of a run cut short', () => {
    const checks = evaluate(
      {
        durationMs: 15_000,
        phases: [
          { name: 'a', startMs: 0, endMs: 10_000 },
          { name: 'b', startMs: 10_000, endMs: 20_000 },
        ],
        cells: [
          { group: 'x', phase: 'a', latenciesMs: times(1000, 1) },
          { group: 'x', phase: 'b', latenciesMs: times(1000, 1) },
        ],
      },
      [row({ phase: 'a', checks: [{ metric: 'rps', limit: 1 }] }), row({ phase: 'b', checks: [{ metric: 'rps', limit: 1 }] })],
    );
    expect(checks[0]!.actual).toBeCloseTo(100, 6);
    expect(checks[1]!.actual).toBeCloseTo(200, 6);
  });
});

describe('parsePercentile and formatCheck', () => {
  it('parses percentiles', () => {
    expect(parsePercentile('p99.9')).toBe(99.9);
    expect(parsePercentile('p50')).toBe(50);
    expect(parsePercentile('max')).toBeNaN();
  });

  it('prints the same message from a check read back from JSON', () => {
    const check: TargetCheckResult = { row: 'User Authentication', metric: 'p95', limit: 200, actual: 234.1, unit: 'ms', pass: false };
    expect(formatCheck(check)).toBe('p95 234.1 ms > 200 ms');
    expect(formatCheck({ ...check, actual: 123.4, pass: true })).toBe('p95 123.4 ms < 200 ms');
    expect(formatCheck({ ...check, metric: 'errorRate', unit: 'ratio', limit: 0.01, actual: 0.0231 })).toBe('errorRate 2.31% ≥ 1%');
    expect(formatCheck({ ...check, metric: 'rps', unit: 'rps', limit: 500, actual: 480.2 })).toBe('rps 480.2 < 500');
  });
});
