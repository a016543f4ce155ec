import { describe, expect, it } from 'vitest';
import {
  createDemoModel,
  DEFAULT_CAPACITY,
  DEFAULT_ROUTE_BEHAVIOUR,
  DEMO_ROUTES,
  mulberry32,
  type DemoDecision,
  type DemoRoute,
} from '../../src/demo/demo-model.js';

function delays(decisions: DemoDecision[]): number[] {
  return decisions.map((d) => (d.kind === 'serve' ? d.delayMs : Number.NaN));
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function sample(route: DemoRoute, n: number, seed = 1, inFlight = 1): DemoDecision[] {
  const model = createDemoModel({ seed });
  return Array.from({ length: n }, () => model.decide(route, inFlight));
}

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it('gives different sequences for different seeds, spread evenly', () => {
    const a = mulberry32(1);
    const b = mulberry32(2);
    expect(a()).not.toEqual(b());
    const next = mulberry32(3);
    const mean = Array.from({ length: 20_000 }, () => next()).reduce((s, x) => s + x, 0) / 20_000;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });
});

describe('demo model: latency', () => {
  it.each(DEMO_ROUTES.map((route) => [route, DEFAULT_ROUTE_BEHAVIOUR[route].medianMs] as const))(
    '%s: median of 20000 unloaded draws is within 5%% of %d ms',
    (route, medianMs) => {
      const median = quantile(delays(sample(route, 20_000)), 0.5);
      expect(median).toBeGreaterThan(medianMs * 0.95);
      expect(median).toBeLessThan(medianMs * 1.05);
    },
  );

  it('spreads around the median: p99 about 2-3 medians, never above 12 medians', () => {
    const ds = delays(sample('listChallenges', 20_000));
    const median = DEFAULT_ROUTE_BEHAVIOUR.listChallenges.medianMs;
    expect(quantile(ds, 0.99)).toBeGreaterThan(1.8 * median);
    expect(quantile(ds, 0.99)).toBeLessThan(3 * median);
    expect(Math.max(...ds)).toBeLessThanOrEqual(12 * median);
    expect(Math.min(...ds)).toBeGreaterThan(0);
  });

  it('adds overloadMsPerRequest for each request in flight beyond capacity', () => {
    const { capacity, overloadMsPerRequest } = DEFAULT_CAPACITY;
    const unloaded = createDemoModel({ seed: 9 }).decide('getChallenge', capacity);
    const loaded = createDemoModel({ seed: 9 }).decide('getChallenge', capacity + 50);
    expect(unloaded.kind).toBe('serve');
    expect(loaded.kind).toBe('serve');
    if (unloaded.kind === 'serve' && loaded.kind === 'serve') {
      expect(loaded.delayMs - unloaded.delayMs).toBeCloseTo(50 * overloadMsPerRequest, 6);
    }
  });

  it('caps the added latency at maxOverloadMs', () => {
    const model = createDemoModel({ seed: 1, capacity: { maxOverloadMs: 100, shedAbove: 1e9 } });
    const decision = model.decide('health', 1_000_000);
    expect(decision.kind === 'serve' && decision.delayMs).toBeLessThan(100 + 12);
  });

  it('sheds (503) arrivals beyond shedAbove requests in flight', () => {
    const model = createDemoModel({ capacity: { shedAbove: 10 } });
    expect(model.decide('health', 10).kind).toBe('serve');
    expect(model.decide('health', 11).kind).toBe('shed');
  });

  it('latencyScale 0 answers at once; 2 doubles every delay', () => {
    const base = delays(sample('login', 100, 5));
    const fast = createDemoModel({ seed: 5, latencyScale: 0 });
    const slow = createDemoModel({ seed: 5, latencyScale: 2 });
    for (const delay of base) {
      const f = fast.decide('login', 1);
      const s = slow.decide('login', 1);
      expect(f.kind === 'serve' && f.delayMs).toBe(0);
      expect(s.kind === 'serve' && s.delayMs).toBeCloseTo(2 * delay, 9);
    }
  });

  it('rejects a negative latencyScale', () => {
    expect(() => createDemoModel({ latencyScale: -1 })).toThrow(/latencyScale/);
  });

  it('with the built-in mix it saturates near 1000 req/s (mean-field estimate)', () => {
    // W = (b - k·C) / (1 - λ·k) once λ·W > C; b ≈ 21 ms for 45/15/20/20 list/item/login/submission
    const b = 0.45 * 15 + 0.15 * 8 + 0.2 * 25 + 0.2 * 40;
    const { capacity: c, overloadMsPerRequest: k } = DEFAULT_CAPACITY;
    const meanMsAt = (ratePerSec: number): number => {
      const lambdaPerMs = ratePerSec / 1000;
      const w = (b - k * c) / (1 - lambdaPerMs * k);
      return lambdaPerMs * b > c ? w : b;
    };
    expect(meanMsAt(30)).toBeCloseTo(b, 6); // spike baseline: nothing queues
    expect(meanMsAt(600)).toBeGreaterThan(1.5 * b); // spike: latency visibly up
    expect(meanMsAt(600)).toBeLessThan(3 * b);
  });
});

describe('demo model: errors', () => {
  it.each([
    ['createSubmission', 0.005],
    ['login', 0.001],
    ['listChallenges', 0.0005],
  ] as const)('%s fails at about its error rate (%d)', (route, rate) => {
    const n = 200_000;
    const failures = sample(route, n, 3).filter((d) => d.kind === 'serve' && d.fail).length;
    expect(failures / n).toBeGreaterThan(rate * 0.8);
    expect(failures / n).toBeLessThan(rate * 1.2);
  });

  it('never fails /health', () => {
    expect(sample('health', 50_000).some((d) => d.kind === 'serve' && d.fail)).toBe(false);
  });

  it('takes per-route overrides', () => {
    const model = createDemoModel({ routes: { login: { errorRate: 1, medianMs: 100 } } });
    expect(model.routes.login).toEqual({ medianMs: 100, spread: 0.35, errorRate: 1 });
    const decision = model.decide('login', 1);
    expect(decision.kind === 'serve' && decision.fail).toBe(true);
  });
});

describe('demo model: determinism', () => {
  it('the same seed and arrivals give the same decisions; another seed does not', () => {
    const arrivals: Array<[DemoRoute, number]> = Array.from({ length: 500 }, (_, i) => [
      DEMO_ROUTES[i % DEMO_ROUTES.length] ?? 'health',
      1 + (i % 40),
    ]);
    const run = (seed: number): DemoDecision[] => {
      const model = createDemoModel({ seed, routes: { createSubmission: { errorRate: 0.2 } } });
      return arrivals.map(([route, inFlight]) => model.decide(route, inFlight));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });

  it('defaults to seed 1', () => {
    expect(createDemoModel().seed).toBe(1);
    expect(createDemoModel().decide('login', 1)).toEqual(createDemoModel({ seed: 1 }).decide('login', 1));
  });
});
