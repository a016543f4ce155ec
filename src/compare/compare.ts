// Baseline vs current (pure, SPEC §7). The one entry point:
//
//   compareResults(baseline: Result | Result[], current: Result | Result[],
//                  { baselineFile: string, tolerance?: Partial<Tolerance> }): Comparison
//
// `baselineFile` only names the baseline in the reports (a file, or "3 results in base/").
// Nothing is read or printed here; the caller decides what a regression does to the verdict
// (`comparison.regressions > 0` fails a run).
//
// Scopes: the totals, each group, each phase, and each group within each phase (phases
// matched by name; a phase or group on one side only is listed, not compared). Metrics: p50,
// p95, p99, rps, errorRate. A regression is a change for the worse that is beyond the
// tolerance (10% latency and throughput, 1 point of error rate, never a latency change under
// 1 ms) AND beyond noise, judged on that scope's own data:
//
// - Percentiles: distribution-free 99% intervals from the order statistics (ranks
//   nq ± 2.576·sqrt(nq(1−q)), read from the histograms) must not overlap; and the change must
//   hold across the scope's time blocks (10 per run, or 10 per phase): a one-sided
//   Mann-Whitney test over the blocks' percentiles, so a burst (a GC pause, a noisy
//   neighbour) is not a regression. Its p-value is the entry's.
// - errorRate: one-sided two-proportion z-test (pooled rate). rps: the sent-request counts as
//   Poisson counts over the scope's window, one-sided z-test.
// - Many entries: Holm's step-down method over the tested entries keeps the chance of any false
//   alarm in a comparison at most ALPHA (1%), however many scopes a profile has; and no entry
//   is held to a level above MAX_ENTRY_LEVEL (0.1%), however few entries there are.
// - Several runs a side: each side's data is pooled for the tests above (blocks of every run),
//   and, when both sides have two or more runs, the change must also hold across runs: a
//   one-sided Mann-Whitney test over the runs' values at RUN_ALPHA (5%), exact; 3 runs a side
//   is the fewest that can pass it (p = 1/20).
//
// An entry the data cannot judge (too few samples for the interval, too few usable blocks,
// no histograms, too few runs) has state "not-judged" and says why; it is never "ok".
import { PerfctlError, ExitCode } from '../errors.js';
import { createHistogram, percentileMs, sampleCount, type LatencyHistogram } from '../metrics/histogram.js';
import { holmLevels } from './holm.js';
import { mannWhitneyP, normalQuantileUpper, normalUpperTail } from './rank-test.js';
import { matchScopes, scopeLabel, scopesOf, type ScopeData, type ScopeKey } from './scopes.js';
import { resolveTolerance, type Tolerance } from './tolerance.js';
import type { Comparison, ComparisonEntry, ComparisonState, Result } from '../result/types.js';

export { DEFAULT_TOLERANCE, parseTolerance, resolveTolerance, type Tolerance } from './tolerance.js';
export { TOTAL_SCOPE } from './scopes.js';

/** A latency change under this is never a regression, whatever its relative size. */
export const MIN_LATENCY_CHANGE_MS = 1;
/** z for the two-sided 99% order-statistic intervals of percentiles. */
export const Z_INTERVAL = 2.576;
/** The chance of any false alarm in one comparison (Holm over its entries). */
export const ALPHA = 0.01;
/** No entry is held to a looser level than this, however few entries a comparison has. */
export const MAX_ENTRY_LEVEL = 0.001;
/** With several runs on both sides, the change must hold across runs at this level. */
export const RUN_ALPHA = 0.05;
/** Fewest usable time blocks on each side for the block test to judge a change. */
export const MIN_JUDGED_BLOCKS = 5;

const LATENCY_METRICS = [
  ['p50', 50],
  ['p95', 95],
  ['p99', 99],
] as const;

export interface CompareOptions {
  /** how the reports name the baseline: its file, or e.g. "5 results in base/" */
  baselineFile: string;
  tolerance?: Partial<Tolerance>;
}

/** One side of a scope: each run's data, and the runs pooled. */
interface Side {
  runs: ScopeData[];
  histogram: LatencyHistogram | null;
  /** every run's blocks, one after the other; null when a run has none */
  timeBlocks: LatencyHistogram[] | null;
  requests: number;
  errors: number;
  sent: number;
  durationMs: number;
}

