// The only module that touches hdr-histogram-js. It owns the units: values are recorded
// in microseconds and summarised in milliseconds.
import { createRequire, Module } from 'node:module';
import type * as hdr from 'hdr-histogram-js';

// Only the parts used are loaded (the package's index also loads its WebAssembly build and its
// log reader and writer, whose number formatter alone costs ~10 ms of CPU at every start): the
// 32-bit histogram, and the V2 compressed encoding, which installs `encodeIntoCompressedBase64`
// and `JsHistogram.decode`. The package has no "exports" map, so these paths are its public files.
const require = createRequire(import.meta.url);
const ENCODING = 'hdr-histogram-js/dist/JsHistogram.encoding.js';
// The encoding loads pako, a JavaScript zlib it falls back to only where node's zlib is missing
// (browsers): here it always uses node's zlib, so pako (~9 ms of CPU to load at every start) is
// given to it as an empty module. Nothing else in perfctl's dependencies loads pako.
const pakoPath = createRequire(require.resolve(ENCODING)).resolve('pako');
if (require.cache[pakoPath] === undefined) {
  const empty = new Module(pakoPath);
  empty.loaded = true;
  require.cache[pakoPath] = empty;
}
type HistogramConstructor = new (lowest: number, highest: number, digits: number) => hdr.JsHistogram;
const Int32Histogram = (require('hdr-histogram-js/dist/Int32Histogram.js') as { default: HistogramConstructor }).default;
const encoding = require(ENCODING) as { decompress(data: Uint8Array): Uint8Array };
const { JsHistogram } = require('hdr-histogram-js/dist/JsHistogram.js') as {
  JsHistogram: { decode(data: Uint8Array, bitBucketSize: 32, minBarForHighestTrackableValue: number): hdr.JsHistogram };
};

