import { describe, expect, it } from 'vitest';
import { parseTolerance } from '../../src/compare/compare.js';
import { PerfctlError } from '../../src/errors.js';

describe('parseTolerance', () => {
  it.each([
    ['10%', { latency: 0.1, throughput: 0.1 }],
    [' 5.5% ', { latency: 0.055, throughput: 0.055 }],
    ['latency=5%,throughput=10%,errorRate=0.5%', { latency: 0.05, throughput: 0.1, errorRate: 0.005 }],
    ['errorRate=2pp', { errorRate: 0.02 }],
    ['latency=20%', { latency: 0.2 }],
    ['error-rate=1%, rps=15%', { errorRate: 0.01, throughput: 0.15 }],
  ])('%s', (text, expected) => {
    const parsed = parseTolerance(text);
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expect(parsed[key as keyof typeof parsed]).toBeCloseTo(value, 10);
  });

  it.each([
    ['', /empty/],
    ['10', /has no unit/],
    ['ten%', /not a percentage/],
    ['-5%', /not a percentage/],
    ['speed=5%', /not one of latency=, throughput=, errorRate=/],
    ['latency=5%,', /not one of/],
    ['latency=', /not a percentage/],
    ['latency=5%=3', /not one of/],
  ])('%j is refused with exit 2', (text, message) => {
    let error: unknown;
    try {
      parseTolerance(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PerfctlError);
    expect((error as PerfctlError).exitCode).toBe(2);
    expect((error as PerfctlError).message).toMatch(message);
  });

  it('hints the unit', () => {
    try {
      parseTolerance('10');
    } catch (error) {
      expect((error as PerfctlError).hint).toBe('write "10%"');
    }
  });
});