/** An entry before Holm: its p-value when it was tested (1 when it cannot be a regression), and whether it is a candidate. */
interface Judged {
  entry: ComparisonEntry;
  p: number | null;
  candidate: boolean;
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

/** Fewest samples for a bounded upper end of the interval of this percentile (p99: 657). */
export function samplesForInterval(percentile: number, z = Z_INTERVAL): number {
  const q = percentile / 100;
  for (let n = 1; n < 1e7; n = n < 100 ? n + 1 : Math.ceil(n * 1.001)) {
    if (Math.ceil(n * q + z * Math.sqrt(n * q * (1 - q))) <= n && Math.floor(n * q - z * Math.sqrt(n * q * (1 - q))) >= 1) return n;
  }
  return Infinity;
}

/** The rank-th smallest sample (1-based). The half-rank offset keeps float rounding from skipping a rank. */
function valueAtRankMs(histogram: LatencyHistogram, rank: number, n: number): number {
  return percentileMs(histogram, ((rank - 0.5) / n) * 100);
}

/** A block's percentile q counts when it rests on at least 2/(1 − q) samples. */
function blockValues(blocks: LatencyHistogram[], percentile: number): number[] {
  const needed = Math.ceil(2 / (1 - percentile / 100));
  return blocks.filter((h) => sampleCount(h) >= needed).map((h) => percentileMs(h, percentile));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pp`;
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(3).replace(/\.?0+$/, '')}` : x > 0 ? '∞' : '−∞');
/** p-values in notes: 2 significant digits */
export const formatP = (p: number): string => (p >= 0.001 ? p.toPrecision(2).replace(/\.?0+$/, '') : p.toExponential(1));

function relativeChange(baseline: number, current: number): number {
  if (baseline === 0) return 0;
  return round(current / baseline - 1, 6);
}

function makeEntry(key: ScopeKey, metric: ComparisonEntry['metric'], baseline: number, current: number, change: number): ComparisonEntry {
  return {
    scope: scopeLabel(key),
    ...(key.phase !== null ? { phase: key.phase } : {}),
    ...(key.group !== null ? { group: key.group } : {}),
    metric,
    baseline,
    current,
    change,
    regression: false,
    state: 'ok',
  };
}

const notJudged = (entry: ComparisonEntry, why: string): Judged => ({ entry: { ...entry, state: 'not-judged', note: `not judged: ${why}` }, p: null, candidate: false });
const ok = (entry: ComparisonEntry, note: string): Judged => ({ entry: { ...entry, state: 'ok', note }, p: 1, candidate: false });
const noise = (entry: ComparisonEntry, note: string, p = 1): Judged => ({ entry: { ...entry, state: 'noise', note: `${note}: within noise` }, p, candidate: false });

/** Smallest one-sided p-value the exact Mann-Whitney test can give for n1 against n2 values: 1 / C(n1+n2, n1). */
function smallestRankP(n1: number, n2: number): number {
  let c = 1;
  for (let i = 1; i <= n1; i++) c = (c * (n2 + i)) / i;
  return 1 / c;
}

/**
 * With several runs on both sides, the change must hold across runs. Returns null when it
 * does (or when a side has a single run), else the judged entry saying why not.
 */
function acrossRuns(entry: ComparisonEntry, base: number[], cur: number[], worseIsHigher: boolean, note: string): Judged | 'ok' {
  if (base.length < 2 || cur.length < 2) return 'ok';
  if (smallestRankP(base.length, cur.length) > RUN_ALPHA) {
    return notJudged(entry, `${note}, but ${base.length} and ${cur.length} runs cannot show a change across runs at ${RUN_ALPHA * 100}% (at least 3 runs a side)`);
  }
  const p = worseIsHigher ? mannWhitneyP(base, cur) : mannWhitneyP(base.map((v) => -v), cur.map((v) => -v));
  if (p > RUN_ALPHA) return noise(entry, `${note}, but it does not hold across the ${base.length} and ${cur.length} runs (rank test over runs p = ${formatP(p)} > ${RUN_ALPHA})`);
  return 'ok';
}

function compareLatency(key: ScopeKey, metric: 'p50' | 'p95' | 'p99', percentile: number, base: Side, cur: Side, tol: Tolerance): Judged {
  if (!base.histogram || !cur.histogram) {
    const b = base.runs[0]!.block.latencyMs[metric];
    const c = cur.runs[0]!.block.latencyMs[metric];
    return notJudged(makeEntry(key, metric, b, c, relativeChange(b, c)), 'no histograms to tell a change from noise');
  }
  const b = percentileInterval(base.histogram, percentile);
  const c = percentileInterval(cur.histogram, percentile);
  const entry = makeEntry(key, metric, b.valueMs, c.valueMs, relativeChange(b.valueMs, c.valueMs));
  if (b.samples === 0 || c.samples === 0) return notJudged(entry, `no samples in the ${b.samples === 0 ? 'baseline' : 'current run'}`);
  if (!Number.isFinite(b.highMs) || !Number.isFinite(c.lowMs) || !Number.isFinite(b.lowMs) || !Number.isFinite(c.highMs)) {
    return notJudged(entry, `too few samples for a 99% interval of ${metric} (${b.samples} and ${c.samples}; it needs ${samplesForInterval(percentile)})`);
  }
  if (!base.timeBlocks || !cur.timeBlocks) return notJudged(entry, `the ${!base.timeBlocks ? 'baseline' : 'current'} result has no time blocks for this scope (written by an older perfctl) to tell a change from a burst`);
  const bBlocks = blockValues(base.timeBlocks, percentile);
  const cBlocks = blockValues(cur.timeBlocks, percentile);
  if (bBlocks.length < MIN_JUDGED_BLOCKS || cBlocks.length < MIN_JUDGED_BLOCKS) {
    const needed = Math.ceil(2 / (1 - percentile / 100));
    return notJudged(entry, `too few samples per time block for ${metric} (${bBlocks.length} and ${cBlocks.length} blocks with ${needed} or more; it needs ${MIN_JUDGED_BLOCKS} a side)`);
  }
  const diffMs = c.valueMs - b.valueMs;
  if (diffMs <= 0) return ok(entry, 'not slower');
  if (diffMs <= MIN_LATENCY_CHANGE_MS) return ok(entry, `change of ${ms(diffMs)} ms is under ${MIN_LATENCY_CHANGE_MS} ms`);
  if (diffMs <= tol.latency * b.valueMs) return ok(entry, `${pct(entry.change)} is within the ${pct(tol.latency).slice(1)} tolerance`);
  const intervals = `99% intervals [${ms(b.lowMs)}, ${ms(b.highMs)}] ms and [${ms(c.lowMs)}, ${ms(c.highMs)}] ms`;
  if (c.lowMs <= b.highMs) return noise(entry, `${pct(entry.change)} but ${intervals} overlap`);
  const runs = acrossRuns(
    entry,
    base.runs.map((r) => (r.histogram ? percentileMs(r.histogram, percentile) : 0)),
    cur.runs.map((r) => (r.histogram ? percentileMs(r.histogram, percentile) : 0)),
    true,
    pct(entry.change),
  );
  if (runs !== 'ok') return runs;
  // the intervals assume independent samples; a burst breaks that, so the change must also
  // show in most time blocks (the entry's p-value, held to Holm's level)
  const p = mannWhitneyP(bBlocks, cBlocks);
  return {
    entry: { ...entry, pValue: p, note: `${pct(entry.change)} beyond the ${pct(tol.latency).slice(1)} tolerance; ${intervals} do not overlap; rank test over ${bBlocks.length} and ${cBlocks.length} time blocks p = ${formatP(p)}` },
    p,
    candidate: true,
  };
}

function compareRps(key: ScopeKey, base: Side, cur: Side, tol: Tolerance): Judged {
  const tb = base.durationMs / 1000;
  const tc = cur.durationMs / 1000;
  const baseline = tb > 0 ? round(base.sent / tb, 3) : 0;
  const current = tc > 0 ? round(cur.sent / tc, 3) : 0;
  const entry = makeEntry(key, 'rps', baseline, current, relativeChange(baseline, current));
  if (tb <= 0 || tc <= 0) return notJudged(entry, 'a side has no time window');
  if (base.sent === 0) return notJudged(entry, 'no requests sent in the baseline');
  // Poisson counts: var(N/T) = N/T²; even no request at all in the current run could not be shown below sqrt(N) ≤ z
  const zNeeded = normalQuantileUpper(ALPHA);
  if (Math.sqrt(base.sent) <= zNeeded) return notJudged(entry, `${base.sent} requests in the baseline are too few to show a drop`);
  if (current >= baseline) return ok(entry, 'not lower');
  if (baseline - current <= tol.throughput * baseline) return ok(entry, `${pct(entry.change)} is within the ${pct(tol.throughput).slice(1)} tolerance`);
  const se = Math.sqrt(base.sent / (tb * tb) + cur.sent / (tc * tc));
  const z = se > 0 ? (baseline - current) / se : Infinity;
  const runs = acrossRuns(entry, base.runs.map(runRps), cur.runs.map(runRps), false, pct(entry.change));
  if (runs !== 'ok') return runs;
  const p = normalUpperTail(z);
  return {
    entry: { ...entry, pValue: p, note: `${pct(entry.change)} beyond the ${pct(tol.throughput).slice(1)} tolerance; ${base.sent} and ${cur.sent} requests, z = ${Number.isFinite(z) ? z.toFixed(1) : '∞'}, p = ${formatP(p)}` },
    p,
    candidate: true,
  };
}

function runRps(run: ScopeData): number {
  return run.durationMs > 0 ? (run.block.requests - (run.block.errorKinds['dropped'] ?? 0)) / (run.durationMs / 1000) : 0;
}

function compareErrorRate(key: ScopeKey, base: Side, cur: Side, tol: Tolerance): Judged {
  const { requests: n1, errors: e1 } = base;
  const { requests: n2, errors: e2 } = cur;
  const baseline = n1 > 0 ? e1 / n1 : 0;
  const current = n2 > 0 ? e2 / n2 : 0;
  const change = round(current - baseline, 6);
  const entry = makeEntry(key, 'errorRate', round(baseline, 6), round(current, 6), change);
  if (n1 === 0 || n2 === 0) return notJudged(entry, `no requests in the ${n1 === 0 ? 'baseline' : 'current run'}`);
  const zOf = (errors2: number): number => {
    const pooled = (e1 + errors2) / (n1 + n2);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    const diff = errors2 / n2 - baseline;
    return se > 0 ? diff / se : diff > 0 ? Infinity : 0;
  };
  // even every current request failing could not be told from noise: the counts are too small
  if (zOf(n2) <= normalQuantileUpper(ALPHA)) return notJudged(entry, `${n1} and ${n2} requests are too few to show a rise in the error rate`);
  if (current <= baseline) return ok(entry, 'not higher');
  if (current - baseline <= tol.errorRate) return ok(entry, `${pp(change)} is within the ${(tol.errorRate * 100).toFixed(2)} pp tolerance`);
  const z = zOf(e2);
  const runs = acrossRuns(entry, base.runs.map(runErrorRate), cur.runs.map(runErrorRate), true, pp(change));
  if (runs !== 'ok') return runs;
  const p = normalUpperTail(z);
  return {
    entry: { ...entry, pValue: p, note: `${pp(change)} beyond the ${(tol.errorRate * 100).toFixed(2)} pp tolerance; ${e1}/${n1} and ${e2}/${n2} errors, two-proportion z = ${Number.isFinite(z) ? z.toFixed(1) : '∞'}, p = ${formatP(p)}` },
    p,
    candidate: true,
  };
}

function runErrorRate(run: ScopeData): number {
  return run.block.requests > 0 ? run.block.errors / run.block.requests : 0;
}

function pool(runs: ScopeData[]): Side {
  const histograms = runs.map((r) => r.histogram);
  let histogram: LatencyHistogram | null = null;
  if (histograms.every((h) => h !== null)) {
    if (histograms.length === 1) histogram = histograms[0]!;
    else {
      histogram = createHistogram();
      for (const h of histograms) histogram.add(h!);
    }
  }
  const blocks = runs.map((r) => r.timeBlocks);
  return {
    runs,
    histogram,
    timeBlocks: blocks.every((b) => b !== null) ? blocks.flatMap((b) => b!) : null,
    requests: runs.reduce((n, r) => n + r.block.requests, 0),
    errors: runs.reduce((n, r) => n + r.block.errors, 0),
    sent: runs.reduce((n, r) => n + r.block.requests - (r.block.errorKinds['dropped'] ?? 0), 0),
    durationMs: runs.reduce((n, r) => n + r.durationMs, 0),
  };
}

const asList = (x: Result | readonly Result[]): readonly Result[] => (Array.isArray(x) ? x : [x as Result]);

export function compareResults(baseline: Result | readonly Result[], current: Result | readonly Result[], opts: CompareOptions): Comparison {
  const tolerance = resolveTolerance(opts.tolerance);
  const baselines = asList(baseline);
  const currents = asList(current);
  if (baselines.length === 0 || currents.length === 0) throw new Error('compareResults needs at least one result a side');
  const baseScopes = baselines.map(scopesOf);
  const curScopes = currents.map(scopesOf);
  const matched = matchScopes(baseScopes, curScopes);

  const judged: Judged[] = [];
  for (const key of matched.keys) {
    const base = pool(baseScopes.map((s) => s.get(key)!));
    const cur = pool(curScopes.map((s) => s.get(key)!));
    for (const [metric, percentile] of LATENCY_METRICS) judged.push(compareLatency(key, metric, percentile, base, cur, tolerance));
    judged.push(compareRps(key, base, cur, tolerance));
    judged.push(compareErrorRate(key, base, cur, tolerance));
  }

  const levels = holmLevels(judged.map((j) => j.p), ALPHA, MAX_ENTRY_LEVEL);
  const tested = judged.filter((j) => j.p !== null).length;
  const entries = judged.map(({ entry, p, candidate }, i): ComparisonEntry => {
    if (!candidate) return entry;
    const level = levels[i];
    if (level !== null && level !== undefined) return { ...entry, regression: true, state: 'regression', level, note: `${entry.note} ≤ ${formatP(level)} (Holm over ${tested} entries)` };
    // a latency change that fails even the unadjusted level shows in too few time blocks: a burst for this scope
    const burst = p !== null && p > ALPHA && entry.metric !== 'rps' && entry.metric !== 'errorRate';
    const why = burst ? `: the change holds in too few of the scope's time blocks (a burst here), within noise` : `: not below Holm's level over ${tested} entries, within noise`;
    return { ...entry, state: 'noise', note: `${entry.note}${why}` };
  });
  const state = (s: ComparisonState): number => entries.filter((e) => e.state === s).length;
  return {
    baselineFile: opts.baselineFile,
    baselineStartedAt: baselines.map((r) => r.startedAt).sort().at(-1)!,
    tolerance,
    entries,
    regressions: state('regression'),
    method: {
      alpha: ALPHA,
      correction: 'holm',
      tested,
      notJudged: state('not-judged'),
      baselineRuns: baselines.length,
      currentRuns: currents.length,
      ...(baselines.length > 1 && currents.length > 1 ? { runAlpha: RUN_ALPHA } : {}),
    },
    ...(matched.onlyInBaseline.length > 0 ? { onlyInBaseline: matched.onlyInBaseline } : {}),
    ...(matched.onlyInCurrent.length > 0 ? { onlyInCurrent: matched.onlyInCurrent } : {}),
  };
}

/** Refuses to compare runs of different profiles (exit 2) unless forced; `file` names the odd one. */
export function assertComparable(baseline: Result, current: Result, force: boolean, file?: string): void {
  if (force) return;
  if (baseline.profile.name !== current.profile.name) {
    throw new PerfctlError(
      `${file ? `${file}: ` : ''}cannot compare runs of different profiles: baseline "${baseline.profile.name}", current "${current.profile.name}"`,
      ExitCode.invalidInput,
      'pass --force to compare them anyway',
    );
  }
}

/** A change for the worse beyond the tolerance that the noise tests did not confirm. */
export function isWithinNoise(entry: ComparisonEntry): boolean {
  return entry.state === 'noise' || (entry.state === undefined && !entry.regression && (entry.note?.includes('within noise') ?? false));
}

/** An entry the data could not judge (also in results written before entries had a state). */
export function isNotJudged(entry: ComparisonEntry): boolean {
  return entry.state === 'not-judged' || (entry.state === undefined && /not judged/.test(entry.note ?? ''));
}
