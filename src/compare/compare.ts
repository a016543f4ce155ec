// Baseline vs current (pure, SPEC §7): for the totals and each group present in both, p50,
// p95, p99, rps and errorRate. A regression is a change for the worse that is both beyond
// the tolerance AND too large to be sampling noise, so that two runs of the same build
// against the same service are not called a regression.
//
// The noise tests, all read from the histograms and counts both results carry:
//
// - Percentiles: a distribution-free confidence interval from the order statistics. For
//   n samples, the number of samples below the true q-quantile is Binomial(n, q), so the
//   sorted samples of ranks nq ± z·sqrt(n·q·(1−q)) bracket the true quantile with
//   probability ≈ 1 − α (normal approximation to the binomial). Those ranks are read from
//   the histogram (bucket resolution 0.1%). With z = 2.576 each interval is a 99% interval;
//   a latency regression needs the current interval to lie entirely above the baseline's
//   (non-overlap of two 99% intervals is a stricter test than a 1% two-sample test, about
//   p < 0.0003 for equal spreads, which keeps the false-alarm rate low across the 15 or
//   more entries of a comparison). When a rank falls outside 1..n there are too few samples
//   for the interval at this level (p99 needs about 660): that bound is unbounded, so the
//   change cannot be shown beyond noise and is not called a regression.
// - errorRate: a one-sided two-proportion z-test with the pooled rate, z > 3.09 (p < 0.001).
// - rps: the sent-request counts as Poisson counts over each run's duration, one-sided
//   z-test on the difference of rates, z > 3.09. (In the open model the counts follow the
//   schedule, so this only matters for small counts.)
//
// These assume independent samples; real latencies are correlated in time, so the
// intervals are narrower than the truth on long runs. The tolerance (10%, and never under
// 1 ms) is what protects those: with many samples the noise test passes easily and the
// tolerance decides.
import { PerfctlError, ExitCode, usageError } from '../errors.js';
import { requestCells, sumCells, type Cell } from '../metrics/cell.js';
import { createHistogram, decodeHistogram, percentileMs, sampleCount, type LatencyHistogram } from '../metrics/histogram.js';
import { decodeCells } from '../result/cells.js';
import { decodeTimeBlocks } from '../metrics/cell-codec.js';
import { TIME_BLOCKS } from '../metrics/recorder.js';
import { mannWhitneyZ } from './rank-test.js';
import type { Comparison, ComparisonEntry, Result, StatsBlock } from '../result/types.js';

