// A realistic spike run for the HTML report's tests and previews: three stages (baseline,
// spike, recovery), two request types, errors during the spike, target checks (one failing),
// a varying per-second timeline, and a comparison with a faster baseline.
import { decodeHistogram, encodeHistogram } from '../../src/metrics/histogram.js';
import type { ComparisonEntry, Result, TimelinePoint } from '../../src/result/types.js';
import { makeResult, spread, type SyntheticCell } from './result-fixture.js';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** n latencies with a long right tail around `medianMs`. */
function latencies(n: number, medianMs: number, spread: number, rand: () => number): number[] {
  return Array.from({ length: n }, () => {
    const u = Math.max(1e-6, rand());
    const v = rand();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0.2, medianMs * Math.exp(spread * normal));
  });
}

export interface SpikeRunOptions {
  /** the spike's median latency, ms */
  spikeMedianMs?: number;
  seed?: number;
  withComparison?: boolean;
  profileName?: string;
}

const STAGES = [
  { name: 'baseline', startMs: 0, endMs: 40_000, rate: 100 },
  { name: 'spike', startMs: 40_000, endMs: 80_000, rate: 1000 },
  { name: 'recovery', startMs: 80_000, endMs: 120_000, rate: 100 },
];

export function spikeRun(opts: SpikeRunOptions = {}): Result {
  const rand = lcg(opts.seed ?? 42);
  const spikeMedian = opts.spikeMedianMs ?? 48;
  const cells: SyntheticCell[] = [];
  const medians: Record<string, number> = { baseline: 12, spike: spikeMedian, recovery: 16 };
  for (const st of STAGES) {
    const n = (st.rate * (st.endMs - st.startMs)) / 1000;
    const median = medians[st.name]!;
    const isSpike = st.name === 'spike';
    cells.push({
      group: 'list-challenges',
      phase: st.name,
      latenciesMs: latencies(Math.round(n * 0.7), median, isSpike ? 0.7 : 0.35, rand),
      statusErrors: isSpike ? 180 : 2,
      ...(isSpike ? { otherErrors: { timeout: 25 } } : {}),
    });
    cells.push({
      group: 'login',
      phase: st.name,
      latenciesMs: latencies(Math.round(n * 0.3), median * 2.2, isSpike ? 0.6 : 0.3, rand),
      statusErrors: isSpike ? 40 : 0,
    });
  }
  const phases = STAGES.map(({ name, startMs, endMs }) => ({ name, startMs, endMs }));
  const result = makeResult({ profileName: opts.profileName ?? 'spike', phases, cells, startedAt: '2026-03-02T09:30:00.000Z' });

  // a per-second timeline that follows the shape: warm-up lag at the jump, errors in the spike
  const timeline: TimelinePoint[] = [];
  for (let t = 1; t <= 120; t++) {
    const st = STAGES.find((s) => t * 1000 <= s.endMs) ?? STAGES[STAGES.length - 1]!;
    const sinceStart = t - st.startMs / 1000;
    const lag = st.name === 'spike' && sinceStart <= 4 ? 0.55 + sinceStart * 0.1 : 1;
    const noise = 1 + (rand() - 0.5) * 0.06;
    const rps = Math.round(st.rate * lag * noise);
    const spike = st.name === 'spike';
    const errors = spike ? Math.round(4 + rand() * 6 + (sinceStart < 6 ? 20 : 0)) : rand() < 0.03 ? 1 : 0;
    const base = medians[st.name]! * (spike && sinceStart < 8 ? 2.5 - sinceStart * 0.18 : 1) * (1 + (rand() - 0.5) * 0.15);
    timeline.push({
      t,
      requests: rps,
      errors,
      rps,
      p50: round3(base),
      p95: round3(base * (spike ? 3.1 : 1.9)),
      p99: round3(base * (spike ? 4.8 : 2.6)),
      level: st.rate,
    });
  }
  result.timeline = timeline;
  result.profile.stages = [
    { name: 'baseline', durationMs: 40_000, fromLevel: 100, toLevel: 100 },
    { name: 'spike', durationMs: 40_000, fromLevel: 1000, toLevel: 1000 },
    { name: 'recovery', durationMs: 40_000, fromLevel: 100, toLevel: 100 },
  ];
  result.profile.description = 'Sudden 10x jump in traffic, then recovery';
  result.profile.hash = 'sha256:9f2c4e1ab07d53c8e6f1d2a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4';
  result.profile.resolved = {
    name: result.profile.name,
    description: result.profile.description,
    baseUrl: 'http://127.0.0.1:8080',
    stages: result.profile.stages,
    requests: [
      { name: 'list-challenges', method: 'GET', path: '/api/challenges', weight: 70 },
      { name: 'login', method: 'POST', path: '/api/auth/login', headers: { authorization: '***' }, weight: 30 },
    ],
    timeoutMs: 10_000,
  };
  result.environment = { node: 'v20.18.1', os: 'linux 6.1.0 x64', cpus: 8, host: 'ci-runner-07', git: '3f9a2c1d7e' };

  const t = result.totals;
  const login = result.groups['login']!;
  const spikePhase = result.phases.find((p) => p.name === 'spike')!;
  result.targets = [
    { row: 'Whole API', metric: 'p95', limit: 200, actual: t.latencyMs.p95, unit: 'ms', pass: t.latencyMs.p95 < 200, samples: t.requests },
    { row: 'Whole API', metric: 'p99', limit: 300, actual: t.latencyMs.p99, unit: 'ms', pass: t.latencyMs.p99 < 300, samples: t.requests },
    { row: 'Whole API', metric: 'errorRate', limit: 0.01, actual: t.errorRate, unit: 'ratio', pass: t.errorRate < 0.01 },
    { row: 'Whole API', metric: 'rps', limit: 300, actual: t.rps, unit: 'rps', pass: t.rps >= 300 },
    { row: 'User Authentication', metric: 'p95', limit: 250, actual: login.latencyMs.p95, unit: 'ms', pass: login.latencyMs.p95 < 250 },
    { row: 'User Authentication', metric: 'p99.99', limit: 900, actual: null, unit: 'ms', pass: false, samples: login.requests, insufficient: true, message: `p99.99 needs at least 10,000 samples; ${login.requests} in scope` },
    { row: 'During the spike', metric: 'errorRate', limit: 0.05, actual: spikePhase.errorRate, unit: 'ratio', pass: spikePhase.errorRate < 0.05, phase: 'spike' },
  ];
  const failed = result.targets.filter((c) => !c.pass && c.insufficient !== true);
  result.verdict = failed.length > 0 ? 'fail' : 'pass';
  if (failed.length > 0) {
    result.reason = `${failed.length} of ${result.targets.length} target checks failed: ${failed.map((c) => `${c.row} ${c.metric}`).join(', ')}.`;
  }

  if (opts.withComparison !== false) {
    const baseline = spikeRunBaseline();
    const entries: ComparisonEntry[] = (['p50', 'p95', 'p99'] as const).flatMap((metric) =>
      (['total', 'list-challenges', 'login'] as const).map((scope) => {
        const b = scope === 'total' ? baseline.totals : baseline.groups[scope]!;
        const c = scope === 'total' ? t : result.groups[scope]!;
        const change = (c.latencyMs[metric] - b.latencyMs[metric]) / b.latencyMs[metric];
        return { scope, metric, baseline: b.latencyMs[metric], current: c.latencyMs[metric], change, regression: change > 0.1 && c.latencyMs[metric] - b.latencyMs[metric] >= 1 };
      }),
    );
    entries.push({ scope: 'total', metric: 'rps', baseline: baseline.totals.rps, current: t.rps, change: (t.rps - baseline.totals.rps) / baseline.totals.rps, regression: false });
    entries.push({ scope: 'total', metric: 'errorRate', baseline: baseline.totals.errorRate, current: t.errorRate, change: t.errorRate - baseline.totals.errorRate, regression: t.errorRate - baseline.totals.errorRate > 0.01 });
    result.comparison = Object.assign(
      {
        baselineFile: 'perf-results/spike-20260224-093000/result.json',
        baselineStartedAt: baseline.startedAt,
        tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
        entries,
        regressions: entries.filter((e) => e.regression).length,
      },
      { baselineHistogram: baseline.histograms.total },
    );
  }
  return result;
}

