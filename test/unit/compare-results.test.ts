import { describe, expect, it } from 'vitest';
import { assertComparable, compareResults, percentileInterval } from '../../src/compare/compare.js';
import { PerfctlError } from '../../src/errors.js';
import { createHistogram, recordMicros } from '../../src/metrics/histogram.js';
import type { ComparisonEntry, Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** mulberry32: a small seeded PRNG, so every run of the tests draws the same samples. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n lognormal latencies with median `medianMs` (Box-Muller). */
function lognormal(seed: number, n: number, medianMs: number, sigma = 0.5): number[] {
  const random = prng(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return medianMs * Math.exp(sigma * z);
  });
}

function run(latenciesMs: number[], extra: { statusErrors?: number; group?: string; profileName?: string } = {}): Result {
  return makeResult({
    profileName: extra.profileName,
    durationMs: 30_000,
    cells: [{ group: extra.group ?? 'api', phase: 'main', latenciesMs, statusErrors: extra.statusErrors }],
  });
}

const entry = (entries: ComparisonEntry[], scope: string, metric: string): ComparisonEntry => {
  const found = entries.find((e) => e.scope === scope && e.metric === metric);
  if (!found) throw new Error(`no entry ${scope} ${metric}`);
  return found;
};

describe('compareResults', () => {
  it('covers p50, p95, p99, rps and errorRate for the totals and each group in both', () => {
    const comparison = compareResults(run(lognormal(1, 3000, 20)), run(lognormal(2, 3000, 20)), { baselineFile: 'base.json' });
    expect(comparison.entries.map((e) => `${e.scope} ${e.metric}`)).toEqual([
      'total p50', 'total p95', 'total p99', 'total rps', 'total errorRate',
      'api p50', 'api p95', 'api p99', 'api rps', 'api errorRate',
    ]);
    expect(comparison.tolerance).toEqual({ latency: 0.1, throughput: 0.1, errorRate: 0.01 });
    expect(comparison.baselineFile).toBe('base.json');
    expect(comparison.baselineStartedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('two draws of the same distribution are never a regression (12 seeded pairs, wide tails)', () => {
    let noisy = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const random = prng(seed * 7919);
      const errors = (): number => Math.round(30 + 10 * (random() - 0.5) * 2); // ~1% of 3000, give or take
      const baseline = run(lognormal(seed, 3000, 20, 1), { statusErrors: errors() });
      const current = run(lognormal(seed + 1000, 3000, 20, 1), { statusErrors: errors() });
      const comparison = compareResults(baseline, current, { baselineFile: 'b.json' });
      expect(comparison.regressions, JSON.stringify(comparison.entries.filter((e) => e.regression))).toBe(0);
      if (comparison.entries.some((e) => e.note?.includes('within noise'))) noisy++;
    }
    expect(noisy).toBeGreaterThan(0); // some p99s moved more than 10% by chance: the tolerance alone would have flagged them
  });

  it('a small sample whose p99 moved a lot by chance is called noise, not a regression', () => {
    // 700 samples: the 99% interval of p99 spans the top ~14 samples, which swing widely
    let noisy = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const comparison = compareResults(run(lognormal(seed, 700, 20, 0.8)), run(lognormal(seed + 500, 700, 20, 0.8)), { baselineFile: 'b.json' });
      expect(comparison.regressions).toBe(0);
      if (comparison.entries.some((e) => e.note?.includes('within noise'))) noisy++;
    }
    expect(noisy).toBeGreaterThan(0); // the tolerance alone would have flagged these
  });

  it('20 ms vs 30 ms is a regression of p50, p95 and p99', () => {
    const comparison = compareResults(run(lognormal(1, 3000, 20)), run(lognormal(2, 3000, 30)), { baselineFile: 'b.json' });
    for (const metric of ['p50', 'p95', 'p99']) {
      const e = entry(comparison.entries, 'total', metric);
      expect(e.regression, `${metric}: ${e.note}`).toBe(true);
      expect(e.change).toBeGreaterThan(0.3);
      expect(e.note).toMatch(/do not overlap/);
    }
    expect(entry(comparison.entries, 'total', 'rps').regression).toBe(false);
    expect(entry(comparison.entries, 'total', 'errorRate').regression).toBe(false);
    expect(comparison.regressions).toBe(6); // total and api, p50/p95/p99
  });

  it('faster is never a regression', () => {
    const comparison = compareResults(run(lognormal(1, 3000, 30)), run(lognormal(2, 3000, 20)), { baselineFile: 'b.json' });
    expect(comparison.regressions).toBe(0);
    expect(entry(comparison.entries, 'total', 'p50').change).toBeLessThan(-0.2);
  });

  it('a latency change under 1 ms is never a regression, however large in percent', () => {
    const comparison = compareResults(run(spread(5000, 0.1, 0.3)), run(spread(5000, 0.5, 0.9)), { baselineFile: 'b.json' });
    expect(comparison.regressions).toBe(0);
    const p50 = entry(comparison.entries, 'total', 'p50');
    expect(p50.change).toBeGreaterThan(1);
    expect(p50.note).toMatch(/under 1 ms/);
  });

  it('a latency change within the tolerance is not a regression', () => {
    const comparison = compareResults(run(spread(5000, 10, 30)), run(spread(5000, 10.8, 32.4)), { baselineFile: 'b.json' });
    expect(entry(comparison.entries, 'total', 'p50').change).toBeCloseTo(0.08, 2);
    expect(comparison.regressions).toBe(0);
    const strict = compareResults(run(spread(5000, 10, 30)), run(spread(5000, 10.8, 32.4)), { baselineFile: 'b.json', tolerance: { latency: 0.05 } });
    expect(entry(strict.entries, 'total', 'p50').regression).toBe(true);
  });

  it('errorRate up 2 percentage points is a regression', () => {
    const baseline = run(spread(10_000, 5, 15), { statusErrors: 100 });
    const current = run(spread(10_000, 5, 15), { statusErrors: 300 });
    const e = entry(compareResults(baseline, current, { baselineFile: 'b.json' }).entries, 'total', 'errorRate');
    expect(e).toMatchObject({ baseline: 0.01, current: 0.03, regression: true });
    expect(e.change).toBeCloseTo(0.02, 6);
  });

  it('errorRate up 2 pp on 50 requests is within noise', () => {
    const e = entry(compareResults(run(spread(50, 5, 15)), run(spread(50, 5, 15), { statusErrors: 1 }), { baselineFile: 'b.json' }).entries, 'total', 'errorRate');
    expect(e.change).toBeCloseTo(0.02, 6);
    expect(e.regression).toBe(false);
    expect(e.note).toMatch(/within noise/);
  });

  it('rps down 20% is a regression; 5% is not', () => {
    const baseline = run(spread(30_000, 5, 15));
    const slower = compareResults(baseline, run(spread(24_000, 5, 15)), { baselineFile: 'b.json' });
    expect(entry(slower.entries, 'total', 'rps')).toMatchObject({ baseline: 1000, current: 800, change: -0.2, regression: true });
    const slightly = compareResults(baseline, run(spread(28_500, 5, 15)), { baselineFile: 'b.json' });
    expect(entry(slightly.entries, 'total', 'rps').regression).toBe(false);
  });

  it('groups present in only one result are left out', () => {
    const comparison = compareResults(run(spread(100, 1, 2), { group: 'a' }), run(spread(100, 1, 2), { group: 'b' }), { baselineFile: 'b.json' });
    expect(new Set(comparison.entries.map((e) => e.scope))).toEqual(new Set(['total']));
  });
});

describe('percentileInterval', () => {
  it('brackets the percentile with order statistics read from the histogram', () => {
    const h = createHistogram();
    for (let i = 1; i <= 10_000; i++) recordMicros(h, i * 1000); // 1..10000 ms
    const p50 = percentileInterval(h, 50);
    // ranks 5000 ± 2.576·sqrt(10000·0.25) = 5000 ± 128.8 -> 4871 .. 5129
    expect(p50.valueMs).toBeCloseTo(5000, -1);
    expect(p50.lowMs).toBeCloseTo(4871, -1);
    expect(p50.highMs).toBeCloseTo(5129, -1);
  });

  it('is unbounded above when there are too few samples beyond the percentile', () => {
    const h = createHistogram();
    for (let i = 1; i <= 100; i++) recordMicros(h, i * 1000);
    expect(percentileInterval(h, 99).highMs).toBe(Infinity);
  });
});

describe('assertComparable', () => {
  it('refuses results of different profiles unless forced', () => {
    const spike = run(spread(10, 1, 2), { profileName: 'spike' });
    const soak = run(spread(10, 1, 2), { profileName: 'soak' });
    expect(() => assertComparable(spike, soak, false)).toThrow(PerfctlError);
    try {
      assertComparable(spike, soak, false);
    } catch (error) {
      expect((error as PerfctlError).exitCode).toBe(2);
      expect((error as PerfctlError).message).toBe('cannot compare runs of different profiles: baseline "spike", current "soak"');
      expect((error as PerfctlError).hint).toMatch(/--force/);
    }
    expect(() => assertComparable(spike, soak, true)).not.toThrow();
    expect(() => assertComparable(spike, spike, false)).not.toThrow();
  });
});
