// Per-phase comparison: a change confined to one phase is judged on that phase's own data
// and blocks; Holm over the entries; honest "not judged"; several runs a side.
import { describe, expect, it } from 'vitest';
import { ALPHA, compareResults, samplesForInterval } from '../../src/compare/compare.js';
import { holmLevels } from '../../src/compare/holm.js';
import { mannWhitneyP, normalUpperTail } from '../../src/compare/rank-test.js';
import type { ComparisonEntry, Result } from '../../src/result/types.js';
import { makeResult } from '../helpers/result-fixture.js';

/** mulberry32, so every run of the tests draws the same samples */
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

function lognormal(random: () => number, n: number, medianMs: number, sigma = 0.3): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return medianMs * Math.exp(sigma * z);
  });
}

const PHASES = [
  { name: 'baseline', startMs: 0, endMs: 10_000 },
  { name: 'spike', startMs: 10_000, endMs: 20_000 },
  { name: 'recovery', startMs: 20_000, endMs: 30_000 },
];

/** A spike-shaped run: 300 requests per quiet phase, 6000 in the spike; `spikeMs` is the spike's median. */
function spikeRun(seed: number, spikeMs: number, quietMs = 2): Result {
  const random = prng(seed);
  const cells = ['list', 'login'].flatMap((group, g) =>
    PHASES.map((p) => ({ group, phase: p.name, latenciesMs: lognormal(random, p.name === 'spike' ? 3000 : 150, p.name === 'spike' ? spikeMs + g : quietMs + g) })),
  );
  return makeResult({ profileName: 'spike', phases: PHASES, cells });
}

const find = (entries: ComparisonEntry[], scope: string, metric: string): ComparisonEntry => {
  const found = entries.find((e) => e.scope === scope && e.metric === metric);
  if (!found) throw new Error(`no entry ${scope} ${metric}`);
  return found;
};

describe('per-phase comparison', () => {
  it('has the totals, each group, each phase and each group within each phase', () => {
    const c = compareResults(spikeRun(1, 4), spikeRun(2, 4), { baselineFile: 'base.json' });
    expect([...new Set(c.entries.map((e) => e.scope))]).toEqual([
      'total', 'list', 'login',
      'baseline › total', 'baseline › list', 'baseline › login',
      'spike › total', 'spike › list', 'spike › login',
      'recovery › total', 'recovery › list', 'recovery › login',
    ]);
    const spikeLogin = find(c.entries, 'spike › login', 'p50');
    expect(spikeLogin.phase).toBe('spike');
    expect(spikeLogin.group).toBe('login');
  });

  it('a slowdown only in the spike (4 ms -> 15 ms) is a regression of the spike, whatever the whole run says', () => {
    const c = compareResults(spikeRun(1, 4), spikeRun(2, 15), { baselineFile: 'base.json' });
    const flagged = c.entries.filter((e) => e.regression).map((e) => `${e.scope} ${e.metric}`);
    expect(flagged).toEqual(expect.arrayContaining(['spike › total p50', 'spike › total p95', 'spike › list p50', 'spike › login p50']));
    expect(flagged.some((f) => f.startsWith('baseline ›') || f.startsWith('recovery ›'))).toBe(false);
    const p50 = find(c.entries, 'spike › total', 'p50');
    expect(p50.state).toBe('regression');
    expect(p50.level).toBeLessThanOrEqual(ALPHA);
    expect(p50.note).toMatch(/rank test over 20 and 20 time blocks p = .*Holm over \d+ entries/);
  });

  it('two runs of the same service: no regression in 20 seeded pairs (Holm keeps the family at 1%)', () => {
    let falseAlarms = 0;
    for (let seed = 0; seed < 20; seed++) {
      const c = compareResults(spikeRun(100 + seed, 4), spikeRun(200 + seed, 4), { baselineFile: 'b.json' });
      falseAlarms += c.regressions;
    }
    expect(falseAlarms).toBe(0);
  });

  it('says "not judged" and why when a phase has too few samples, never "ok"', () => {
    const c = compareResults(spikeRun(1, 4), spikeRun(2, 4), { baselineFile: 'base.json' });
    // 150 requests of login in the quiet phase: p99 needs 657 samples for its interval
    const quietP99 = find(c.entries, 'baseline › login', 'p99');
    expect(quietP99.state).toBe('not-judged');
    expect(quietP99.note).toBe(`not judged: too few samples for a 99% interval of p99 (150 and 150; it needs ${samplesForInterval(99)})`);
    // p95 has its interval (126) but 15 samples a block: too few for 40 a block
    expect(find(c.entries, 'baseline › login', 'p95').note).toMatch(/^not judged: too few samples per time block for p95/);
    expect(find(c.entries, 'spike › login', 'p95').state).toBe('ok');
    expect(c.method).toMatchObject({ alpha: 0.01, correction: 'holm', baselineRuns: 1, currentRuns: 1 });
    expect(c.method!.tested + c.method!.notJudged).toBe(c.entries.length);
  });

  it('a baseline without per-phase blocks (older perfctl) leaves its phase latencies not judged', () => {
    const { phaseTimeBlocks: _dropped, ...old } = spikeRun(1, 4);
    const c = compareResults(old, spikeRun(2, 15), { baselineFile: 'old.json' });
    expect(find(c.entries, 'spike › total', 'p50').note).toMatch(/^not judged: the baseline result has no time blocks for this scope/);
    expect(find(c.entries, 'spike › total', 'errorRate').state).not.toBe('not-judged');
  });

  it('lists a phase present on one side only instead of comparing it', () => {
    const current = spikeRun(2, 4);
    current.phases[2]!.name = 'cooldown';
    current.cells = current.cells.map((cell) => (cell.phase === 'recovery' ? { ...cell, phase: 'cooldown' } : cell));
    const c = compareResults(spikeRun(1, 4), current, { baselineFile: 'base.json' });
    expect(c.onlyInBaseline).toEqual(['phase recovery']);
    expect(c.onlyInCurrent).toEqual(['phase cooldown']);
    expect(c.entries.some((e) => e.phase === 'recovery' || e.phase === 'cooldown')).toBe(false);
  });
});

