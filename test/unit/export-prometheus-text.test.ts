import { describe, expect, it } from 'vitest';
import { addCount, createCell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import { LiveView } from '../../src/export/live-view.js';
import { escapeLabel, formatValue, renderPrometheus } from '../../src/export/prometheus-text.js';

/** name{labels} -> value, from the text format (what a scraper reads). */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    map.set(line.slice(0, at), Number(line.slice(at + 1).replace('+Inf', 'Infinity')));
  }
  return map;
}

function snapshot(service?: { cpuPercent?: number; memoryMB?: number }) {
  const a = createCell('GET "/x"\\y', 0);
  for (const ms of [4, 8, 30, 250]) recordMicros(a.latency, ms * 1000);
  a.requests = 5; // one without a response
  addCount(a.statusCodes, '200', 3);
  addCount(a.statusCodes, '500', 1);
  a.errors = 2;
  addCount(a.errorKinds, 'status', 1);
  addCount(a.errorKinds, 'ECONNREFUSED', 1);
  const view = new LiveView('open', () => service);
  return view.snapshot(
    {
      elapsedMs: 7000,
      point: { t: 7, requests: 5, errors: 2, rps: 4, p50: 8, p95: 250, p99: 250, level: 50, planned: 50 },
      stageIndex: 0,
      level: 50,
      requests: 5,
      errors: 2,
      inFlight: 6,
      cells: () => [a],
    },
    [a],
  );
}

describe('Prometheus text format', () => {
  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['line\nbreak', 'line\\nbreak'],
  ])('label value %j is written %j', (raw, escaped) => expect(escapeLabel(raw)).toBe(escaped));

  it.each([
    [1, '1'],
    [0.25, '0.25'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('value %s is written %s', (value, text) => expect(formatValue(value)).toBe(text));

  it('every family has HELP and TYPE once, and the counts add up', () => {
    const text = renderPrometheus(snapshot({ cpuPercent: 42, memoryMB: 10 }), { profile: 'soak', label: 'rc-1' });
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(text.split('\n').filter((l) => l.startsWith('# HELP ')).length).toBe(types.length);
    const m = samples(text);
    const g = 'group="GET \\"/x\\"\\\\y"';
    expect(m.get(`perfctl_requests_total{${g},status="200"}`)).toBe(3);
    expect(m.get(`perfctl_requests_total{${g},status="500"}`)).toBe(1);
    expect(m.get(`perfctl_requests_total{${g},status="0"}`)).toBe(1);
    expect(m.get(`perfctl_errors_total{${g},kind="ECONNREFUSED"}`)).toBe(1);
    expect(m.get('perfctl_in_flight')).toBe(6);
    expect(m.get('perfctl_planned_rate')).toBe(50);
    expect(m.get('perfctl_achieved_rate')).toBe(4);
    expect(m.get('perfctl_running')).toBe(1);
    expect(m.get('perfctl_run_info{profile="soak",label="rc-1",shard=""}')).toBe(1);
    expect(m.get(`perfctl_latency_seconds_bucket{${g},le="0.005"}`)).toBe(1);
    expect(m.get(`perfctl_latency_seconds_bucket{${g},le="0.01"}`)).toBe(2);
    expect(m.get(`perfctl_latency_seconds_bucket{${g},le="0.2"}`)).toBe(3);
    expect(m.get(`perfctl_latency_seconds_bucket{${g},le="0.25"}`)).toBe(4);
    expect(m.get(`perfctl_latency_seconds_bucket{${g},le="+Inf"}`)).toBe(4);
    expect(m.get(`perfctl_latency_seconds_count{${g}}`)).toBe(4);
    expect(m.get(`perfctl_latency_seconds_sum{${g}}`)).toBeCloseTo(0.292, 3);
    expect(m.get('perfctl_service_cpu_percent')).toBe(42);
    expect(m.get('perfctl_service_memory_bytes')).toBe(10 * 1024 * 1024);
    // buckets never decrease
    const buckets = [...m.entries()].filter(([k]) => k.startsWith('perfctl_latency_seconds_bucket')).map(([, v]) => v);
    expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
  });

  it('before the first second: only run_info and running 0; no service metrics without a monitor', () => {
    const empty = samples(renderPrometheus(undefined, { profile: 'p' }));
    expect([...empty.keys()]).toEqual(['perfctl_run_info{profile="p",label="",shard=""}', 'perfctl_running']);
    expect(renderPrometheus(snapshot(), { profile: 'p' })).not.toContain('perfctl_service_');
  });
});
