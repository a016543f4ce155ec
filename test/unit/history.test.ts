// perfctl history: change points on synthetic series (a +20% step after run 12 of 20 is found
// at 12 ± 1; flat noisy series give none), the worse-after-a-change verdict, the renderings.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '../../src/compare/tolerance.js';
import { bestSplit, describeEDivisive, eDivisive } from '../../src/history/e-divisive.js';
import { renderHistoryText, sparkline } from '../../src/report/history-text.js';
import { buildHistory, judgeStep } from '../../src/history/trend.js';
import { renderHistoryHtml } from '../../src/report/html/history-page.js';
import { makeResult } from '../helpers/result-fixture.js';

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

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n values around `level` with `noise` relative sd; from index `stepAt` on, `level × (1 + step)`. */
function series(seed: number, n: number, level: number, noise: number, stepAt = n, step = 0): number[] {
  const random = prng(seed);
  return Array.from({ length: n }, (_, i) => level * (i >= stepAt ? 1 + step : 1) * (1 + noise * normal(random)));
}

describe('E-Divisive means', () => {
  it.each(Array.from({ length: 10 }, (_, s) => s))('a +20%% step after run 12 of 20 (5%% noise, seed %i) is found at 12 ± 1', (seed) => {
    const points = eDivisive(series(seed, 20, 100, 0.05, 12, 0.2));
    expect(points.length).toBe(1);
    // index = the first run after the change (0-based) = the number of runs before it
    expect(Math.abs(points[0]!.index - 12)).toBeLessThanOrEqual(1);
    expect(points[0]!.pValue).toBeLessThanOrEqual(0.01);
  });

  it.each(Array.from({ length: 20 }, (_, s) => 100 + s))('a flat noisy series (5%% noise, seed %i) has no change point', (seed) => {
    expect(eDivisive(series(seed, 20, 100, 0.05))).toEqual([]);
  });

  it('finds two steps in 60 runs', () => {
    const values = [...series(1, 20, 100, 0.03), ...series(2, 20, 130, 0.03), ...series(3, 20, 90, 0.03)];
    expect(eDivisive(values).map((p) => p.index)).toEqual([20, 40]);
  });

  it('the split of a clean step is at the step; too short a series has none', () => {
    expect(bestSplit([1, 1, 1, 1, 5, 5, 5, 5], 3)?.index).toBe(4);
    expect(bestSplit([1, 2, 3, 4, 5], 3)).toBeNull();
    expect(eDivisive([4, 4, 4, 4, 4, 4, 4, 4])).toEqual([]);
  });

  it('is deterministic and names its parameters', () => {
    const values = series(9, 30, 50, 0.1, 15, 0.3);
    expect(eDivisive(values)).toEqual(eDivisive(values));
    expect(describeEDivisive()).toBe('E-Divisive means (Matteson & James 2014; α = 1, 199 permutations, p ≤ 0.01, at least 3 runs a segment)');
  });
});

describe('judging a step', () => {
  it.each([
    ['p95', 20, 24, 'worse', true],
    ['p95', 20, 21, 'worse', false],
    ['p50', 2, 2.9, 'worse', false], // +45% but under 1 ms
    ['p95', 24, 20, 'better', false],
    ['rps', 100, 85, 'worse', true],
    ['rps', 100, 95, 'worse', false],
    ['errorRate', 0.001, 0.02, 'worse', true],
    ['errorRate', 0.001, 0.005, 'worse', false],
  ] as const)('%s %f -> %f is %s, beyond tolerance: %s', (metric, before, after, direction, beyond) => {
    expect(judgeStep(metric, before, after, DEFAULT_TOLERANCE)).toMatchObject({ direction, beyondTolerance: beyond });
  });
});

/** 20 results one hour apart whose p95 follows `p95s` (each run: 400 latencies spread around it). */
function results(p95s: number[]) {
  return p95s.map((p95, i) => {
    const latencies = Array.from({ length: 400 }, (_, k) => (p95 / 1.5) * (0.5 + (k / 400) * 1.1));
    const result = makeResult({ profileName: 'normal', startedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), cells: [{ group: 'api', phase: 'main', latenciesMs: latencies }] });
    result.environment.git = `c0ffee${String(i).padStart(2, '0')}`;
    return { file: `runs/${String(i + 1).padStart(2, '0')}/result.json`, result };
  });
}

