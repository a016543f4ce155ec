// The analysis block in result.json (valid against the schema) and in every report: terminal,
// summary.md and the HTML report (marks on the charts, the breaking step highlighted).
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/render-html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSummary } from '../../src/report/terminal.js';
import { validateResult } from '../../src/result/validate-result.js';
import { makeResult, spread } from '../helpers/result-fixture.js';
import type { Analysis } from '../../src/result/analysis-types.js';
import type { Result } from '../../src/result/types.js';

const analysis: Analysis = {
  recovery: {
    spikePhase: 'spike',
    referencePhase: 'baseline',
    spikeEndMs: 20_000,
    referenceP95Ms: 12.5,
    referenceErrorRate: 0,
    windowMs: 5000,
    tolerance: { p95Factor: 1.5, p95SlackMs: 5, errorRatePoints: 0.01, p95LimitMs: 18.75, errorRateLimit: 0.01 },
    recoveryMs: 5000,
    recoveredAtMs: 25_000,
    recovered: true,
  },
  drift: {
    phase: 'recovery',
    warmupMs: 1000,
    early: { startMs: 21_000, endMs: 23_000, requests: 200 },
    late: { startMs: 28_000, endMs: 30_000, requests: 200 },
    source: 'timeline',
    p50: { early: 10, late: 10.5, change: 0.05 },
    p95: { early: 12, late: 13, change: 0.083333, changeLow: -0.02, changeHigh: 0.2 },
    p99: { early: 15, late: 15, change: 0 },
    errorRate: { early: 0, late: 0.001, change: 0.001 },
    rps: { early: 100, late: 100, change: 0 },
  },
  resources: {
    source: 'pid 4242',
    samples: 15,
    intervalMs: 2000,
    startMemoryMB: 100,
    endMemoryMB: 112,
    peakMemoryMB: 115.2,
    memoryGrowth: 0.12,
    meanCpuPercent: 35.5,
    peakCpuPercent: 80,
  },
  breakingPoint: {
    steps: [
      { phase: 'baseline', level: 100, rps: 100, requests: 2000, pass: true, complete: true, failed: [], insufficient: 0 },
      { phase: 'spike', level: 200, rps: 180, requests: 1800, pass: false, complete: true, failed: [{ row: 'API', metric: 'p95', limit: 100, actual: 250, unit: 'ms', message: 'p95 250.0 ms > 100 ms' }], insufficient: 0 },
    ],
    lastGood: { phase: 'baseline', level: 100, rps: 100 },
    firstBroken: { phase: 'spike', level: 200, rps: 180, failed: [{ row: 'API', metric: 'p95', limit: 100, actual: 250, unit: 'ms', message: 'p95 250.0 ms > 100 ms' }] },
    stoppedEarly: false,
  },
};

function analysed(extra: Partial<Result> = {}): Result {
  const result = makeResult({
    profileName: 'spike',
    phases: [
      { name: 'baseline', startMs: 0, endMs: 10_000 },
      { name: 'spike', startMs: 10_000, endMs: 20_000 },
      { name: 'recovery', startMs: 20_000, endMs: 30_000 },
    ],
    cells: [
      { group: 'api', phase: 'baseline', latenciesMs: spread(500, 5, 15) },
      { group: 'api', phase: 'spike', latenciesMs: spread(500, 50, 300) },
      { group: 'api', phase: 'recovery', latenciesMs: spread(500, 5, 15) },
    ],
  });
  result.timeline = result.timeline.map((p) => (p.t % 2 === 0 ? { ...p, memoryMB: 100 + p.t / 2, cpuPercent: 35 } : p));
  return { ...result, analysis, ...extra };
}