describe('several runs a side', () => {
  const runs = (from: number, n: number, spikeMs: number): Result[] => Array.from({ length: n }, (_, i) => spikeRun(from + i, spikeMs));

  it('5 runs against 5: a spike slowdown present in every run is a regression', () => {
    const c = compareResults(runs(10, 5, 4), runs(20, 5, 12), { baselineFile: '5 results in base/' });
    const p50 = find(c.entries, 'spike › total', 'p50');
    expect(p50.state).toBe('regression');
    expect(c.method).toMatchObject({ baselineRuns: 5, currentRuns: 5, runAlpha: 0.05 });
  });

  it('5 runs against 5 of the same service: no regression', () => {
    expect(compareResults(runs(30, 5, 4), runs(40, 5, 4), { baselineFile: 'b/' }).regressions).toBe(0);
  });

  it('a slowdown in one current run of five does not hold across runs', () => {
    const current = [...runs(50, 4, 4), spikeRun(60, 40)];
    const c = compareResults(runs(70, 5, 4), current, { baselineFile: 'b/' });
    const p95 = find(c.entries, 'spike › total', 'p95');
    expect(p95.regression).toBe(false);
    expect(p95.note).toMatch(/does not hold across the 5 and 5 runs \(rank test over runs p = [\d.]+ > 0.05\): within noise/);
  });

  it('2 runs against 2 cannot show a change across runs: not judged', () => {
    const c = compareResults(runs(80, 2, 4), runs(90, 2, 40), { baselineFile: 'b/' });
    expect(find(c.entries, 'spike › total', 'p50').note).toMatch(/2 and 2 runs cannot show a change across runs at 5% \(at least 3 runs a side\)/);
  });
});

describe('the statistics', () => {
  it.each([
    // [baseline, current, exact p]
    [[1, 2, 3], [4, 5, 6], 1 / 20],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 1 / 184756],
    [[4, 5, 6], [1, 2, 3], 1],
    [[1, 2], [1, 2], 0.8333333333],
  ])('Mann-Whitney exact p of %j < %j is %f', (base, cur, p) => {
    expect(mannWhitneyP(base, cur)).toBeCloseTo(p, 8);
  });

  it('large samples use the normal approximation', () => {
    const base = Array.from({ length: 40 }, (_, i) => i);
    expect(mannWhitneyP(base, base.map((v) => v + 0.5))).toBeGreaterThan(0.3);
    expect(mannWhitneyP(base, base.map((v) => v + 100))).toBeLessThan(1e-10);
  });

  it.each([
    [0, 0.5],
    [1.959964, 0.025],
    [3.090232, 0.001],
    [6, 9.866e-10],
  ])('P(Z > %f) = %f', (z, p) => {
    expect(normalUpperTail(z) / p).toBeCloseTo(1, 3);
  });

  it.each([
    // p-values, alpha, which are rejected (Holm: α/m, α/(m−1), … stopping at the first kept)
    [[0.001, 0.04, 0.03, 0.5], 0.05, [true, false, false, false]],
    [[0.01, 0.011, 0.02], 0.05, [true, true, true]],
    [[0.004, 0.02, null], 0.01, [true, false, false]],
    [[0.02, 0.001], 0.01, [false, true]],
    [[0.02, 0.006], 0.01, [false, false]],
  ])('Holm over %j at %f', (ps, alpha, rejected) => {
    expect(holmLevels(ps, alpha).map((l) => l !== null)).toEqual(rejected);
  });

  it('a cap holds every step to at most its level', () => {
    expect(holmLevels([0.0009, 0.002], 0.01, 0.001)).toEqual([0.001, null]);
    expect(holmLevels([0.0009, 0.002], 0.01)).toEqual([0.005, 0.01]);
  });

  it.each([
    [50, 11],
    [95, 127],
    [99, 657],
  ])('the order-statistic interval of p%i needs %i samples', (p, n) => {
    expect(samplesForInterval(p)).toBe(n);
  });
});