export interface Tolerance {
  /** relative increase of a latency percentile, 0.10 = 10% */
  latency: number;
  /** relative decrease of rps, 0.10 = 10% */
  throughput: number;
  /** absolute increase of the error rate, 0.01 = 1 percentage point */
  errorRate: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { latency: 0.1, throughput: 0.1, errorRate: 0.01 };

/** A latency change under this is never a regression, whatever its relative size. */
export const MIN_LATENCY_CHANGE_MS = 1;
/** z for the two-sided 99% order-statistic intervals of percentiles. */
export const Z_INTERVAL = 2.576;
/** z for the one-sided tests (error rate, rps): p < 0.001. */
export const Z_TEST = 3.09;

export const TOTAL_SCOPE = 'total';

const LATENCY_METRICS = [
  ['p50', 50],
  ['p95', 95],
  ['p99', 99],
] as const;

export interface CompareOptions {
  baselineFile: string;
  tolerance?: Partial<Tolerance>;
}

/** What one side of a comparison knows about a scope. */
interface ScopeData {
  block: StatsBlock;
  histogram: LatencyHistogram | null;
  durationMs: number;
  /** the scope's latencies in equal time blocks of the run, when the result has them */
  timeBlocks: LatencyHistogram[] | null;
}

/** Fewest time blocks on each side for the block test to judge a change. */
const MIN_JUDGED_BLOCKS = 5;

/** A block's percentile q counts when it rests on at least 2/(1 − q) samples. */
function blockValues(blocks: LatencyHistogram[], percentile: number): number[] {
  const needed = Math.ceil(2 / (1 - percentile / 100));
  return blocks.filter((h) => sampleCount(h) >= needed).map((h) => percentileMs(h, percentile));
}

export interface PercentileInterval {
  /** point estimate, ms */
  valueMs: number;
  /** lower bound, ms; -Infinity when n is too small */
  lowMs: number;
  /** upper bound, ms; +Infinity when n is too small */
  highMs: number;
  samples: number;
}

/**
 * Distribution-free confidence interval of the q-quantile from a histogram: the values at
 * ranks floor(nq − z·sqrt(nq(1−q))) and ceil(nq + z·sqrt(nq(1−q))). A rank outside 1..n
 * leaves that side unbounded.
 */
export function percentileInterval(histogram: LatencyHistogram, percentile: number, z = Z_INTERVAL): PercentileInterval {
  const n = sampleCount(histogram);
  const valueMs = percentileMs(histogram, percentile);
  if (n === 0) return { valueMs, lowMs: -Infinity, highMs: Infinity, samples: 0 };
  const q = percentile / 100;
  const centre = n * q;
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.floor(centre - spread);
  const highRank = Math.ceil(centre + spread);
  return {
    valueMs,
    lowMs: lowRank < 1 ? -Infinity : valueAtRankMs(histogram, lowRank, n),
    highMs: highRank > n ? Infinity : valueAtRankMs(histogram, highRank, n),
    samples: n,
  };
}

/** The rank-th smallest sample (1-based). The half-rank offset keeps float rounding from skipping a rank. */
function valueAtRankMs(histogram: LatencyHistogram, rank: number, n: number): number {
  return percentileMs(histogram, ((rank - 0.5) / n) * 100);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pp`;
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(3).replace(/\.?0+$/, '')}` : x > 0 ? '∞' : '−∞');

function relativeChange(baseline: number, current: number): number {
  if (baseline === 0) return 0;
  return round(current / baseline - 1, 6);
}

function compareLatency(scope: string, metric: 'p50' | 'p95' | 'p99', percentile: number, base: ScopeData, cur: ScopeData, tol: Tolerance): ComparisonEntry {
  if (!base.histogram || !cur.histogram) {
    // no histogram to test against noise: report the numbers, never a regression
    const baseline = base.block.latencyMs[metric];
    const current = cur.block.latencyMs[metric];
    return { scope, metric, baseline, current, change: relativeChange(baseline, current), regression: false, note: 'no histogram to tell a change from noise: not judged' };
  }
  const b = percentileInterval(base.histogram, percentile);
  const c = percentileInterval(cur.histogram, percentile);
  const entry: ComparisonEntry = { scope, metric, baseline: b.valueMs, current: c.valueMs, change: relativeChange(b.valueMs, c.valueMs), regression: false };
  const diffMs = c.valueMs - b.valueMs;
  if (b.samples === 0 || c.samples === 0) return { ...entry, note: `no samples in the ${b.samples === 0 ? 'baseline' : 'current run'}` };
  if (diffMs <= 0) return { ...entry, note: 'not slower' };
  if (diffMs <= MIN_LATENCY_CHANGE_MS) return { ...entry, note: `change of ${ms(diffMs)} ms is under ${MIN_LATENCY_CHANGE_MS} ms` };
  if (diffMs <= tol.latency * b.valueMs) return { ...entry, note: `${pct(entry.change)} is within the ${pct(tol.latency).slice(1)} tolerance` };
  const intervals = `99% intervals [${ms(b.lowMs)}, ${ms(b.highMs)}] ms and [${ms(c.lowMs)}, ${ms(c.highMs)}] ms`;
  if (c.lowMs <= b.highMs) {
    const few = !Number.isFinite(b.highMs) || !Number.isFinite(c.lowMs) ? ` (too few samples for a 99% interval: ${b.samples} and ${c.samples})` : '';
    return { ...entry, note: `${pct(entry.change)} but ${intervals} overlap: within noise${few}` };
  }
  // the intervals assume independent samples; a burst (a GC pause, a noisy neighbour) breaks
  // that, so the change must also show in most time blocks of the run (a rank test over blocks)
  if (!base.timeBlocks || !cur.timeBlocks) return { ...entry, note: `${pct(entry.change)}; ${intervals} do not overlap, but the results have no time blocks to tell a change from a burst: not judged` };
  const b10 = blockValues(base.timeBlocks, percentile);
  const c10 = blockValues(cur.timeBlocks, percentile);
  if (b10.length < MIN_JUDGED_BLOCKS || c10.length < MIN_JUDGED_BLOCKS) {
    return { ...entry, note: `${pct(entry.change)}, but too few samples per time block (${b10.length} and ${c10.length} blocks usable) to tell a change from a burst: not judged` };
  }
  const z = mannWhitneyZ(b10, c10);
  if (z <= Z_TEST) return { ...entry, note: `${pct(entry.change)} but it shows in too few time blocks (rank test z = ${z.toFixed(2)} ≤ ${Z_TEST}): a burst, within noise` };
  return { ...entry, regression: true, note: `${pct(entry.change)} beyond the ${pct(tol.latency).slice(1)} tolerance; ${intervals} do not overlap, and the change holds across the run's time blocks (z = ${Number.isFinite(z) ? z.toFixed(1) : '∞'})` };
}

/** Time blocks of a group, or of all request groups added together (for the totals). */
function timeBlocksOf(result: Result): (name: string | null) => LatencyHistogram[] | null {
  const encoded = result.timeBlocks;
  if (!encoded || Object.keys(encoded).length === 0) return () => null;
  const byGroup = decodeTimeBlocks(encoded);
  return (name) => {
    if (name !== null) return byGroup.get(name) ?? null;
    const total = Array.from({ length: TIME_BLOCKS }, () => createHistogram(true));
    for (const blocks of byGroup.values()) blocks.forEach((h, i) => total[i]?.add(h));
    return total;
  };
}

function sent(block: StatsBlock): number {
  return block.requests - (block.errorKinds['dropped'] ?? 0);
}

function compareRps(scope: string, base: ScopeData, cur: ScopeData, tol: Tolerance): ComparisonEntry {
  const baseline = base.block.rps;
  const current = cur.block.rps;
  const entry: ComparisonEntry = { scope, metric: 'rps', baseline, current, change: relativeChange(baseline, current), regression: false };
  if (baseline === 0) return { ...entry, note: 'no requests sent in the baseline' };
  if (current >= baseline) return { ...entry, note: 'not lower' };
  if (baseline - current <= tol.throughput * baseline) return { ...entry, note: `${pct(entry.change)} is within the ${pct(tol.throughput).slice(1)} tolerance` };
  // Poisson counts: var(N/T) = N/T²
  const tb = base.durationMs / 1000;
  const tc = cur.durationMs / 1000;
  const nb = sent(base.block);
  const nc = sent(cur.block);
  const se = tb > 0 && tc > 0 ? Math.sqrt(nb / (tb * tb) + nc / (tc * tc)) : 0;
  const z = se > 0 ? (baseline - current) / se : Infinity;
  if (z <= Z_TEST) return { ...entry, note: `${pct(entry.change)} but within noise for ${nb} and ${nc} requests (z = ${z.toFixed(2)} ≤ ${Z_TEST})` };
  return { ...entry, regression: true, note: `${pct(entry.change)} beyond the ${pct(tol.throughput).slice(1)} tolerance (z = ${Number.isFinite(z) ? z.toFixed(1) : '∞'})` };
}

function compareErrorRate(scope: string, base: ScopeData, cur: ScopeData, tol: Tolerance): ComparisonEntry {
  const n1 = base.block.requests;
  const n2 = cur.block.requests;
  const e1 = base.block.errors;
  const e2 = cur.block.errors;
  const baseline = n1 > 0 ? e1 / n1 : 0;
  const current = n2 > 0 ? e2 / n2 : 0;
  const change = round(current - baseline, 6);
  const entry: ComparisonEntry = { scope, metric: 'errorRate', baseline: round(baseline, 6), current: round(current, 6), change, regression: false };
  if (n1 === 0 || n2 === 0) return { ...entry, note: `no requests in the ${n1 === 0 ? 'baseline' : 'current run'}` };
  if (current <= baseline) return { ...entry, note: 'not higher' };
  if (current - baseline <= tol.errorRate) return { ...entry, note: `${pp(change)} is within the ${(tol.errorRate * 100).toFixed(2)} pp tolerance` };
  // two-proportion z-test with the pooled rate
  const pooled = (e1 + e2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (current - baseline) / se : Infinity;
  if (z <= Z_TEST) return { ...entry, note: `${pp(change)} but within noise for ${e1}/${n1} and ${e2}/${n2} errors (z = ${z.toFixed(2)} ≤ ${Z_TEST})` };
  return { ...entry, regression: true, note: `${pp(change)} beyond the ${(tol.errorRate * 100).toFixed(2)} pp tolerance (two-proportion z = ${Number.isFinite(z) ? z.toFixed(1) : '∞'})` };
}

/** The histograms of a result: its encoded views, or else the sum of its cells. */
function histogramsOf(result: Result): { total: LatencyHistogram | null; group: (name: string) => LatencyHistogram | null } {
  let cells: Cell[] | null = null;
  const fromCells = (name: string | null): LatencyHistogram | null => {
    if (!Array.isArray(result.cells) || result.cells.length === 0) return null;
    cells ??= decodeCells(result);
    return sumCells(name === null ? requestCells(cells) : cells.filter((c) => c.group === name)).latency;
  };
  const decode = (encoded: string | undefined, name: string | null): LatencyHistogram | null =>
    typeof encoded === 'string' && encoded.length > 0 ? decodeHistogram(encoded) : fromCells(name);
  return {
    total: decode(result.histograms?.total, null),
    group: (name) => decode(result.histograms?.groups?.[name], name),
  };
}

export function resolveTolerance(partial: Partial<Tolerance> = {}): Tolerance {
  return {
    latency: partial.latency ?? DEFAULT_TOLERANCE.latency,
    throughput: partial.throughput ?? DEFAULT_TOLERANCE.throughput,
    errorRate: partial.errorRate ?? DEFAULT_TOLERANCE.errorRate,
  };
}

export function compareResults(baseline: Result, current: Result, opts: CompareOptions): Comparison {
  const tolerance = resolveTolerance(opts.tolerance);
  const baseHist = histogramsOf(baseline);
  const curHist = histogramsOf(current);
  const baseBlocks = timeBlocksOf(baseline);
  const curBlocks = timeBlocksOf(current);

  const scopes: { name: string; base: ScopeData; cur: ScopeData }[] = [
    {
      name: TOTAL_SCOPE,
      base: { block: baseline.totals, histogram: baseHist.total, durationMs: baseline.durationMs, timeBlocks: baseBlocks(null) },
      cur: { block: current.totals, histogram: curHist.total, durationMs: current.durationMs, timeBlocks: curBlocks(null) },
    },
  ];
  for (const [name, block] of Object.entries(baseline.groups)) {
    const other = current.groups[name];
    if (other === undefined) continue;
    scopes.push({
      name,
      base: { block, histogram: baseHist.group(name), durationMs: baseline.durationMs, timeBlocks: baseBlocks(name) },
      cur: { block: other, histogram: curHist.group(name), durationMs: current.durationMs, timeBlocks: curBlocks(name) },
    });
  }

  const entries: ComparisonEntry[] = [];
  for (const { name, base, cur } of scopes) {
    for (const [metric, percentile] of LATENCY_METRICS) entries.push(compareLatency(name, metric, percentile, base, cur, tolerance));
    entries.push(compareRps(name, base, cur, tolerance));
    entries.push(compareErrorRate(name, base, cur, tolerance));
  }
  return {
    baselineFile: opts.baselineFile,
    baselineStartedAt: baseline.startedAt,
    tolerance,
    entries,
    regressions: entries.filter((e) => e.regression).length,
  };
}

/** Refuses to compare runs of different profiles (exit 2) unless forced. */
export function assertComparable(baseline: Result, current: Result, force: boolean): void {
  if (force) return;
  if (baseline.profile.name !== current.profile.name) {
    throw new PerfctlError(
      `cannot compare runs of different profiles: baseline "${baseline.profile.name}", current "${current.profile.name}"`,
      ExitCode.invalidInput,
      'pass --force to compare them anyway',
    );
  }
}

const TOLERANCE_KEYS: Record<string, keyof Tolerance> = {
  latency: 'latency',
  throughput: 'throughput',
  rps: 'throughput',
  errorrate: 'errorRate',
  errors: 'errorRate',
};

function parsePercentText(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|pp)?$/.exec(text.trim());
  if (!match) throw usageError(`tolerance ${what}"${text}" is not a percentage`, 'write e.g. "10%"');
  if (match[2] === undefined) throw usageError(`tolerance ${what}"${text}" has no unit`, `write "${text.trim()}%"`);
  return Number(match[1]) / 100;
}

/**
 * `--tolerance 10%` (latency and throughput), or
 * `latency=5%,throughput=10%,errorRate=0.5%` (errorRate in percentage points; `pp` also accepted).
 */
export function parseTolerance(text: string): Partial<Tolerance> {
  const trimmed = text.trim();
  if (trimmed === '') throw usageError('--tolerance is empty', 'write e.g. "10%" or "latency=5%,errorRate=0.5%"');
  if (!trimmed.includes('=')) {
    const value = parsePercentText(trimmed, '');
    return { latency: value, throughput: value };
  }
  const tolerance: Partial<Tolerance> = {};
  for (const part of trimmed.split(',')) {
    const [rawKey, rawValue, ...rest] = part.split('=');
    const key = TOLERANCE_KEYS[(rawKey ?? '').trim().toLowerCase().replace(/[-_]/g, '')];
    if (key === undefined || rawValue === undefined || rest.length > 0) {
      throw usageError(`tolerance "${part.trim()}" is not one of latency=, throughput=, errorRate=`, 'write e.g. "latency=5%,throughput=10%,errorRate=0.5%"');
    }
    tolerance[key] = parsePercentText(rawValue, `${key} `);
  }
  return tolerance;
}

/** A change for the worse beyond the tolerance that the noise test did not confirm. */
export function isWithinNoise(entry: ComparisonEntry): boolean {
  return !entry.regression && (entry.note?.includes('within noise') ?? false);
}
