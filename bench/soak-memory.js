// What a 24-hour run at 1,000 requests/s holds in memory, measured rather than guessed.
//
//   node --expose-gc bench/soak-memory.js          a readable summary
//   node --expose-gc bench/soak-memory.js --json   the figures as JSON (bench/run.js uses it)
//
// perfctl keeps, per (request × stage) cell, two HDR histograms (latency and service time),
// one timeline point per second, and nothing per request. This script builds exactly that with
// perfctl's own modules from dist/ (the Recorder and its histograms) when they are built, and
// measures: one histogram's footprint (hdr-histogram-js estimatedFootprintInBytes), the heap a
// timeline point takes, its size in result.json, and the whole recorder of a 24 h run with
// 5 requests × 5 stages, after recording values over the full 1 µs..1 h range.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');

const SECONDS_24H = 86_400;
const RATE_PER_SEC = 1000;
const REQUEST_NAMES = 5;
const STAGES = 5;

async function loadPerfctl() {
  const histPath = path.join(dist, 'metrics', 'histogram.js');
  const recPath = path.join(dist, 'metrics', 'recorder.js');
  if (!existsSync(histPath) || !existsSync(recPath)) return null;
  const hist = await import(pathToFileURL(histPath).href);
  const rec = await import(pathToFileURL(recPath).href);
  return { createHistogram: hist.createHistogram, Recorder: rec.Recorder };
}

