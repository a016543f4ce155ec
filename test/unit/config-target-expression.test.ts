import { describe, expect, it } from 'vitest';
import { parseTargetExpression } from '../../src/config/target-expression.js';

describe('--target expressions (k6 threshold syntax)', () => {
  it.each([
    ['p95<200ms', null, 'p95', 200],
    ['p(95)<200', null, 'p95', 200],
    ['p99.9 < 1s', null, 'p99.9', 1000],
    ['avg<50', null, 'mean', 50],
    ['max<=2s', null, 'max', 2000],
    ['errorRate<1%', null, 'errorRate', 0.01],
    ['errorRate<0.005', null, 'errorRate', 0.005],
    ['rps>=500', null, 'rps', 500],
    ['login:p99<500ms', ['login'], 'p99', 500],
    ['list-*:p95<100ms', ['list-*'], 'p95', 100],
    ['cpu<60%', null, 'cpu', 0.6],
    ['memory<1.5GB', null, 'memory', 1536],
  ])('%s', (text, requests, metric, limit) => {
    expect(parseTargetExpression(text)).toEqual({ name: text.trim(), requests, phase: null, checks: [{ metric, limit }], abortOnFail: false });
  });

  it.each([
    ['p95>200ms', /must stay below/],
    ['rps<500', /must be reached/],
    ['p100<1s', /out of range/],
    ['latency<1s', /unknown metric "latency"/],
    ['p95<fast', /not a duration|duration/],
    ['p95', /not a target expression/],
    ['errorRate<200%', /more than 100%/],
    ['memory<512', /no unit/],
    ['cpu>50%', /must stay below/],
  ])('%s is an input error', (text, message) => {
    expect(() => parseTargetExpression(text)).toThrow(message);
  });
});