/** The same profile a week earlier, faster in the spike. */
export function spikeRunBaseline(): Result {
  const r = spikeRun({ spikeMedianMs: 30, seed: 7, withComparison: false });
  r.startedAt = '2026-02-24T09:30:00.000Z';
  r.endedAt = '2026-02-24T09:32:00.000Z';
  // round-trip the histogram to be sure it is a real encoded one
  r.histograms.total = encodeHistogram(decodeHistogram(r.histograms.total));
  return r;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export const HOSTILE_REQUEST = '<img src=x onerror=alert(1)>';
export const HOSTILE_DESCRIPTION = 'Checkout <script>alert("xss")</script> & more';

/** A small three-stage run whose request, stage, target and scope names are all hostile. */
export function hostileResult(): Result {
  const result = makeResult({
    phases: [
      { name: 'warm-up', startMs: 0, endMs: 3000 },
      { name: HOSTILE_REQUEST, startMs: 3000, endMs: 7000 },
      { name: 'cool-down', startMs: 7000, endMs: 10000 },
    ],
    cells: [
      { group: HOSTILE_REQUEST, phase: 'warm-up', latenciesMs: spread(300, 2, 20) },
      { group: HOSTILE_REQUEST, phase: HOSTILE_REQUEST, latenciesMs: spread(400, 5, 80), statusErrors: 4 },
      { group: 'ok-request', phase: 'cool-down', latenciesMs: spread(300, 2, 20) },
    ],
  });
  result.profile.name = `shop ${HOSTILE_REQUEST}`;
  result.profile.description = HOSTILE_DESCRIPTION;
  result.profile.resolved = { description: HOSTILE_DESCRIPTION, requests: [{ name: HOSTILE_REQUEST, path: '/"><svg onload=alert(1)>' }] };
  result.reason = `target ${HOSTILE_REQUEST} failed`;
  result.verdict = 'fail';
  result.targets = [{ row: HOSTILE_REQUEST, metric: 'p95', limit: 50, actual: 70, unit: 'ms', pass: false, message: HOSTILE_DESCRIPTION }];
  result.comparison = {
    baselineFile: `${HOSTILE_REQUEST}.json`,
    baselineStartedAt: '2025-12-31T00:00:00.000Z',
    tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
    entries: [{ scope: HOSTILE_REQUEST, metric: 'p95', baseline: 40, current: 70, change: 0.75, regression: true, note: HOSTILE_DESCRIPTION }],
    regressions: 1,
  };
  result.environment.host = HOSTILE_REQUEST;
  return result;
}