/** Latency summary in milliseconds with microsecond resolution. */
export interface LatencySummaryMs {
  min: number;
  mean: number;
  stdev: number;
  p50: number;
  p75: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export type LatencyHistogram = hdr.Histogram;

/** the initial range of a histogram; it grows on demand */
const INITIAL_HIGHEST_US = 4096;

/** Bytes a histogram's counts take now (for the memory figures of `npm run bench`). */
export function histogramBytes(histogram: LatencyHistogram): number {
  return histogram.estimatedFootprintInBytes;
}

/**
 * Starts with room for 1 µs .. 4 ms at 3 significant digits and grows (auto-resize) to the
 * largest value it is given, so a histogram costs what its latencies need (17 KB empty, 38 KB
 * at 250 ms, 46 KB at 1 s) instead of the 95 KB that a fixed 1 µs .. 1 h range allocates up
 * front: 100 requests × 100 stages fit in a few hundred MB. Nothing recorded is ever cut off.
 * `coarse` (2 digits, 1% resolution, an eighth of the memory) serves the time blocks, which
 * only need to rank one block against another, and the service time, a diagnostic beside the
 * latency that the targets judge.
 */
export function createHistogram(coarse = false): LatencyHistogram {
  const histogram = new Int32Histogram(1, INITIAL_HIGHEST_US, coarse ? 2 : 3);
  histogram.autoResize = true;
  return histogram;
}

export function recordMicros(histogram: LatencyHistogram, micros: number): void {
  histogram.recordValue(micros < 1 ? 1 : Math.round(micros));
}

/** Exact merge: counts are added bucket by bucket, never percentiles averaged. */
export function addInto(target: LatencyHistogram, source: LatencyHistogram): void {
  target.add(source);
}

/** Exact difference: `source`'s counts are taken out of `target` (source must be part of target). */
export function subtractFrom(target: LatencyHistogram, source: LatencyHistogram): void {
  if (source.totalCount > 0) target.subtract(source);
}

export function mergeHistograms(histograms: Iterable<LatencyHistogram>): LatencyHistogram {
  const merged = createHistogram();
  for (const h of histograms) merged.add(h);
  return merged;
}

export function encodeHistogram(histogram: LatencyHistogram): string {
  return (histogram as hdr.JsHistogram & { encodeIntoCompressedBase64(): string }).encodeIntoCompressedBase64();
}

export function decodeHistogram(base64: string, coarse = false): LatencyHistogram {
  const decoded = JsHistogram.decode(encoding.decompress(Buffer.from(base64.trim(), 'base64')), 32, 0);
  // one of ours (1 µs resolution, the same digits): kept as it is, made to grow on demand like
  // ours so merges never throw (a copy scanned every bucket: ~6 ms per report at every run's end)
  if (decoded.lowestDiscernibleValue === 1 && decoded.numberOfSignificantValueDigits === (coarse ? 2 : 3)) {
    decoded.autoResize = true;
    return decoded;
  }
  // anything else is copied into one of ours
  const ours = createHistogram(coarse);
  ours.add(decoded);
  return ours;
}

const roundMicros = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Value at a percentile (0..100) in ms; 0 for an empty histogram. */
export function percentileMs(histogram: LatencyHistogram, percentile: number): number {
  if (histogram.totalCount === 0) return 0;
  return roundMicros(histogram.getValueAtPercentile(percentile) / 1000);
}

export function sampleCount(histogram: LatencyHistogram): number {
  return histogram.totalCount;
}

/**
 * Values at several percentiles (0..100, ascending) in ms, in one scan of the counts: what
 * percentileMs gives for each, where each of those scans from the start (the report's
 * distribution curve asks for 24, every second of a run for 3). 0s for an empty histogram.
 */
export function percentilesMs(histogram: LatencyHistogram, ascending: readonly number[]): number[] {
  const values = new Array<number>(ascending.length).fill(0);
  if (histogram.totalCount === 0) return values;
  const h = histogram as hdr.JsHistogram;
  const total = h.totalCount;
  const length = h.countsArrayLength;
  let cumulative = 0;
  let k = 0;
  let target = countAtPercentile(ascending[0]!, total);
  for (let i = 0; i < length && k < ascending.length; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    cumulative += count;
    while (k < ascending.length && cumulative >= target) {
      const value = h.valueFromIndex(i);
      // as hdr's getValueAtPercentile: the 0th is its bucket's bottom, any other its top
      values[k] = roundMicros((ascending[k] === 0 ? h.lowestEquivalentValue(value) : h.highestEquivalentValue(value)) / 1000);
      k++;
      if (k < ascending.length) target = countAtPercentile(ascending[k]!, total);
    }
  }
  return values;
}

/** The percentiles of a summary, ascending (the one-pass scan relies on the order). */
const SUMMARY_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

/** hdr's count at a percentile: rounded up, guarded against a 1-ulp error of the float maths, at least 1. */
function countAtPercentile(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  return Math.max(Math.ceil(fp - Math.pow(2, Math.floor(Math.log2(fp)) - 52)), 1);
}

/**
 * The summary in two passes over the counts, where hdr-histogram-js's getters make nine (each
 * percentile and the mean scan from the start, the deviation scans twice): same formulas, same
 * order of summation, so the same numbers (tested against the getters). Every result, checkpoint
 * and report summarises dozens of histograms.
 */
export function summariseMs(histogram: LatencyHistogram): LatencySummaryMs {
  if (histogram.totalCount === 0) {
    return { min: 0, mean: 0, stdev: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  const h = histogram as hdr.JsHistogram;
  const total = h.totalCount;
  const length = h.countsArrayLength;
  const targets = SUMMARY_PERCENTILES.map((p) => countAtPercentile(p, total));
  const values: number[] = [];
  let cumulative = 0;
  let sum = 0;
  for (let i = 0, k = 0; i < length; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    cumulative += count;
    const value = h.valueFromIndex(i);
    sum += h.medianEquivalentValue(value) * count;
    while (k < targets.length && cumulative >= targets[k]!) {
      values[k++] = h.highestEquivalentValue(value);
    }
  }
  const mean = sum / total;
  let squares = 0;
  for (let i = 0; i < length; i++) {
    const count = h.getCountAtIndex(i);
    if (count === 0) continue;
    const deviation = h.medianEquivalentValue(h.valueFromIndex(i)) - mean;
    squares += deviation * deviation * count;
  }
  const ms = (micros: number | undefined): number => roundMicros((micros ?? 0) / 1000);
  return {
    min: ms(h.minNonZeroValue),
    mean: ms(mean),
    stdev: ms(Math.sqrt(squares / total)),
    p50: ms(values[0]),
    p75: ms(values[1]),
    p90: ms(values[2]),
    p95: ms(values[3]),
    p99: ms(values[4]),
    p999: ms(values[5]),
    max: ms(h.maxValue),
  };
}

export interface PercentilePoint {
  percentile: number;
  valueMs: number;
}

const CURVE_LEVELS = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];

/** The percentile curve (as HdrHistogram's plotter draws it), for the distribution chart. */
export function percentileCurve(histogram: LatencyHistogram): PercentilePoint[] {
  if (histogram.totalCount === 0) return [];
  const values = percentilesMs(histogram, CURVE_LEVELS);
  return CURVE_LEVELS.map((percentile, i) => ({ percentile, valueMs: values[i]! }));
}

export interface HistogramScan {
  /** cumulative counts at or below each bound */
  buckets: number[];
  /** sum of the recorded values, seconds (each at the middle of its HDR bucket) */
  sumSeconds: number;
  /** percentiles (ms) of what `histogram` holds beyond `since`: the latencies added since then */
  added: { count: number; p50: number; p95: number; p99: number };
}

/**
 * One pass over a histogram's buckets (about 10,000 counters for 1 µs .. 1 h at 3 digits,
 * never the requests): its cumulative counts at or below each bound (µs, ascending), as a
 * Prometheus or OTLP histogram needs them (a value counts when its HDR bucket starts there or
 * below); the sum of its values; and the percentiles of what was added since `since`, an
 * earlier state of the same counts. A hundred times faster than HDR's value iterators.
 */
export function scanHistogram(histogram: LatencyHistogram, boundsMicros: readonly number[], since?: LatencyHistogram): HistogramScan {
  const js = histogram as hdr.JsHistogram;
  const before = since as hdr.JsHistogram | undefined;
  const buckets = boundsMicros.map(() => 0);
  const addedTotal = histogram.totalCount - (since?.totalCount ?? 0);
  const wanted = [50, 95, 99].map((p) => Math.max(1, Math.ceil((p / 100) * addedTotal)));
  const found = [0, 0, 0];
  let sumMicros = 0;
  let bound = 0;
  let below = 0;
  let added = 0;
  const length = js.countsArrayLength;
  const beforeLength = before?.countsArrayLength ?? 0;
  // the typed array behind getCountAtIndex, read directly when there is one (10,000 calls a
  // second per group add up on a busy machine)
  const counts = (js as unknown as { counts?: ArrayLike<number> }).counts;
  const countAt = counts && counts.length >= length ? (i: number): number => counts[i]! : (i: number): number => js.getCountAtIndex(i);
  if (histogram.totalCount > 0) {
    for (let i = 0; i < length; i++) {
      const count = countAt(i);
      if (count === 0) continue;
      const value = js.valueFromIndex(i);
      // the middle of the bucket, as HDR's own mean counts it
      sumMicros += ((value + js.valueFromIndex(i + 1)) / 2) * count;
      while (bound < boundsMicros.length && value > boundsMicros[bound]!) buckets[bound++] = below;
      below += count;
      if (addedTotal > 0) {
        const previous = before && i < beforeLength ? before.getCountAtIndex(i) : 0;
        const was = added;
        added += count - previous;
        for (let k = 0; k < 3; k++) if (found[k] === 0 && was < wanted[k]! && added >= wanted[k]!) found[k] = js.highestEquivalentValue(value);
      }
    }
  }
  while (bound < boundsMicros.length) buckets[bound++] = below;
  const ms = (micros: number): number => Math.round(micros) / 1000;
  return {
    buckets,
    sumSeconds: sumMicros / 1e6,
    added: { count: addedTotal, p50: ms(found[0]!), p95: ms(found[1]!), p99: ms(found[2]!) },
  };
}

/** An independent copy (to keep a previous state for differences). */
export function copyHistogram(histogram: LatencyHistogram): LatencyHistogram {
  const copy = createHistogram();
  copy.add(histogram);
  return copy;
}

/** The rank-th smallest sample (1-based) in ms, read as the top of its bucket (never below the sample). */
export function valueAtRankMs(histogram: LatencyHistogram, rank: number): number {
  const n = histogram.totalCount;
  if (n === 0) return 0;
  const clamped = Math.min(n, Math.max(1, Math.round(rank)));
  return roundMicros(histogram.getValueAtPercentile((clamped / n) * 100) / 1000);
}

/** How many samples are surely below `ms` (their bucket's top is under it): a binary search over ranks. */
export function countBelowMs(histogram: LatencyHistogram, ms: number): number {
  let lo = 0;
  let hi = histogram.totalCount;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valueAtRankMs(histogram, mid) < ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