describe('result.json', () => {
  it('a result with every analysis, resource samples and analysis checks validates against the schema', () => {
    const result = analysed({
      targets: [
        { row: 'Recovery', metric: 'recovery', limit: 300_000, actual: 5000, unit: 'ms', pass: true, phase: 'spike', message: 'recovery 5 s ≤ 5m' },
        { row: 'Soak', metric: 'drift', limit: 0.02, actual: 0.083, unit: 'ratio', pass: true, samples: 200, insufficient: false, phase: 'recovery', message: 'drift +8.3% …' },
        { row: 'Memory', metric: 'memoryGrowth', limit: 0.1, actual: 0.12, unit: 'ratio', pass: false, samples: 15, insufficient: false, phase: null, message: 'memoryGrowth +12% (100 → 112 MB) ≥ 10%' },
      ],
    });
    expect(validateResult(JSON.parse(JSON.stringify(result)))).toEqual([]);
  });

  it('the schema is strict inside each block', () => {
    const broken = JSON.parse(JSON.stringify(analysed())) as Result & { analysis: { recovery: Record<string, unknown> } };
    broken.analysis.recovery['recoverMs'] = 1;
    expect(validateResult(broken)).toEqual(['/analysis/recovery: unknown property "recoverMs"']);
  });
});

describe('reports', () => {
  const result = analysed();

  it('terminal: an Analysis section, one line per analysis, and the steps with the breaking point marked', () => {
    const text = renderSummary(result, { color: false, width: 200 });
    const section = text.slice(text.indexOf('Analysis'));
    expect(section).toContain('Spike recovery: recovered 5 s after spike ended, at 00:25');
    expect(section).toContain('Soak drift: recovery, early 00:21–00:23 vs late 00:28–00:30: p50 10.0 → 10.5 ms (+5.0%)');
    expect(section).toContain('p95 12.0 → 13.0 ms (+8.3% [-2.0%..+20%]), p99 15.0 → 15.0 ms (+0.0%); errors +0.10 pp, throughput +0.0% (from the per-second points)');
    expect(section).toContain('Service resources: pid 4242, 15 samples every 2 s: memory 100 → 112 MB (+12%), peak 115.2 MB; CPU mean 35.5%, peak 80%');
    expect(section).toContain('Breaking point: last good baseline (100 req/s, 100.0 req/s achieved); first broken spike (200 req/s, 180.0 req/s achieved): API p95 250.0 ms > 100 ms');
    // each step with its level, achieved rate, p95 and error rate, and the checks that broke
    expect(section).toMatch(/spike\s+│\s+200 req\/s │\s+180.0 │\s+[\d.]+ │\s+[\d.]+% │ broken ← breaking point │ API p95 250.0 ms > 100 ms/);
  });

  it('summary.md: an Analysis section with the steps table', () => {
    const md = renderMarkdown([result]);
    expect(md).toContain('### Analysis');
    expect(md).toContain('- ✅ **Spike recovery:** recovered 5 s after spike ended');
    expect(md).toMatch(/\| \*\*spike\*\* \| 200 req\/s \| 180\.0 \| [\d.]+ \| [\d.]+% \| ❌ breaking point \| API p95 250\.0 ms &gt; 100 ms \|/);
  });

  it('HTML: the findings, the steps with the breaking one highlighted, and marks on every time chart', () => {
    const html = renderHtml([result]);
    expect(html).toContain('<h2 id="run-1-analysis">Analysis</h2>');
    expect(html).toMatch(/<li class="finding good"><span class="finding-title">Spike recovery:<\/span> recovered 5 s after spike ended/);
    expect(html).toMatch(/<tr class="step broken first-broken">[\s\S]*?<span class="badge fail">breaking point<\/span>/);
    expect(html).toMatch(/<tr class="step held last-good">/);
    const charts = html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
    const timeCharts = charts.filter((svg) => svg.includes('elapsed time'));
    // throughput, latency, and the service's CPU and memory (the fixture has resource samples)
    expect(timeCharts).toHaveLength(3);
    for (const svg of timeCharts) {
      expect(svg).toContain('class="mark spike-end"');
      expect(svg).toContain('>spike ended</text>');
      expect(svg).toContain('class="mark recovered"');
      expect(svg).toContain('>recovered (+5 s)</text>');
      expect(svg).toContain('class="mark breaking-step"');
    }
  });

  it('a result without analysis shows none of it', () => {
    const plain = { ...result, analysis: undefined };
    expect(renderSummary(plain, { color: false })).not.toContain('Analysis');
    expect(renderMarkdown([plain])).not.toContain('### Analysis');
    expect(renderHtml([plain])).not.toContain('class="mark ');
  });
});
