import { describe, expect, it } from 'vitest';
import type { TargetCheckResult } from '../../src/result/types.js';
import { formatCheck } from '../../src/judge/checks.js';
import { decideVerdict } from '../../src/judge/verdict.js';

function check(row: string, metric: string, limit: number, actual: number, unit: TargetCheckResult['unit'] = 'ms'): TargetCheckResult {
  const pass = unit === 'rps' ? actual >= limit : actual < limit;
  const c: TargetCheckResult = { row, metric, limit, actual, unit, pass, state: pass ? 'pass' : 'fail', severity: 'fail' };
  return { ...c, message: formatCheck(c) };
}

const passing = Array.from({ length: 7 }, (_, i) => check(`Row ${i}`, 'p95', 200, 100));
const failing = [check('User Authentication', 'p95', 200, 234.1), check('Whole API', 'errorRate', 0.01, 0.0231, 'ratio')];

describe('decideVerdict', () => {
  it('all checks passed', () => {
    expect(decideVerdict({ status: 'completed', checks: passing, regressions: 0 })).toEqual({ verdict: 'pass', reason: 'all 7 checks passed' });
  });

  it('names the failed checks', () => {
    const decision = decideVerdict({ status: 'completed', checks: [...passing, ...failing], regressions: 0 });
    expect(decision).toEqual({
      verdict: 'fail',
      reason: '2 of 9 checks failed: User Authentication p95 234.1 ms > 200 ms, Whole API errorRate 2.31% ≥ 1%',
    });
  });

  it('lists at most three failures', () => {
    const many = Array.from({ length: 5 }, (_, i) => check(`R${i}`, 'max', 1, 2));
    expect(decideVerdict({ status: 'completed', checks: many, regressions: 0 }).reason).toMatch(/^5 of 5 checks failed: R0 .*, R2 max 2.00 ms > 1 ms, and 2 more$/);
  });

  it('an uncertain check makes the run inconclusive, naming it and how much longer would judge it', () => {
    const uncertain: TargetCheckResult = { row: 'Tail', metric: 'p99', limit: 50, actual: 2.9, unit: 'ms', state: 'uncertain', severity: 'fail', pass: false, samples: 150, bound: null, samplesNeeded: 299 };
    const decision = decideVerdict({ status: 'completed', checks: [...passing, { ...uncertain, message: formatCheck(uncertain) }], regressions: 0, plannedMs: 60_000 });
    expect(decision).toEqual({
      verdict: 'inconclusive',
      reason:
        'inconclusive: 1 of 8 checks is uncertain: Tail p99 2.90 ms < 50 ms, uncertain: 150 samples cannot show it under the limit (about 299 would); ' +
        'a run about 2× as long (-d 2m) or at 2× the load (--scale 2) would judge it',
    });
  });

  it('fail > inconclusive > warn > pass', () => {
    const uncertain: TargetCheckResult = { ...passing[0]!, state: 'uncertain', pass: false, samples: 100, samplesNeeded: 250 };
    const warned: TargetCheckResult = { ...failing[0]!, severity: 'warn' };
    const verdict = (checks: TargetCheckResult[]): string => decideVerdict({ status: 'completed', checks, regressions: 0 }).verdict;
    expect(verdict([...failing, uncertain, warned])).toBe('fail');
    expect(verdict([uncertain, warned, ...passing])).toBe('inconclusive');
    expect(verdict([warned, ...passing])).toBe('warn');
    expect(verdict(passing)).toBe('pass');
    // an uncertain warning-level check cannot fail the run, so it does not hold the verdict up
    expect(verdict([{ ...uncertain, severity: 'warn' }, ...passing])).toBe('pass');
    expect(decideVerdict({ status: 'completed', checks: [warned], regressions: 0 }).reason).toBe('warn: 1 of 1 check missed a warning limit: User Authentication p95 234.1 ms > 200 ms');
  });

  it('a regression fails a run whose checks passed', () => {
    expect(decideVerdict({ status: 'completed', checks: passing, regressions: 2 })).toEqual({ verdict: 'fail', reason: '2 regressions against the baseline' });
    expect(decideVerdict({ status: 'completed', checks: failing, regressions: 1 }).reason).toMatch(/^2 of 2 checks failed: .*; 1 regression against the baseline$/);
    // the verdict names the baseline it was compared with
    expect(decideVerdict({ status: 'completed', checks: passing, regressions: 3, compared: true, baselineLabel: '5 results in base/' }).reason).toBe('3 regressions against 5 results in base/');
  });

  it('aborted says by what', () => {
    expect(decideVerdict({ status: 'aborted', checks: passing, regressions: 0, abortedBy: 'During the spike errorRate 12% ≥ 5%' })).toEqual({
      verdict: 'fail',
      reason: 'aborted: During the spike errorRate 12% ≥ 5%',
    });
  });

  it('inconclusive when perfctl could not deliver the profile, even with failed checks', () => {
    expect(
      decideVerdict({ status: 'completed', checks: failing, regressions: 0, inconclusiveReason: 'perfctl reached only 61% of the planned rate' }),
    ).toEqual({ verdict: 'inconclusive', reason: 'inconclusive: perfctl reached only 61% of the planned rate' });
  });

  it('interrupted and failed runs are never a pass', () => {
    expect(decideVerdict({ status: 'interrupted', checks: passing, regressions: 0 }).verdict).not.toBe('pass');
    expect(decideVerdict({ status: 'failed', checks: passing, regressions: 0 }).verdict).not.toBe('pass');
    expect(decideVerdict({ status: 'interrupted', checks: passing, regressions: 0 }).reason).toMatch(/^interrupted: /);
  });

  it('no targets', () => {
    expect(decideVerdict({ status: 'completed', checks: [], regressions: 0 })).toEqual({ verdict: 'none', reason: 'no targets: nothing was judged' });
    expect(decideVerdict({ status: 'completed', checks: [], regressions: 0, compared: true }).verdict).toBe('pass');
  });
});
