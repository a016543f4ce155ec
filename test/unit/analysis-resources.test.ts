// Service resources: what monitor reads (/proc, Prometheus text), the samples on the timeline,
// and their summary (memory growth between the early and late windows, CPU).
import { describe, expect, it } from 'vitest';
import { analyseResources, attachResourceSamples } from '../../src/judge/analysis/resources.js';
import { driftWindows } from '../../src/config/stage-shape.js';
import { parseProcStat, parseProcStatus, parsePrometheus, probeMonitor, startMonitor, toSamples } from '../../src/engine/monitor.js';
import { evaluateTargets } from '../../src/judge/checks.js';
import type { TimelinePoint } from '../../src/result/types.js';

const point = (t: number, extra: Partial<TimelinePoint> = {}): TimelinePoint => ({ t, requests: 10, errors: 0, rps: 10, p50: 1, p95: 2, p99: 3, level: 10, ...extra });

describe('reading the service', () => {
  it('/proc/<pid>/stat: utime + stime in 1/100 s, after a command name with spaces and parentheses', () => {
    const stat = '4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 50 0 0 20 0 11 0 100 123456 789 18446744073709551615';
    expect(parseProcStat(stat)).toEqual({ cpuSeconds: 3 });
  });

  it('/proc/<pid>/status: VmRSS in kB', () => {
    expect(parseProcStatus('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51200 kB\n')).toEqual({ memoryBytes: 51200 * 1024 });
    expect(() => parseProcStatus('Name:\tkthreadd\n')).toThrow(/VmRSS/);
  });

  it('Prometheus text: process_resident_memory_bytes and process_cpu_seconds_total, labels and comments skipped', () => {
    const text = [
      '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
      '# TYPE process_cpu_seconds_total counter',
      'process_cpu_seconds_total{service="api"} 12.5',
      'process_resident_memory_bytes 1.048576e+08',
      'process_resident_memory_bytes_extra 1',
      'http_requests_total{code="200"} 1027',
    ].join('\n');
    expect(parsePrometheus(text)).toEqual({ cpuSeconds: 12.5, memoryBytes: 104857600 });
  });

  it('samples: memory in MB, CPU as the share of a core between two readings', () => {
    const raw = [
      { atMs: 1000, cpuSeconds: 10, memoryBytes: 100 * 1024 * 1024 },
      { atMs: 3000, cpuSeconds: 10.5, memoryBytes: 110 * 1024 * 1024 },
    ];
    expect(toSamples(raw, 1000)).toEqual([
      { atMs: 0, memoryMB: 100 },
      { atMs: 2000, memoryMB: 110, cpuPercent: 25 },
    ]);
  });

  it('monitors this very process by its pid (Linux), and says why it cannot read another', async () => {
    if (process.platform !== 'linux') return;
    expect(await probeMonitor({ kind: 'pid', pid: process.pid, intervalMs: 1000 })).toBeNull();
    expect(await probeMonitor({ kind: 'pid', pid: 2 ** 22 + 12_345, intervalMs: 1000 })).toMatch(/^no process \d+/);
    const monitor = startMonitor({ kind: 'pid', pid: process.pid, intervalMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const samples = await monitor.stop(performance.now() - 1000);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples[0]!.memoryMB!).toBeGreaterThan(10);
    expect(monitor.problem).toBeUndefined();
  });
});

describe('attachResourceSamples', () => {
  it('puts each sample on the point of the second it was taken in; other points stay as they were', () => {
    const timeline = [point(1), point(2), point(3)];
    const out = attachResourceSamples(timeline, [
      { atMs: 150, memoryMB: 50.04 },
      { atMs: 2100, memoryMB: 52, cpuPercent: 12.34 },
    ]);
    expect(out[0]).toEqual({ ...timeline[0], memoryMB: 50 });
    expect(out[1]).toBe(timeline[1]);
    expect(out[2]).toEqual({ ...timeline[2], memoryMB: 52, cpuPercent: 12.3 });
  });
});

describe('analyseResources', () => {
  // a leak: 100 MB + 1 MB a second over 100 s, a sample every 2 s; CPU 30%
  const timeline = Array.from({ length: 100 }, (_, i) => point(i + 1, i % 2 === 1 ? { memoryMB: 100 + (i + 1), cpuPercent: 30 } : {}));

  it("memory: the mean of the early window's samples against the late window's, peak, growth; CPU mean and peak", () => {
    const windows = driftWindows({ phase: 'soak', startMs: 0, endMs: 100_000 });
    const r = analyseResources({ timeline, source: 'pid 1', intervalMs: 2000, windows, runDurationMs: 100_000 });
    // early window 10-30 s: samples at 12..30 (mean 21 -> 121 MB); late 80-100 s: 82..100 (mean 91 -> 191 MB)
    expect(r).toEqual({
      source: 'pid 1',
      samples: 50,
      intervalMs: 2000,
      startMemoryMB: 121,
      endMemoryMB: 191,
      peakMemoryMB: 200,
      memoryGrowth: 0.5785,
      meanCpuPercent: 30,
      peakCpuPercent: 30,
    });
  });

  it('memoryGrowth targets are judged on it; without samples they are not judged', () => {
    const r = analyseResources({ timeline, source: 'pid 1', intervalMs: 2000, windows: null, runDurationMs: 100_000 });
    const rows = [{ name: 'Memory', requests: null, phase: null, checks: [{ metric: 'memoryGrowth' as const, limit: 0.1 }], abortOnFail: false }];
    const [failed] = evaluateTargets(rows, [], [], 100_000, { resources: r });
    expect(failed).toMatchObject({ metric: 'memoryGrowth', unit: 'ratio', pass: false, state: 'fail' });
    expect(failed!.message).toMatch(/^memoryGrowth \+\d+(\.\d+)?% \(\d+(\.\d)? → \d+(\.\d)? MB\) ≥ 10%$/);
    const [none] = evaluateTargets(rows, [], [], 100_000, {});
    expect(none).toMatchObject({ pass: false, state: 'uncertain' });
    expect(none!.message).toMatch(/set `monitor:` in the profile/);
  });

  it('reports a monitor that could not read anything', () => {
    const r = analyseResources({ timeline: [point(1)], source: 'pid 9', intervalMs: 2000, windows: null, runDurationMs: 1000, problem: 'no process 9' });
    expect(r).toMatchObject({ samples: 0, memoryGrowth: null, problem: 'no process 9' });
  });
});
