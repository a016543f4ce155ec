import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../src/config/types.js';
import { decodeCells } from '../../src/result/cells.js';
import {
  evaluateTargets,
  formatCheck,
  leastSamples,
  parsePercentile,
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
    expect(p50).toMatchObject({ row: 'API', metric: 'p50', limit: 10, unit: 'ms', state: 'pass', severity: 'fail', pass: true, samples: 1000 });
    expect(p50!.actual).toBeCloseTo(5, 1);
    expect(p95).toMatchObject({ metric: 'p95', state: 'fail', pass: false });
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
    // exactly 0.1% is slow: the 95% bound of the p99.9 lands in the slow tail, so it cannot be shown under 100 ms
    expect(check!.state).toBe('uncertain');
    expect(check!.bound).toBeCloseTo(500, -1);
    const [half] = evaluate({ cells: [{ group: 'api', phase: 'main', latenciesMs: [...times(19_990, 10), ...times(10, 500)] }] }, [row({ checks: [{ metric: 'p99.9', limit: 100 }] })]);
    expect(half!.state).toBe('pass');
  });
});

describe('evaluateTargets: judged with a 95% bound', () => {
  it.each([
    ['p50', 0.01, 5],
    ['p95', 0.01, 59],
    ['p99', 0.01, 299],
    ['p99.9', 0.01, 2995],
    ['max', 0.01, 1],
    ['mean', 0.01, 1],
    ['errorRate', 0.01, 299],
    ['errorRate', 0.05, 59],
  ])('%s (limit %f) can pass from %i samples', (metric, limit, least) => {
    expect(leastSamples({ metric, limit })).toBe(least);
  });

  it('a p99 from 298 fast samples is uncertain; from 299 it passes with the largest sample as its bound', () => {
    const rows = [row({ name: 'API', checks: [{ metric: 'p99', limit: 50 }] })];
    const [few] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(298, 5) }] }, rows);
    expect(few).toMatchObject({ state: 'uncertain', pass: false, samples: 298, bound: null, samplesNeeded: 299 });
    expect(few!.actual).toBeCloseTo(5, 1);
    expect(few!.message).toBe('p99 5.00 ms < 50 ms, uncertain: 298 samples cannot show it under the limit (about 299 would)');
    const [enough] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: [...times(298, 5), 7] }] }, rows);
    expect(enough).toMatchObject({ state: 'pass', pass: true, samples: 299 });
    expect(enough!.bound).toBeCloseTo(7, 1);
  });

  it('150 samples under 3 ms against p99 < 50 ms: uncertain, and says what would judge it', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: spread(150, 1, 3) }] }, [row({ checks: [{ metric: 'p99', limit: 50 }] })]);
    expect(check).toMatchObject({ state: 'uncertain', samples: 150, samplesNeeded: 299 });
  });

  it('a p99 of 900 ms from 150 samples fails a 50 ms limit: failing needs no bound', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: [...times(100, 5), ...times(50, 900)] }] }, [row({ checks: [{ metric: 'p99', limit: 50 }] })]);
    expect(check).toMatchObject({ state: 'fail', pass: false, samples: 150 });
    expect(check!.actual).toBeGreaterThan(890);
  });

  it('a value within its limit whose bound is not: uncertain, with the bound', () => {
    // 1000 samples, 0.8% of them at 100 ms: p99 is fast, but its bound (rank 996) is the slow tail
    const latencies = [...times(992, 5), ...times(8, 100)];
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: latencies }] }, [row({ checks: [{ metric: 'p99', limit: 50 }] })]);
    expect(check!.actual).toBeLessThan(50);
    expect(check).toMatchObject({ state: 'uncertain', samples: 1000 });
    expect(check!.bound).toBeCloseTo(100, 0);
    expect(check!.samplesNeeded).toBeGreaterThan(1000);
    expect(check!.message).toMatch(/^p99 5\.\d\d ms < 50 ms, uncertain: its 95% bound is 100\.\d ms from 1000 samples \(about \d+ would\)$/);
  });

  it('confidence: off judges on the values alone', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(20, 5) }] }, [row({ confidence: false, checks: [{ metric: 'p99', limit: 50 }] })]);
    expect(check).toMatchObject({ state: 'pass', samples: 20 });
  });

  it('0 errors in 299 requests shows an error rate under 1%; in 298 it does not', () => {
    const rows = [row({ checks: [{ metric: 'errorRate', limit: 0.01 }] })];
    const [shown] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(299, 5) }] }, rows);
    expect(shown).toMatchObject({ state: 'pass', actual: 0 });
    expect(shown!.bound).toBeCloseTo(0.009969, 5);
    const [notShown] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(298, 5) }] }, rows);
    expect(notShown).toMatchObject({ state: 'uncertain', actual: 0, samplesNeeded: 299 });
  });

  it('a warning-level limit is a check of its own severity', () => {
    const [check] = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(100, 30) }] }, [row({ checks: [{ metric: 'p95', limit: 20, severity: 'warn' }] })]);
    expect(check).toMatchObject({ state: 'fail', severity: 'warn' });
  });

  it('no requests at all: errorRate and max are uncertain', () => {
    const checks = evaluate({ cells: [{ group: 'a', phase: 'main', latenciesMs: times(10, 5) }] }, [
      row({ requests: ['nothing-*'], checks: [{ metric: 'errorRate', limit: 0.01 }, { metric: 'max', limit: 10 }] }),
    ]);
    expect(checks.map((c) => [c.state, c.pass, c.samples])).toEqual([
      ['uncertain', false, 0],
      ['uncertain', false, 0],
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
    expect(check).toMatchObject({ actual: null, pass: false, state: 'uncertain', phase: 'stage-9' });
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
    expect(low!.message).toBe('rps 401.0/s < 500/s');
    expect(high!.pass).toBe(true);
    expect(high!.message).toBe('rps 401.0/s ≥ 400/s');
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
    const check: TargetCheckResult = { row: 'User Authentication', metric: 'p95', limit: 200, actual: 234.1, unit: 'ms', state: 'fail', severity: 'fail', pass: false };
    expect(formatCheck(check)).toBe('p95 234.1 ms > 200 ms');
    expect(formatCheck({ ...check, actual: 123.4, state: 'pass', pass: true })).toBe('p95 123.4 ms < 200 ms');
    expect(formatCheck({ ...check, metric: 'errorRate', unit: 'ratio', limit: 0.01, actual: 0.0231 })).toBe('errorRate 2.31% ≥ 1%');
    expect(formatCheck({ ...check, metric: 'rps', unit: 'rps', limit: 500, actual: 480.2 })).toBe('rps 480.2/s < 500/s');
    // a result from before check states: read from pass and insufficient
    const { state: _state, ...old } = check;
    expect(formatCheck({ ...old, pass: true } as TargetCheckResult)).toBe('p95 234.1 ms < 200 ms');
  });

  it('never shows a value rounded onto its limit', () => {
    const check: TargetCheckResult = { row: 'r', metric: 'errorRate', limit: 0.0003, actual: 0.000299, unit: 'ratio', state: 'pass', severity: 'fail', pass: true };
    expect(formatCheck(check)).toBe('errorRate 0.0299% < 0.03%');
    expect(formatCheck({ ...check, metric: 'p95', unit: 'ms', limit: 200, actual: 199.97 })).toBe('p95 199.97 ms < 200 ms');
  });
});
