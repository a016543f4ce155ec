import { describe, expect, it } from 'vitest';
import type { TargetCheckResult } from '../../src/result/types.js';
import { formatCheck } from '../../src/judge/checks.js';
import { decideVerdict } from '../../src/judge/verdict.js';

function check(row: string, metric: string, limit: number, actual: number, unit: TargetCheckResult['unit'] = 'ms'): TargetCheckResult {
  const pass = unit === 'rps' ? actual >= limit : actual < limit;
  const c: TargetCheckResult = { row, metric, limit, actual, unit, pass };
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

  it('an insufficient check is not a pass', () => {
    const insufficient: TargetCheckResult = { row: 'Tail', metric: 'p99.9', limit: 50, actual: null, unit: 'ms', pass: false, samples: 200, insufficient: true };
    const decision = decideVerdict({ status: 'completed', checks: [...passing, { ...insufficient, message: formatCheck(insufficient) }], regressions: 0 });
    expect(decision.verdict).toBe('fail');
    expect(decision.reason).toContain('Tail p99.9 not judged: 200 samples, at least 10000 samples needed');
  });

  it('a regression fails a run whose checks passed', () => {
    expect(decideVerdict({ status: 'completed', checks: passing, regressions: 2 })).toEqual({ verdict: 'fail', reason: '2 regressions against the baseline' });
    expect(decideVerdict({ status: 'completed', checks: failing, regressions: 1 }).reason).toMatch(/^2 of 2 checks failed: .*; 1 regression against the baseline$/);
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
    expect(decideVerdict({ status: 'completed', checks: [], regressions: 0 })).toEqual({ verdict: 'pass', reason: 'completed with no targets to check' });
  });
});
