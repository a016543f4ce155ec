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
// given to it as an empty module. Nothing else that perfctl runs loads pako or base64-js.
// Its base64 is base64-js, which builds the text one 3-byte group at a time in JavaScript; V8
// compiled that loop with its optimising compiler at the end of every run (~15 ms of CPU on its
// threads). node's Buffer writes the same standard, padded base64 natively.
const encodingRequire = createRequire(require.resolve(ENCODING));
provideModule(encodingRequire.resolve('pako'), {});
provideModule(encodingRequire.resolve('base64-js'), {
  fromByteArray: (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  // (the package's index decodes with it; perfctl itself decodes with Buffer)
  toByteArray: (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64')),
});

/** What `require(path)` gives from now on, unless something loaded it first. */
function provideModule(path: string, exports: object): void {
  if (require.cache[path] !== undefined) return;
  const module = new Module(path);
  module.exports = exports;
  module.loaded = true;
  require.cache[path] = module;
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

/**
 * Exact merge: counts are added bucket by bucket, never percentiles averaged. What hdr's add
 * does, on the counts themselves where both are laid out alike (its add calls two methods per
 * bucket, and where the target has grown, records every bucket by value).
 */
export function addInto(target: LatencyHistogram, source: LatencyHistogram): void {
  const into = target as hdr.JsHistogram;
  const from = source as hdr.JsHistogram;
  if (from.totalCount === 0) return;
  // room for the source's largest value first, as hdr's add makes it (a no-op when there is room)
  if (into.autoResize && highestRecordable(into) < from.maxValue) (into as unknown as { resize(highest: number): void }).resize(from.maxValue);
  const a = layoutOf(into);
  const b = layoutOf(from);
  if (a === undefined || b === undefined || a.halfMagnitude !== b.halfMagnitude || a.unitMagnitude !== b.unitMagnitude || highestRecordable(into) < from.maxValue) {
    into.add(from);
    return;
  }
  // the same layout: index i means the same values in both, whatever their lengths
  const counts = a.counts;
  const other = b.counts;
  const length = Math.min(counts.length, other.length);
  const range = occupied(from, b);
  let added = 0;
  for (let i = range.from, to = Math.min(range.to, length); i < to; i++) {
    const count = other[i]!;
    if (count === 0) continue;
    counts[i] = counts[i]! + count;
    added += count;
  }
  const internals = into as unknown as HdrInternals;
  internals.setTotalCount(into.totalCount + added);
  internals.updatedMaxValue(Math.max(into.maxValue, from.maxValue));
  internals.updateMinNonZeroValue(Math.min(into.minNonZeroValue, from.minNonZeroValue));
  into.startTimeStampMsec = Math.min(into.startTimeStampMsec, from.startTimeStampMsec);
  into.endTimeStampMsec = Math.max(into.endTimeStampMsec, from.endTimeStampMsec);
}

/** The methods hdr's own add uses to keep a histogram's totals (JsHistogram's, not in its typings). */
interface HdrInternals {
  setTotalCount(count: number): void;
  updatedMaxValue(value: number): void;
  updateMinNonZeroValue(value: number): void;
}

/** The largest value the histogram holds without growing, as hdr's add computes it. */
function highestRecordable(h: hdr.JsHistogram): number {
  return h.highestEquivalentValue(h.valueFromIndex(h.countsArrayLength - 1));
}

/** Exact difference: `source`'s counts are taken out of `target` (source must be part of target). */
export function subtractFrom(target: LatencyHistogram, source: LatencyHistogram): void {
  if (source.totalCount > 0) target.subtract(source);
}

export function mergeHistograms(histograms: Iterable<LatencyHistogram>): LatencyHistogram {
  const merged = createHistogram();
  for (const h of histograms) addInto(merged, h);
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
  addInto(ours, decoded);
  return ours;
}

const roundMicros = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * A histogram's counts and the layout that maps a counts index to its values, for scans that
 * read them directly. hdr's per-index getters (valueFromIndex, medianEquivalentValue,
 * highestEquivalentValue) each take a log2 and a pow, and every summary, percentile scan and
 * merge loops over ~10,000 buckets. An index's values follow from the layout alone
 * (HdrHistogram's own formulas, tested against the getters). undefined where the histogram is
 * not a typed-array one laid out as hdr-histogram-js 3 lays it out (layoutFor copies it then).
 */
interface CountsLayout {
  counts: Uint32Array | Float64Array | Uint16Array | Uint8Array;
  /** indexes per half bucket, and its log2 */
  halfCount: number;
  halfMagnitude: number;
  /** log2 of the lowest discernible value */
  unitMagnitude: number;
}

function layoutOf(h: hdr.JsHistogram): CountsLayout | undefined {
  const fields = h as unknown as { _counts?: unknown; subBucketHalfCount?: number; subBucketHalfCountMagnitude?: number; unitMagnitude?: number };
  const counts = fields._counts;
  const halfCount = fields.subBucketHalfCount;
  const halfMagnitude = fields.subBucketHalfCountMagnitude;
  const unitMagnitude = fields.unitMagnitude;
  if (!(counts instanceof Uint32Array || counts instanceof Float64Array || counts instanceof Uint16Array || counts instanceof Uint8Array)) return undefined;
  if (counts.length !== h.countsArrayLength || !Number.isInteger(halfMagnitude) || !Number.isInteger(unitMagnitude) || halfCount !== 2 ** halfMagnitude!) return undefined;
  return { counts, halfCount, halfMagnitude: halfMagnitude!, unitMagnitude: unitMagnitude! };
}

/** log2 of the width of the bucket at counts index i (every value in it counts alike). */
function widthLog2(i: number, layout: CountsLayout): number {
  const bucket = Math.floor(i / layout.halfCount) - 1;
  return (bucket < 0 ? 0 : bucket) + layout.unitMagnitude;
}

/** The lowest value counted at counts index i (hdr's valueFromIndex). */
function lowestAt(i: number, layout: CountsLayout): number {
  const bucket = Math.floor(i / layout.halfCount) - 1;
  const sub = bucket < 0 ? i : (i % layout.halfCount) + layout.halfCount;
  return sub * 2 ** widthLog2(i, layout);
}

/** The layout of a histogram, copied into one of ours first where it has none (never in perfctl's own). */
function layoutFor(histogram: LatencyHistogram): { h: hdr.JsHistogram; layout: CountsLayout } {
  const h = histogram as hdr.JsHistogram;
  const layout = layoutOf(h);
  if (layout !== undefined) return { h, layout };
  const copy = createHistogram(h.numberOfSignificantValueDigits < 3) as hdr.JsHistogram;
  copy.add(h);
  return { h: copy, layout: layoutOf(copy)! };
}

/**
 * The counts indexes that hold anything: from the minimum's to the maximum's, as hdr tracks
 * them (a few hundred of the ~10,000 for a run's latencies), index 0 too where it counts
 * zeros. Checked against the total: where the range's counts fall short of it, all of them.
 * Every scan below looks at these alone.
 */
function occupied(h: hdr.JsHistogram, layout: CountsLayout): { from: number; to: number } {
  const counts = layout.counts;
  const all = { from: 0, to: counts.length };
  if (!(h.maxValue > 0 && h.minNonZeroValue <= h.maxValue)) return all;
  const index = (value: number): number => (h as unknown as { countsArrayIndex(value: number): number }).countsArrayIndex(value);
  const from = counts[0] !== 0 ? 0 : Math.min(counts.length, index(h.minNonZeroValue));
  const to = Math.max(from, Math.min(counts.length, index(h.maxValue) + 1));
  let inRange = 0;
  for (let i = from; i < to; i++) inRange += counts[i]!;
  return inRange === h.totalCount ? { from, to } : all;
}

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
  const { h, layout } = layoutFor(histogram);
  const counts = layout.counts;
  const total = h.totalCount;
  let cumulative = 0;
  let k = 0;
  let target = countAtPercentile(ascending[0]!, total);
  const range = occupied(h, layout);
  for (let i = range.from; i < range.to && k < ascending.length; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    cumulative += count;
    while (k < ascending.length && cumulative >= target) {
      // as hdr's getValueAtPercentile: the 0th is its bucket's bottom, any other its top
      const lowest = lowestAt(i, layout);
      values[k] = roundMicros((ascending[k] === 0 ? lowest : lowest + 2 ** widthLog2(i, layout) - 1) / 1000);
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
  const { h, layout } = layoutFor(histogram);
  const counts = layout.counts;
  const total = h.totalCount;
  const targets = SUMMARY_PERCENTILES.map((p) => countAtPercentile(p, total));
  const values: number[] = [];
  let cumulative = 0;
  let sum = 0;
  const range = occupied(h, layout);
  for (let i = range.from, k = 0; i < range.to; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    cumulative += count;
    const width = 2 ** widthLog2(i, layout);
    const lowest = lowestAt(i, layout);
    // each value counts at the middle of its bucket, as hdr's mean counts it
    sum += (lowest + Math.floor(width / 2)) * count;
    while (k < targets.length && cumulative >= targets[k]!) values[k++] = lowest + width - 1;
  }
  const mean = sum / total;
  let squares = 0;
  for (let i = range.from; i < range.to; i++) {
    const count = counts[i]!;
    if (count === 0) continue;
    const deviation = lowestAt(i, layout) + Math.floor(2 ** widthLog2(i, layout) / 2) - mean;
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
  if (histogram.totalCount > 0) {
    const { h, layout } = layoutFor(js);
    const counts = layout.counts;
    const previousCounts = before === undefined ? undefined : layoutFor(before).layout.counts;
    // an earlier state of the same counts lies within the current's range
    const range = occupied(h, layout);
    for (let i = range.from; i < range.to; i++) {
      const count = counts[i]!;
      if (count === 0) continue;
      const value = lowestAt(i, layout);
      const width = 2 ** widthLog2(i, layout);
      // the middle of the bucket, as HDR's own mean counts it
      sumMicros += (value + width / 2) * count;
      while (bound < boundsMicros.length && value > boundsMicros[bound]!) buckets[bound++] = below;
      below += count;
      if (addedTotal > 0) {
        const previous = previousCounts !== undefined && i < previousCounts.length ? previousCounts[i]! : 0;
        const was = added;
        added += count - previous;
        for (let k = 0; k < 3; k++) if (found[k] === 0 && was < wanted[k]! && added >= wanted[k]!) found[k] = value + width - 1;
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
  addInto(copy, histogram);
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
