// The exports' own cost on the run's thread: LiveExports.onSecond (one snapshot for all four
// exports) timed on 4 request groups × 3 stages whose histograms hold 200,000 latencies each,
// 60 times, as a 24-hour soak's cells would look at any hour (the cost is O(histogram buckets)).
import { performance } from 'node:perf_hooks';
import path from 'node:path';

export async function measureExportTick({ repo, tmpDir }) {
  const dist = (p) => import(path.join(repo, 'dist', p));
  const { LiveExports } = await dist('export/live-exports.js');
  const { createCell } = await dist('metrics/cell.js');
  const { recordMicros } = await dist('metrics/histogram.js');
  const cells = [];
  for (const group of ['login', 'list', 'get', 'submit']) {
    for (let phase = 0; phase < 3; phase++) {
      const c = createCell(group, phase);
      for (let i = 0; i < 200_000; i++) {
        recordMicros(c.latency, 2000 + Math.random() * Math.random() * 400_000);
        recordMicros(c.service, 1000 + Math.random() * 50_000);
      }
      c.requests = 200_000;
      c.statusCodes['200'] = 200_000;
      cells.push(c);
    }
  }
  const exports = new LiveExports(
    [
      { kind: 'prometheus', host: '127.0.0.1', port: 0 },
      { kind: 'ndjson', file: path.join(tmpDir, 'tick.ndjson') },
      { kind: 'statsd', host: '127.0.0.1', port: 9 },
      { kind: 'otlp', url: 'http://127.0.0.1:9' },
    ],
    { model: 'open', info: { profile: 'bench' }, warn: () => undefined },
  );
  await exports.start();
  const times = [];
  for (let t = 1; t <= 60; t++) {
    for (const c of cells) for (let i = 0; i < 100; i++) recordMicros(c.latency, 5000 + i * 10);
    const t0 = performance.now();
    exports.onSecond({ elapsedMs: t * 1000, point: { t, requests: 1, errors: 0, rps: 1, p50: 1, p95: 1, p99: 1, level: 1, planned: 1 }, stageIndex: 0, level: 1, requests: 1, errors: 0, inFlight: 1, cells: () => cells });
    times.push(performance.now() - t0);
    await new Promise((r) => setImmediate(r));
  }
  await exports.close(0);
  times.sort((a, b) => a - b);
  const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100;
  return { groups: 4, phases: 3, samplesPerCell: 200_000, medianMs: at(0.5), p90Ms: at(0.9), maxMs: at(1), shareOfSecondPct: Math.round(at(0.5) * 10) / 100 };
}