/** The same settings as perfctl's src/metrics/histogram.ts, for when dist/ is not built. */
async function fallbackHistogram() {
  const hdr = await import('hdr-histogram-js');
  const build = hdr.build ?? hdr.default.build;
  return () =>
    build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

function heapBytes() {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** A timeline point as perfctl's Recorder writes it in an open-model run (all fields present). */
function typicalPoint(t) {
  return { t, requests: 1000, errors: 0, rps: 1000, p50: 1.234, p95: 3.583, p99: 7.919, level: 1000, planned: 1000, loopLagMs: 0.4, startLagMs: 1.2 };
}

export async function measureSoakMemory() {
  const perfctl = await loadPerfctl().catch(() => null);
  const createHistogram = perfctl?.createHistogram ?? (await fallbackHistogram());
  const source = perfctl ? 'perfctl dist/ (Recorder, createHistogram)' : 'hdr-histogram-js with perfctl settings (dist/ not built)';

  // one histogram, filled over its whole range: its arrays are allocated up front
  const one = createHistogram();
  const emptyFootprint = one.estimatedFootprintInBytes;
  for (let us = 1; us <= 3_600_000_000; us *= 3) one.recordValue(us);
  const histogramBytes = one.estimatedFootprintInBytes;

  // heap of 50 histograms (cross-check of the estimate)
  const before = heapBytes();
  const many = [];
  for (let i = 0; i < REQUEST_NAMES * STAGES * 2; i++) {
    const h = createHistogram();
    h.recordValue(1000 + i);
    many.push(h);
  }
  const histogramsHeapBytes = heapBytes() - before;
  many.length = 0;

  // a timeline point: JSON size and heap size
  const pointJsonBytes = JSON.stringify(typicalPoint(SECONDS_24H)).length + 1; // +1 for the comma
  let recorderHeapBytes = null;
  let timelineHeapBytes;
  let timelineJsonBytes;
  let usedRecorder = false;
  if (perfctl?.Recorder) {
    try {
      // the real thing: a Recorder with 5 × 5 cells and 86,400 closed seconds
      const start = heapBytes();
      const recorder = new perfctl.Recorder(STAGES);
      for (let g = 0; g < REQUEST_NAMES; g++) {
        for (let s = 0; s < STAGES; s++) {
          for (let us = 1; us <= 3_600_000_000; us *= 3) {
            recorder.record({ group: `request-${g}`, phaseIndex: s, latencyUs: us, serviceUs: us, status: 200, errorKind: null });
          }
        }
      }
      const withCells = heapBytes();
      for (let t = 1; t <= SECONDS_24H; t++) {
        // a few samples per second so the point carries real percentiles
        recorder.record({ group: 'request-0', phaseIndex: 0, latencyUs: 1234 + (t % 97), serviceUs: 1100, status: 200, errorKind: null });
        recorder.closeSecond({ t, level: RATE_PER_SEC, planned: RATE_PER_SEC, loopLagMs: 0.4 + (t % 7) / 10 });
      }
      const end = heapBytes();
      recorderHeapBytes = end - start;
      timelineHeapBytes = end - withCells;
      timelineJsonBytes = JSON.stringify(recorder.timeline).length;
      usedRecorder = recorder.timeline.length === SECONDS_24H;
      if (!usedRecorder) throw new Error('Recorder did not keep one point per second');
    } catch {
      usedRecorder = false;
      recorderHeapBytes = null;
    }
  }
  if (!usedRecorder) {
    const start = heapBytes();
    const timeline = [];
    for (let t = 1; t <= SECONDS_24H; t++) timeline.push(typicalPoint(t));
    timelineHeapBytes = heapBytes() - start;
    timelineJsonBytes = JSON.stringify(timeline).length;
  }

  const cells = REQUEST_NAMES * STAGES;
  const histogramsBytes = cells * 2 * histogramBytes;
  const computedTotalBytes = histogramsBytes + histogramBytes /* the current second's histogram */ + timelineHeapBytes;
  return {
    source,
    gcExposed: typeof globalThis.gc === 'function',
    scenario: { hours: 24, ratePerSec: RATE_PER_SEC, requestsTotal: SECONDS_24H * RATE_PER_SEC, requestNames: REQUEST_NAMES, stages: STAGES, cells },
    histogram: { emptyFootprintBytes: emptyFootprint, footprintBytes: histogramBytes, note: '1 µs..1 h, 3 significant digits, 32-bit buckets: fixed size, whatever the count' },
    histogramsPerRun: { count: cells * 2 + 1, estimatedBytes: histogramsBytes + histogramBytes, measuredHeapBytesFor50: histogramsHeapBytes },
    timeline: {
      points: SECONDS_24H,
      pointJsonBytes,
      jsonBytes: timelineJsonBytes,
      heapBytes: timelineHeapBytes,
      heapBytesPerPoint: Math.round(timelineHeapBytes / SECONDS_24H),
      measuredWith: usedRecorder ? 'perfctl Recorder.closeSecond' : 'plain objects shaped like a timeline point',
    },
    perRequestBytes: 0,
    totalBytes: computedTotalBytes,
    measuredRecorderHeapBytes: recorderHeapBytes,
  };
}

const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await measureSoakMemory();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
  } else {
    const f = figures;
    const lines = [
      `24 h at ${f.scenario.ratePerSec}/s = ${f.scenario.requestsTotal.toLocaleString('en')} requests, ${f.scenario.requestNames} requests × ${f.scenario.stages} stages = ${f.scenario.cells} cells  [${f.source}]`,
      `  one histogram (1 µs..1 h, 3 digits, 32-bit):  ${f.histogram.footprintBytes.toLocaleString('en')} bytes (empty: ${f.histogram.emptyFootprintBytes.toLocaleString('en')})`,
      `  ${f.histogramsPerRun.count} histograms (2 per cell + current second): ${mib(f.histogramsPerRun.estimatedBytes)}  (heap of 50 measured: ${mib(f.histogramsPerRun.measuredHeapBytesFor50)})`,
      `  timeline: ${f.timeline.points.toLocaleString('en')} points × ${f.timeline.heapBytesPerPoint} bytes of heap = ${mib(f.timeline.heapBytes)}; in result.json ${f.timeline.pointJsonBytes} bytes each = ${mib(f.timeline.jsonBytes)}  (${f.timeline.measuredWith})`,
      `  per request: ${f.perRequestBytes} bytes`,
      `  total held: ${mib(f.totalBytes)}${f.measuredRecorderHeapBytes !== null ? `  (whole Recorder measured on the heap: ${mib(f.measuredRecorderHeapBytes)})` : ''}`,
      f.gcExposed ? '' : '  (run with node --expose-gc for exact heap figures)',
    ];
    process.stdout.write(lines.filter(Boolean).join('\n') + '\n');
  }
}
