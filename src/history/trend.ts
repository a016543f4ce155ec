// The history of one profile (SPEC §7): its runs in time order, per group and metric the
// series, the change points (E-Divisive means), and whether the newest run sits after a change
// for the worse beyond the tolerance. Pure: results in, a History out.
import type { Tolerance } from '../compare/tolerance.js';
import { MIN_LATENCY_CHANGE_MS } from '../compare/compare.js';
import type { Result, StatsBlock } from '../result/types.js';
import { describeEDivisive, eDivisive, E_DIVISIVE_DEFAULTS, type EDivisiveOptions } from './e-divisive.js';

export const HISTORY_METRICS = ['p50', 'p95', 'p99', 'rps', 'errorRate'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

export interface HistoryRun {
  /** 1-based position in time order */
  number: number;
  file: string;
  startedAt: string;
  label: string | null;
  commit: string | null;
}

export interface HistoryChange {
  /** the first run after the change (1-based run number); the change is "after run number − 1" */
  firstRun: number;
  pValue: number;
  /** medians of the segments before and after */
  before: number;
  after: number;
  /** relative for latency and rps, absolute (points / 100) for errorRate */
  change: number;
  direction: 'worse' | 'better';
  beyondTolerance: boolean;
}

export interface HistorySeries {
  scope: string;
  metric: HistoryMetric;
  /** one value per run (null: the run has no such group) */
  values: (number | null)[];
  changes: HistoryChange[];
  /** the last change is for the worse beyond the tolerance: the newest run sits after it */
  newestAfterWorse: boolean;
}

export interface History {
  profile: string;
  runs: HistoryRun[];
  series: HistorySeries[];
  method: string;
  tolerance: Tolerance;
  /** the series whose newest run sits after a change for the worse */
  worse: HistorySeries[];
}

export interface HistoryInput {
  file: string;
  result: Result;
}

export interface HistoryOptions {
  tolerance: Tolerance;
  /** metrics to follow (default all five) */
  metrics?: readonly HistoryMetric[];
  /** groups to follow, `total` for the totals (default: the totals and every group) */
  groups?: readonly string[];
  changePoints?: Partial<EDivisiveOptions>;
}

const TOTAL = 'total';

function valueOf(block: StatsBlock | undefined, metric: HistoryMetric): number | null {
  if (!block || block.requests === 0) return null;
  if (metric === 'rps') return block.rps;
  if (metric === 'errorRate') return block.requests > 0 ? block.errors / block.requests : 0;
  return block.latencyMs[metric];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Is a step from `before` to `after` worse, and beyond the tolerance (the comparison's rules)? */
export function judgeStep(metric: HistoryMetric, before: number, after: number, tol: Tolerance): Pick<HistoryChange, 'change' | 'direction' | 'beyondTolerance'> {
  if (metric === 'errorRate') {
    const change = round6(after - before);
    return { change, direction: change > 0 ? 'worse' : 'better', beyondTolerance: change > tol.errorRate };
  }
  const change = before === 0 ? 0 : round6(after / before - 1);
  if (metric === 'rps') return { change, direction: change < 0 ? 'worse' : 'better', beyondTolerance: -change > tol.throughput };
  return { change, direction: change > 0 ? 'worse' : 'better', beyondTolerance: change > tol.latency && after - before > MIN_LATENCY_CHANGE_MS };
}

function seriesOf(scope: string, metric: HistoryMetric, results: readonly Result[], options: HistoryOptions): HistorySeries {
  const values = results.map((r) => valueOf(scope === TOTAL ? r.totals : r.groups[scope], metric));
  // the change-point search runs over the runs that have the value
  const present = values.flatMap((v, i) => (v === null ? [] : [{ v, i }]));
  const points = eDivisive(
    present.map((p) => p.v),
    options.changePoints,
  );
  const bounds = [0, ...points.map((p) => p.index), present.length];
  const changes = points.map((point, k): HistoryChange => {
    const before = median(present.slice(bounds[k]!, point.index).map((p) => p.v));
    const after = median(present.slice(point.index, bounds[k + 2]!).map((p) => p.v));
    return { firstRun: present[point.index]!.i + 1, pValue: point.pValue, before: round6(before), after: round6(after), ...judgeStep(metric, before, after, options.tolerance) };
  });
  const last = changes.at(-1);
  return { scope, metric, values, changes, newestAfterWorse: last !== undefined && last.direction === 'worse' && last.beyondTolerance };
}

/** Results of one profile, in any order: they are sorted by startedAt here. */
export function buildHistory(inputs: readonly HistoryInput[], options: HistoryOptions): History {
  const sorted = [...inputs].sort((a, b) => a.result.startedAt.localeCompare(b.result.startedAt) || a.file.localeCompare(b.file));
  const results = sorted.map((s) => s.result);
  const runs = sorted.map(({ file, result }, i): HistoryRun => ({
    number: i + 1,
    file,
    startedAt: result.startedAt,
    label: (result as { run?: { label?: string } }).run?.label ?? null,
    commit: result.environment.git,
  }));
  const allGroups = [...new Set(results.flatMap((r) => Object.keys(r.groups)))];
  const scopes = options.groups && options.groups.length > 0 ? options.groups : [TOTAL, ...allGroups];
  const metrics = options.metrics && options.metrics.length > 0 ? options.metrics : HISTORY_METRICS;
  const series: HistorySeries[] = [];
  for (const scope of scopes) for (const metric of metrics) series.push(seriesOf(scope, metric, results, options));
  const changePoints = { ...E_DIVISIVE_DEFAULTS, ...options.changePoints };
  return {
    profile: results[0]?.profile.name ?? '',
    runs,
    series,
    method: describeEDivisive(changePoints),
    tolerance: options.tolerance,
    worse: series.filter((s) => s.newestAfterWorse),
  };
}

/** `run 13 (rc-2, 3f9a2c1)`: a run as people tell them apart. */
export function describeRun(run: HistoryRun): string {
  const parts = [run.label, run.commit ? run.commit.slice(0, 7) : null].filter((p): p is string => p !== null && p !== '');
  return `run ${run.number}${parts.length > 0 ? ` (${parts.join(', ')})` : ` (${run.startedAt})`}`;
}
