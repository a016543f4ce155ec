import { describe, expect, it } from 'vitest';
import { addCount, createCell, type Cell } from '../../src/metrics/cell.js';
import { copyHistogram, createHistogram, percentileMs, recordMicros, scanHistogram } from '../../src/metrics/histogram.js';
import { LATENCY_BUCKETS_SECONDS, LiveView } from '../../src/export/live-view.js';
import { ndjsonLine } from '../../src/export/ndjson-exporter.js';
import type { SecondTick } from '../../src/engine/run-load.js';

function cell(group: string, latenciesMs: number[], statuses: Record<string, number> = {}, errors: Record<string, number> = {}, phaseIndex = 0): Cell {
  const c = createCell(group, phaseIndex);
  for (const ms of latenciesMs) recordMicros(c.latency, ms * 1000);
  c.requests = latenciesMs.length;
  for (const [k, n] of Object.entries(statuses)) addCount(c.statusCodes, k, n);
  for (const [k, n] of Object.entries(errors)) {
    addCount(c.errorKinds, k, n);
    c.errors += n;
  }
  return c;
}

function tick(t: number, cells: Cell[], over: Partial<SecondTick> = {}): SecondTick {
  const requests = cells.reduce((s, c) => s + c.requests, 0);
  return {
    elapsedMs: t * 1000,
    point: { t, requests: 0, errors: 0, rps: 0, p50: 0, p95: 0, p99: 0, level: 10 },
    stageIndex: 0,
    level: 10,
    requests,
    errors: cells.reduce((s, c) => s + c.errors, 0),
    inFlight: 3,
    cells: () => cells,
    ...over,
  };
}

describe('scanHistogram', () => {
  it.each([
    [[], [1000, 2000], [0, 0]],
    [[500, 1000, 1500, 2000, 2500], [1000, 2000], [2, 4]],
    [[999_999], [1000, 2000], [0, 0]],
    [[1, 1, 1], [1], [3]],
    [[5000, 10_000, 20_000], [2500, 5000, 10_000, 15_000, 25_000], [0, 1, 2, 2, 3]],
  ])('values %j under bounds %j: %j', (values, bounds, expected) => {
    const h = createHistogram();
    for (const v of values) recordMicros(h, v);
    const scan = scanHistogram(h, bounds);
    expect(scan.buckets).toEqual(expected);
    expect(scan.sumSeconds).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 1e6, 3);
  });

  it("the percentiles of what was added since an earlier state agree with HDR's own on the difference", () => {
    const before = createHistogram();
    for (let i = 0; i < 1000; i++) recordMicros(before, 1000 + i * 10);
    const now = copyHistogram(before);
    const added = createHistogram();
    for (let i = 0; i < 500; i++) {
      recordMicros(now, 50_000 + i * 100);
      recordMicros(added, 50_000 + i * 100);
    }
    const scan = scanHistogram(now, [1000], before);
    expect(scan.added.count).toBe(500);
    expect(scan.added.p50).toBe(percentileMs(added, 50));
    expect(scan.added.p95).toBe(percentileMs(added, 95));
    expect(scan.added.p99).toBe(percentileMs(added, 99));
    // nothing added: zeros
    expect(scanHistogram(now, [1000], now).added).toEqual({ count: 0, p50: 0, p95: 0, p99: 0 });
    // no earlier state: the whole histogram
    expect(scanHistogram(added, [1000]).added.p95).toBe(percentileMs(added, 95));
  });

  it('bucket bounds are ascending', () => {
    expect([...LATENCY_BUCKETS_SECONDS]).toEqual([...LATENCY_BUCKETS_SECONDS].sort((a, b) => a - b));
  });
});

describe('LiveView', () => {
  it('sums a group over its phases, leaves flows out, and tells a second from the totals', () => {
    const view = new LiveView('open');
    const first = [cell('a', [5, 10, 20], { '200': 3 }), cell('b', [100], {}, { timeout: 1 })];
    const s1 = view.snapshot(tick(1, first), first);
    expect(s1.groups.map((g) => g.name)).toEqual(['a', 'b']);
    expect(s1.groups[0]!.requests).toBe(3);
    expect(s1.groups[0]!.second).toMatchObject({ requests: 3, errors: 0 });
    expect(s1.groups[0]!.latency.count).toBe(3);
    // 5 ms ≤ 0.005, 10 ms ≤ 0.01, 20 ms ≤ 0.025
    const at = (le: number): number => s1.groups[0]!.latency.buckets[LATENCY_BUCKETS_SECONDS.indexOf(le as never)]!;
    expect([at(0.0025), at(0.005), at(0.01), at(0.015), at(0.025), at(30)]).toEqual([0, 1, 2, 2, 3, 3]);
    expect(s1.groups[0]!.latency.sumSeconds).toBeCloseTo(0.035, 4);
    expect(s1.groups[1]!.errorKinds).toEqual({ timeout: 1 });
    expect(s1.inFlight).toBe(3);

    // the next second: group a gets a second phase's cell with two slow requests, and a flow appears
    const flow = { ...cell('journey', [300]), flow: true as const };
    const second = [...first, cell('a', [400, 400], { '200': 2 }, {}, 1), flow];
    const s2 = view.snapshot(tick(2, second), second);
    expect(s2.groups.map((g) => g.name)).toEqual(['a', 'b']);
    expect(s2.groups[0]!.requests).toBe(5);
    expect(s2.groups[0]!.second.requests).toBe(2);
    expect(s2.groups[0]!.second.p50).toBeCloseTo(400, 0);
    expect(s2.groups[1]!.second.requests).toBe(0);
  });

  it('an NDJSON line is one JSON object per line with the point, totals and each group', () => {
    const view = new LiveView('closed', () => ({ cpuPercent: 12.5, memoryMB: 80 }));
    const cells = [cell('a', [5], { '200': 1 })];
    const line = ndjsonLine(view.snapshot(tick(1, cells), cells), '2026-01-01T00:00:00.000Z');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const parsed = JSON.parse(line);
    expect(parsed).toMatchObject({ t: 1, level: 10, inFlight: 3, totalRequests: 1, service: { cpuPercent: 12.5, memoryMB: 80 } });
    expect(parsed.groups.a).toMatchObject({ requests: 1, totalRequests: 1 });
    const final = JSON.parse(ndjsonLine(view.snapshot(tick(1, cells), cells, true), 'x'));
    expect(final).toEqual({ final: true, startedAt: 'x', elapsedMs: 1000, totalRequests: 1, totalErrors: 0 });
  });
});
