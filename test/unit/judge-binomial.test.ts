import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  minimumSamplesForPercentile,
  percentileUpperRank,
  rateUpperBound,
  samplesToShowPercentile,
  samplesToShowRate,
} from '../../src/judge/binomial.js';

// Expected values computed independently with exact rational arithmetic (Python fractions):
// the smallest k with P(Binomial(n, q) ≤ k − 1) ≥ 0.95.
describe('percentileUpperRank: one-sided 95% order-statistic bound', () => {
  it.each([
    [58, 0.95, null],
    [59, 0.95, 59],
    [299, 0.95, 291],
    [1000, 0.95, 962],
    [59, 0.99, null],
    [298, 0.99, null],
    [299, 0.99, 299],
    [1000, 0.99, 996],
    [20, 0.5, 15],
    [100, 0.5, 59],
  ] as const)('n = %i, q = %f -> rank %s', (n, q, rank) => {
    expect(percentileUpperRank(n, q)).toBe(rank);
  });

  it('the least samples a percentile can be bounded with', () => {
    expect(minimumSamplesForPercentile(0.95)).toBe(59);
    expect(minimumSamplesForPercentile(0.99)).toBe(299);
    expect(minimumSamplesForPercentile(0.999)).toBe(2995);
  });

  it('the normal approximation beyond the exact range stays near nq + 1.645·sd', () => {
    const n = 5_000_000;
    const k = percentileUpperRank(n, 0.99)!;
    expect(k).toBeGreaterThan(n * 0.99);
    expect(k - n * 0.99).toBeCloseTo(1.645 * Math.sqrt(n * 0.99 * 0.01), -1);
  });
});

describe('binomialCdf', () => {
  it.each([
    [58, 59, 0.95, 1 - 0.95 ** 59],
    [0, 10, 0.5, 1 / 1024],
    [5, 10, 0.5, 638 / 1024],
    [-1, 10, 0.5, 0],
    [10, 10, 0.5, 1],
  ])('P(X ≤ %i; n = %i, p = %f)', (k, n, p, expected) => {
    expect(binomialCdf(k, n, p)).toBeCloseTo(expected, 12);
  });
});

describe('rateUpperBound: Clopper–Pearson one-sided 95%', () => {
  it('0 of 299 errors shows a rate under 1%, 0 of 298 does not', () => {
    expect(rateUpperBound(0, 299)!).toBeCloseTo(0.009969146792899286, 12);
    expect(rateUpperBound(0, 299)!).toBeLessThan(0.01);
    expect(rateUpperBound(0, 298)!).toBeGreaterThan(0.01);
  });

  it.each([
    [3, 1000, 0.007735244718479472],
    [1, 299, 0.015766783127611428],
    [10, 100, 0.16371762327581477],
  ])('%i of %i', (x, n, expected) => {
    expect(rateUpperBound(x, n)!).toBeCloseTo(expected, 9);
  });

  it('no requests: no bound; all failed: 1', () => {
    expect(rateUpperBound(0, 0)).toBeNull();
    expect(rateUpperBound(5, 5)).toBe(1);
  });
});

describe('how many samples would judge a check', () => {
  it('all samples under the limit: the least that can show it', () => {
    expect(samplesToShowPercentile(0.99, 1)).toBe(299);
    expect(samplesToShowPercentile(0.95, 1)).toBe(59);
  });

  it('a share under the limit close to q needs many more', () => {
    const near = samplesToShowPercentile(0.99, 0.995)!;
    const far = samplesToShowPercentile(0.99, 0.999)!;
    expect(near).toBeGreaterThan(far);
    // and the bound of that many samples is indeed under the limit's rank
    expect(percentileUpperRank(near, 0.99)! / near).toBeLessThanOrEqual(0.995 + 1 / near);
  });

  it('never when the share under the limit is not above q (the check failed)', () => {
    expect(samplesToShowPercentile(0.99, 0.98)).toBeNull();
  });

  it('an error rate: 299 requests without an error for 1%', () => {
    expect(samplesToShowRate(0, 0.01)).toBe(299);
    expect(samplesToShowRate(0.005, 0.01)).toBeGreaterThan(299);
    expect(samplesToShowRate(0.02, 0.01)).toBeNull();
  });
});
