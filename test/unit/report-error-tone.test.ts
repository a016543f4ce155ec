import { describe, expect, it } from 'vitest';
import { errorsAreBad } from '../../src/report/format.js';
import type { Result, TargetCheckResult } from '../../src/result/types.js';

const check = (metric: string, state: TargetCheckResult['state'], severity: TargetCheckResult['severity'] = 'fail'): TargetCheckResult => ({
  row: 'API',
  metric,
  limit: 0.01,
  actual: 0.001,
  unit: metric === 'errorRate' ? 'ratio' : 'ms',
  state,
  severity,
  pass: state === 'pass',
});

const run = (errors: number, targets: TargetCheckResult[]): Pick<Result, 'totals' | 'targets'> =>
  ({ totals: { requests: 1000, errors, errorRate: errors / 1000 }, targets }) as unknown as Pick<Result, 'totals' | 'targets'>;

describe('errorsAreBad: failed requests are shown as bad unless an error-rate check passed them', () => {
  it.each([
    ['no errors', 0, [], false],
    ['errors, no targets', 3, [], true],
    ['errors, only latency checks', 3, [check('p95', 'pass')], true],
    ['errors within a passing error-rate check', 3, [check('errorRate', 'pass')], false],
    ['errors, the error-rate check uncertain', 3, [check('errorRate', 'uncertain')], true],
    ['errors beyond a warn limit', 3, [check('errorRate', 'fail', 'warn')], true],
    ['one error-rate check passes, another fails', 3, [check('errorRate', 'pass'), check('errorRate', 'fail')], true],
  ] as const)('%s', (_name, errors, targets, bad) => {
    expect(errorsAreBad(run(errors, [...targets]))).toBe(bad);
  });
});
