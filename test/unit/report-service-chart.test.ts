import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/render-html.js';
import { serviceChart } from '../../src/report/html/service-chart.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

function monitored(): Result {
  const result = makeResult({ cells: [{ group: 'ping', phase: 'main', latenciesMs: spread(200, 5, 50) }], durationMs: 20_000 });
  result.timeline = Array.from({ length: 20 }, (_, i) => ({
    t: i + 1,
    requests: 10,
    errors: 0,
    rps: 10,
    p50: 10,
    p95: 40,
    p99: 50,
    level: 10,
    ...(i % 2 === 0 ? { cpuPercent: 20 + i, memoryMB: 100 + 2 * i } : {}),
  }));
  return result;
}

/** the y values of a path's points (M/L commands) */
const pathYs = (d: string): number[] => [...d.matchAll(/[ML]\s*[\d.]+[ ,]([\d.]+)/g)].map((m) => Number(m[1]));

describe('the service chart', () => {
  it('draws CPU and memory from the samples (one point per sample), nothing for a run without any', () => {
    const svg = serviceChart(monitored(), 'r1-chart-service')!.markup;
    const cpu = /class="series cpu"><path d="([^"]+)"/.exec(svg);
    const memory = /class="series memory"><path d="([^"]+)"/.exec(svg);
    expect(cpu, svg.slice(0, 400)).not.toBeNull();
    expect(memory).not.toBeNull();
    const memoryYs = pathYs(memory![1]!);
    expect(memoryYs).toHaveLength(10);
    // memory grows: each point higher on the chart (smaller y) than the one before
    expect(memoryYs).toEqual([...memoryYs].sort((a, b) => b - a));
    expect(svg).toContain('memory (MB)');
    expect(svg).toContain('CPU (% of one core)');

    const plain = makeResult({ cells: [{ group: 'ping', phase: 'main', latenciesMs: spread(50, 5, 50) }] });
    expect(serviceChart(plain, 'x')).toBeNull();
    expect(renderHtml([plain])).not.toContain('chart-service');
  });

  it('shades the drift windows and sits in the HTML report of a monitored run', () => {
    const result = monitored();
    result.analysis = {
      drift: {
        phase: null,
        warmupMs: 2000,
        early: { startMs: 2000, endMs: 6000, requests: 40 },
        late: { startMs: 14_000, endMs: 18_000, requests: 40 },
        source: 'timeline',
        p50: { early: 10, late: 10, change: 0, changeLow: null, changeHigh: null },
        p95: { early: 40, late: 40, change: 0, changeLow: null, changeHigh: null },
        p99: { early: 50, late: 50, change: 0, changeLow: null, changeHigh: null },
        errorRate: { early: 0, late: 0, change: 0, changeLow: null, changeHigh: null },
        rps: { early: 10, late: 10, change: 0, changeLow: null, changeHigh: null },
      },
    } as unknown as Result['analysis'];
    const html = renderHtml([result]);
    expect(html).toContain('chart-service');
    expect(html).toContain('drift: early window 0:02 – 0:06');
    expect(html).toContain('drift: late window 0:14 – 0:18');
  });
});
