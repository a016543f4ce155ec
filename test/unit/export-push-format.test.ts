import { describe, expect, it } from 'vitest';
import { addCount, createCell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import { LiveView, LATENCY_BUCKETS_SECONDS } from '../../src/export/live-view.js';
import { emptyCounts, packDatagrams, statsdLines, tagValue } from '../../src/export/statsd-lines.js';
import { metricsUrl, otlpMetrics } from '../../src/export/otlp-exporter.js';

function snapshotOf(view: LiveView, t: number, requests: number, latenciesMs: number[]) {
  const a = createCell('a|b', 0);
  for (const ms of latenciesMs) recordMicros(a.latency, ms * 1000);
  a.requests = requests;
  addCount(a.statusCodes, '200', latenciesMs.length);
  a.errors = requests - latenciesMs.length;
  if (a.errors > 0) addCount(a.errorKinds, 'timeout', a.errors);
  return view.snapshot(
    { elapsedMs: t * 1000, point: { t, requests, errors: 0, rps: requests, p50: 0, p95: 0, p99: 0, level: 10, planned: 10 }, stageIndex: 0, level: 10, requests, errors: a.errors, inFlight: 2, cells: () => [a] },
    [a],
  );
}

describe('StatsD lines', () => {
  it.each([
    ['plain', 'plain'],
    ['a|b,c#d', 'a_b_c_d'],
    ['line\nbreak', 'line_break'],
  ])('tag value %j -> %j', (raw, clean) => expect(tagValue(raw)).toBe(clean));

  it('counters are increments since the last send; gauges are current; tags are DogStatsD', () => {
    const view = new LiveView('open');
    const sent = emptyCounts();
    const first = statsdLines(snapshotOf(view, 1, 5, [10, 10, 10, 10]), sent, 'perfctl.', ['profile:p']);
    expect(first).toContain('perfctl.requests:4|c|#profile:p,group:a_b,status:200');
    expect(first).toContain('perfctl.requests:1|c|#profile:p,group:a_b,status:0');
    expect(first).toContain('perfctl.errors:1|c|#profile:p,group:a_b,kind:timeout');
    expect(first).toContain('perfctl.in_flight:2|g|#profile:p');
    expect(first).toContain('perfctl.planned_rate:10|g|#profile:p');
    expect(first.some((l) => /^perfctl\.latency\.p95_ms:10(\.\d+)?\|g\|#profile:p,group:a_b$/.test(l))).toBe(true);
    // a second later: 3 more answered, no new error
    const second = statsdLines(snapshotOf(view, 2, 8, [10, 10, 10, 10, 20, 20, 20]), sent, 'perfctl.', ['profile:p']);
    expect(second).toContain('perfctl.requests:3|c|#profile:p,group:a_b,status:200');
    expect(second.filter((l) => l.startsWith('perfctl.errors'))).toEqual([]);
    expect(second.filter((l) => l.includes('status:0'))).toEqual([]);
  });

  it.each([
    [['a', 'b', 'c'], 3, ['a\nb', 'c']],
    [['a', 'b', 'c'], 100, ['a\nb\nc']],
    [['longer-than-max'], 4, ['longer-than-max']],
    [[], 10, []],
  ])('packs %j into datagrams of at most %i bytes', (lines, max, datagrams) => expect(packDatagrams(lines, max)).toEqual(datagrams));
});

describe('OTLP metric data', () => {
  it('cumulative sums by group and status, a histogram with per-bucket counts that add up', () => {
    const view = new LiveView('open');
    const metrics = otlpMetrics(snapshotOf(view, 3, 5, [4, 8, 30, 250]), 1_000, 4_000);
    const byName = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m]));
    const requests = byName['perfctl.requests']!;
    expect(requests.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ group: 'a|b', status: '200' }, 4],
      [{ group: 'a|b', status: '0' }, 1],
    ]);
    const histogram = byName['perfctl.latency']!.dataPoints[0]!.value as { buckets: { boundaries: number[]; counts: number[] }; count: number };
    expect(histogram.buckets.boundaries).toEqual([...LATENCY_BUCKETS_SECONDS]);
    expect(histogram.buckets.counts.length).toBe(LATENCY_BUCKETS_SECONDS.length + 1);
    expect(histogram.buckets.counts.reduce((s, n) => s + n, 0)).toBe(4);
    expect(histogram.count).toBe(4);
    expect(byName['perfctl.in_flight']!.dataPoints[0]!.value).toBe(2);
    expect(requests.dataPoints[0]!.startTime).toEqual([1, 0]);
    expect(requests.dataPoints[0]!.endTime).toEqual([4, 0]);
  });

  it.each([
    ['http://127.0.0.1:4318', 'http://127.0.0.1:4318/v1/metrics'],
    ['http://collector:4318/', 'http://collector:4318/v1/metrics'],
    ['https://x/otlp/v1/metrics', 'https://x/otlp/v1/metrics'],
  ])('%s is pushed to %s', (url, target) => expect(metricsUrl(url)).toBe(target));
});