describe('buildHistory', () => {
  const stepped = results(series(5, 20, 20, 0.03, 12, 0.2));
  const flat = results(series(6, 20, 20, 0.03));

  it('20 runs with a +20% p95 step after run 12: the change names run 12, and the newest run is after a change for the worse', () => {
    // given in reverse: the history sorts by startedAt
    const history = buildHistory([...stepped].reverse(), { tolerance: DEFAULT_TOLERANCE, metrics: ['p95'], groups: ['total'] });
    expect(history.runs.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(history.runs[0]!.file).toBe('runs/01/result.json');
    const [p95] = history.series;
    expect(p95!.changes).toHaveLength(1);
    expect(Math.abs(p95!.changes[0]!.firstRun - 1 - 12)).toBeLessThanOrEqual(1);
    expect(p95!.changes[0]).toMatchObject({ direction: 'worse', beyondTolerance: true });
    expect(history.worse).toHaveLength(1);
    const text = renderHistoryText(history);
    expect(text).toContain('Change points: E-Divisive means');
    expect(text).toMatch(/total\s+p95\s+[▁▂▃▄▅▆▇█]{20}\s+.*after run 1[123] \(c0ffee1\): .* → .* \+\d+\.\d% worse  ✗/);
    expect(text).toMatch(/✖ the newest run is after a change for the worse: total p95 \+\d+\.\d% after run 1[123]/);
  });

  it('20 flat runs: no change point in any series, and not worse', () => {
    const history = buildHistory(flat, { tolerance: DEFAULT_TOLERANCE });
    expect(history.series.map((s) => `${s.scope} ${s.metric}`)).toEqual(['total p50', 'total p95', 'total p99', 'total rps', 'total errorRate', 'api p50', 'api p95', 'api p99', 'api rps', 'api errorRate']);
    expect(history.series.flatMap((s) => s.changes)).toEqual([]);
    expect(history.worse).toEqual([]);
    expect(renderHistoryText(history)).toContain('✔ the newest run is not after a change for the worse');
  });

  it('after a step for the better the newest run is not after a change for the worse; after two steps up it is', () => {
    const better = buildHistory(results([...series(7, 15, 26, 0.02), ...series(8, 15, 20, 0.02)]), { tolerance: DEFAULT_TOLERANCE, metrics: ['p95'], groups: ['total'] });
    expect(better.series[0]!.changes.map((c) => c.direction)).toEqual(['better']);
    expect(better.worse).toEqual([]);
    const twice = buildHistory(results([...series(7, 12, 20, 0.02), ...series(8, 12, 24, 0.02), ...series(9, 12, 29, 0.02)]), { tolerance: DEFAULT_TOLERANCE, metrics: ['p95'], groups: ['total'] });
    expect(twice.series[0]!.changes.map((c) => [c.firstRun, c.direction])).toEqual([[13, 'worse'], [25, 'worse']]);
    expect(twice.worse).toHaveLength(1);
  });

  it('the HTML page: self-contained, one chart per group and metric, change points marked, each point linking its run', () => {
    const history = buildHistory(stepped, { tolerance: DEFAULT_TOLERANCE });
    const html = renderHistoryHtml(history, { reportOf: (file) => `../${file.replace('result.json', 'report.html')}` });
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html.match(/<svg /g)).toHaveLength(history.series.length);
    expect(html).toContain('class="change-point worse"');
    expect(html.match(/<a href="\.\.\/runs\/01\/report\.html" class="run-point">/g)!.length).toBe(history.series.length);
    expect(html).toContain('E-Divisive means (Matteson &amp; James 2014');
  });

  it('escapes names in the page', () => {
    const evil = results(series(10, 8, 20, 0.02)).map(({ file, result }) => {
      result.groups['<script>x</script>'] = result.groups['api']!;
      return { file, result };
    });
    const html = renderHistoryHtml(buildHistory(evil, { tolerance: DEFAULT_TOLERANCE }), { reportOf: () => 'r.html' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8], '▁▂▃▄▅▆▇█'],
    [[5, 5, 5], '▄▄▄'],
    [[1, null, 8], '▁ █'],
  ])('sparkline of %j is %s', (values, line) => {
    expect(sparkline(values)).toBe(line);
  });

  it('a sparkline of 200 runs is 40 columns', () => {
    expect([...sparkline(series(11, 200, 10, 0.1))]).toHaveLength(40);
  });
});
