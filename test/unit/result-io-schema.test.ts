import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateResult } from '../../src/result/validate-result.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

const clone = (r: Result): Record<string, any> => JSON.parse(JSON.stringify(r));

function fullResult(): Result {
  const result = makeResult({
    profileName: 'spike',
    phases: [
      { name: 'baseline', startMs: 0, endMs: 5000 },
      { name: 'spike', startMs: 5000, endMs: 10000 },
    ],
    cells: [
      { group: 'login', phase: 'baseline', latenciesMs: spread(200, 1, 40), statusErrors: 2 },
      { group: 'list', phase: 'spike', latenciesMs: spread(400, 5, 300), otherErrors: { timeout: 3, dropped: 1 } },
    ],
  });
  result.targets = [
    { row: 'Auth', metric: 'p95', limit: 200, actual: 38, unit: 'ms', pass: true, samples: 200, phase: null },
    { row: 'Tail', metric: 'p99.9', limit: 500, actual: 290, unit: 'ms', pass: false, insufficient: true, samples: 404, phase: 'spike', message: 'too few' },
    { row: 'API', metric: 'errorRate', limit: 0.01, actual: null, unit: 'ratio', pass: false },
    { row: 'API', metric: 'rps', limit: 10, actual: 60.4, unit: 'rps', pass: true },
  ];
  result.comparison = {
    baselineFile: 'base/result.json',
    baselineStartedAt: '2025-12-31T00:00:00.000Z',
    tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
    entries: [{ scope: 'total', metric: 'p95', baseline: 100, current: 120, change: 0.2, regression: true, note: 'over 10%' }],
    regressions: 1,
  };
  result.reason = 'a regression against the baseline';
  result.verdict = 'fail';
  result.shard = { index: 1, count: 2 };
  result.profile.description = 'spike test';
  result.profile.resolved = { anything: ['goes', 1] };
  result.profile.hash = 'sha256:abc';
  result.timeline[0] = { ...result.timeline[0]!, planned: 60, loopLagMs: 1.5, startLagMs: 0.2 };
  return result;
}

const full = fullResult();

describe('schemas/result.schema.json', () => {
  it('is a draft 2020-12 schema with the required fields of SPEC §5', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8'));
    expect(schema.$schema).toContain('2020-12');
    expect(schema.required).toEqual(
      expect.arrayContaining(['schemaVersion', 'tool', 'profile', 'baseUrl', 'startedAt', 'endedAt', 'durationMs', 'status', 'verdict', 'totals', 'groups', 'phases', 'timeline', 'histograms', 'targets', 'environment', 'cells']),
    );
    expect(schema.required).not.toContain('comparison');
  });

  it('accepts what makeResult builds: open and closed model, one and several phases', () => {
    expect(validateResult(makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: spread(50, 1, 9) }] }))).toEqual([]);
    expect(validateResult(makeResult({ model: 'closed', cells: [{ group: 'a', phase: 'main', latenciesMs: [1, 2, 3] }] }))).toEqual([]);
    expect(validateResult(makeResult({ cells: [] }))).toEqual([]);
    expect(validateResult(fullResult())).toEqual([]);
  });

  it('accepts every optional field of the types, and an open `analysis` block', () => {
    const r = clone(full);
    r['analysis'] = { knee: { rps: 400 }, notes: ['x'] };
    expect(validateResult(r)).toEqual([]);
  });

  it('accepts a result without the optional serviceTimeMs (closed model) and without comparison', () => {
    const r = clone(full);
    delete r['comparison'];
    delete r['totals'].serviceTimeMs;
    for (const p of r['phases']) delete p.serviceTimeMs;
    expect(validateResult(r)).toEqual([]);
  });

  const broken: Array<[string, (r: Record<string, any>) => void, RegExp]> = [
    ['no cells', (r) => delete r['cells'], /missing required property "cells"/],
    ['no totals', (r) => delete r['totals'], /missing required property "totals"/],
    ['another tool', (r) => (r['tool'].name = 'k6'), /\/tool\/name: must be "perfctl"/],
    ['schemaVersion 2', (r) => (r['schemaVersion'] = 2), /\/schemaVersion: must be 1/],
    ['an unknown status', (r) => (r['status'] = 'done'), /\/status: must be one of/],
    ['an unknown verdict', (r) => (r['verdict'] = 'ok'), /\/verdict: must be one of/],
    ['a negative count', (r) => (r['totals'].requests = -1), /\/totals\/requests/],
    ['a fractional count', (r) => (r['groups'].login.errors = 1.5), /\/groups\/login\/errors: must be integer/],
    ['a latency as text', (r) => (r['phases'][0].latencyMs.p95 = '12 ms'), /\/phases\/0\/latencyMs\/p95: must be number/],
    ['an error rate above 1', (r) => (r['totals'].errorRate = 2), /\/totals\/errorRate/],
    ['a null written for NaN', (r) => (r['totals'].rps = null), /\/totals\/rps: must be number/],
    ['an unknown top-level block', (r) => (r['extra'] = {}), /unknown property "extra"/],
    ['an unknown stats field', (r) => (r['totals'].p95 = 3), /\/totals: unknown property "p95"/],
    ['an unknown phase field', (r) => (r['phases'][0].window = 3), /\/phases\/0: unknown property "window"/],
    ['a check with an unknown unit', (r) => (r['targets'][0].unit = 's'), /\/targets\/0\/unit/],
    ['a check with an unknown metric', (r) => (r['targets'][0].metric = 'median'), /\/targets\/0\/metric/],
    ['a timeline point at t=0', (r) => (r['timeline'][0].t = 0), /\/timeline\/0\/t/],
    ['a cell without histogram', (r) => delete r['cells'][0].latency, /\/cells\/0: missing required property "latency"/],
    ['a comparison of an unknown metric', (r) => (r['comparison'].entries[0].metric = 'p42'), /\/comparison\/entries\/0\/metric/],
    ['a startedAt that is not ISO-8601', (r) => (r['startedAt'] = 'yesterday'), /\/startedAt/],
    ['environment.git missing', (r) => delete r['environment'].git, /missing required property "git"/],
    ['an analysis that is not an object', (r) => (r['analysis'] = 3), /\/analysis: must be object/],
  ];
  it.each(broken)('rejects %s', (_name, breakIt, expected) => {
    const r = clone(full);
    breakIt(r);
    const problems = validateResult(r);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('rejects values that are not results at all', () => {
    expect(validateResult(null)).not.toEqual([]);
    expect(validateResult([])).not.toEqual([]);
    expect(validateResult('result')).not.toEqual([]);
  });

  it('rejects NaN and Infinity in memory too', () => {
    const r = fullResult();
    r.totals.latencyMs.mean = Number.NaN;
    expect(validateResult(r).join('\n')).toMatch(/\/totals\/latencyMs\/mean/);
  });
});
