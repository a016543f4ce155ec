// Target rows -> checks (pure). Each row's scope is the exact sum of the cells it covers:
// histograms are added bucket by bucket, percentiles are never averaged.
import type { PhaseWindow } from '../config/types.js';
import { matchesGlob } from '../config/glob.js';
import type { TargetCheckSpec, TargetRow } from '../config/types.js';
import { sumCells, type Cell } from '../metrics/cell.js';
import { percentileMs, sampleCount } from '../metrics/histogram.js';
import { sentRequests } from '../metrics/stats.js';
import type { TargetCheckResult } from '../result/types.js';
import type { Analysis } from '../result/analysis-types.js';
import { analysisUnit, evaluateAnalysisCheck, isAnalysisMetric, pendingAnalysisCheck } from './analysis-checks.js';

export type { PhaseWindow };

/** The cells of one row and the time they cover. */
export interface RowScope {
  sum: Cell;
  /** the phase window (clamped to the run) or the whole run, ms; 0 when the phase never ran */
  durationMs: number;
  /** false when the row names a phase this run does not have */
  phaseFound: boolean;
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

/** 'p99.9' -> 99.9; NaN when `metric` is not a percentile. */
export function parsePercentile(metric: string): number {
  const match = PERCENTILE.exec(metric);
  return match ? Number(match[1]) : Number.NaN;
}

export function isLatencyMetric(metric: string): boolean {
  return metric === 'max' || metric === 'mean' || PERCENTILE.test(metric);
}

/**
 * Samples a check needs before it means anything. A percentile q needs ceil(10 / (1 - q)):
 * at least 10 samples beyond it (p50 -> 20, p95 -> 200, p99 -> 1000, p99.9 -> 10000).
 * `max`, `mean`, `errorRate` and `rps` need one.
 */
export function requiredSamples(metric: string): number {
  const percentile = parsePercentile(metric);
  if (Number.isNaN(percentile)) return 1;
  const tailPercent = 100 - percentile;
  if (tailPercent <= 0) return 1; // p100 is the max
  // rounding to 12 digits absorbs floating-point noise: 100 - 99.9 is 0.09999999999999432
  return Math.ceil(Number((1000 / tailPercent).toPrecision(12)));
}

function phaseWindowMs(phase: PhaseWindow, runDurationMs: number): number {
  return Math.max(0, Math.min(phase.endMs, runDurationMs) - phase.startMs);
}

/** Sums the cells a row covers: groups matching any of its globs (null = all), in its phase (null = all). */
export function scopeOf(row: Pick<TargetRow, 'requests' | 'phase'>, cells: Cell[], phases: PhaseWindow[], runDurationMs: number): RowScope {
  let phaseIndex = -1;
  let durationMs = runDurationMs;
  if (row.phase !== null) {
    phaseIndex = phases.findIndex((p) => p.name === row.phase);
    if (phaseIndex < 0) return { sum: sumCells([]), durationMs: 0, phaseFound: false };
    durationMs = phaseWindowMs(phases[phaseIndex]!, runDurationMs);
  }
  const patterns = row.requests;
  const inScope = cells.filter(
    (cell) =>
      (phaseIndex < 0 || cell.phaseIndex === phaseIndex) &&
      // a flow (whole iterations) is in scope only when a row names it exactly, never through a glob or "all"
      (cell.flow === true
        ? patterns !== null && patterns.includes(cell.group)
        : patterns === null || patterns.some((pattern) => matchesGlob(cell.group, pattern))),
  );
  return { sum: sumCells(inScope, '*', phaseIndex), durationMs, phaseFound: true };
}

function unitOf(metric: string): TargetCheckResult['unit'] {
  if (isAnalysisMetric(metric)) return analysisUnit(metric);
  if (metric === 'errorRate') return 'ratio';
  if (metric === 'rps') return 'rps';
  return 'ms';
}

/** One row x one check against a scope that is already summed. */
export function evaluateCheck(row: TargetRow, spec: TargetCheckSpec, scope: RowScope): TargetCheckResult {
  // recovery, drift and memoryGrowth are judged on the run's analysis, once the run is over
  if (isAnalysisMetric(spec.metric)) return pendingAnalysisCheck(row, spec);
  const metric = spec.metric;
  const base = { row: row.name, metric, limit: spec.limit, unit: unitOf(metric), phase: row.phase };
  const finish = (r: TargetCheckResult): TargetCheckResult => ({ ...r, message: formatCheck(r) });

  if (!scope.phaseFound) {
    return finish({ ...base, actual: null, pass: false, samples: 0, insufficient: true });
  }
  const { sum } = scope;

  if (metric === 'errorRate') {
    const samples = sum.requests;
    if (samples < 1) return finish({ ...base, actual: null, pass: false, samples, insufficient: true });
    const actual = sum.errors / samples;
    // "errorRate: 0%" can only mean "no errors at all"
    const pass = spec.limit <= 0 ? sum.errors === 0 : actual < spec.limit;
    return finish({ ...base, actual, pass, samples, insufficient: false });
  }

  if (metric === 'rps') {
    const samples = sentRequests(sum);
    if (scope.durationMs <= 0) return finish({ ...base, actual: null, pass: false, samples, insufficient: true });
    const actual = samples / (scope.durationMs / 1000);
    return finish({ ...base, actual, pass: actual >= spec.limit, samples, insufficient: false });
  }

  // latency: max, mean, pN
  const samples = sampleCount(sum.latency);
  const needed = requiredSamples(metric);
  if (samples < needed) return finish({ ...base, actual: null, pass: false, samples, insufficient: true });
  let actual: number;
  if (metric === 'max') actual = Math.round(sum.latency.maxValue) / 1000; // as summariseMs reports it
  else if (metric === 'mean') actual = Math.round(sum.latency.mean) / 1000;
  else actual = percentileMs(sum.latency, parsePercentile(metric));
  return finish({ ...base, actual, pass: actual < spec.limit, samples, insufficient: false });
}

/**
 * Every row x check, in the order of the table. `phases` are the run's stage windows (the
 * cells' phaseIndex points into it); `runDurationMs` is the whole run's length, which also
 * clamps a phase's window when the run ended early. `analysis` (src/analysis/) judges the
 * recovery, drift and memoryGrowth checks; without it they are not judged.
 */
export function evaluateTargets(rows: TargetRow[], cells: Cell[], phases: PhaseWindow[], runDurationMs: number, analysis?: Analysis): TargetCheckResult[] {
  const results: TargetCheckResult[] = [];
  for (const row of rows) {
    const scope = scopeOf(row, cells, phases, runDurationMs);
    for (const spec of row.checks) {
      results.push(analysis && isAnalysisMetric(spec.metric) ? evaluateAnalysisCheck(row, spec, analysis) : evaluateCheck(row, spec, scope));
    }
  }
  return results;
}

// ---- formatting: one message for every report (JUnit, terminal, Markdown, HTML) ----

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A limit as the user wrote it: 200 -> "200", 0.5 -> "0.5". */
function formatPlain(value: number): string {
  return trimZeros(value.toFixed(3));
}

/** A measured latency (as src/report/format.ts prints them): "1234", "234.1", "5.01", "0.234". */
export function formatMs(ms: number): string {
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** A ratio as a percentage without needless zeros: 0.0231 -> "2.31%", 0.12 -> "12%", 0.00004 -> "0.004%". */
export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  if (percent === 0) return '0%';
  if (Math.abs(percent) >= 0.01) return `${trimZeros(percent.toFixed(2))}%`;
  return `${trimZeros(percent.toPrecision(2))}%`;
}

function formatValue(check: Pick<TargetCheckResult, 'unit'>, value: number, measured: boolean): string {
  switch (check.unit) {
    case 'ms':
      return `${measured ? formatMs(value) : formatPlain(value)} ms`;
    case 'ratio':
      return formatPercent(value);
    case 'rps':
      return measured ? value.toFixed(1) : formatPlain(value);
    default: {
      const never: never = check.unit;
      return String(never);
    }
  }
}

/**
 * The one-line message of a check, the same in every report:
 * `p95 123.4 ms < 200 ms`, `p95 234.1 ms > 200 ms`, `errorRate 2.31% ≥ 1%`, `rps 480.2 < 500`,
 * `p99 not judged: 200 samples, at least 1000 needed`.
 */
export function formatCheck(check: TargetCheckResult): string {
  const { metric } = check;
  const limit = formatValue(check, check.limit, false);
  if (check.actual === null) {
    const needed = requiredSamples(metric);
    const samples = check.samples ?? 0;
    if (check.unit === 'rps') return `${metric} not judged: no time in scope (limit ${limit})`;
    const noun = needed === 1 ? 'sample' : 'samples';
    return `${metric} not judged: ${samples} ${samples === 1 ? 'sample' : 'samples'}, at least ${needed} ${noun} needed (limit ${limit})`;
  }
  const actual = formatValue(check, check.actual, true);
  if (check.unit === 'rps') return `${metric} ${actual} ${check.pass ? '≥' : '<'} ${limit}`;
  if (check.pass) return `${metric} ${actual} < ${limit}`;
  if (check.unit === 'ratio') return `${metric} ${actual} ≥ ${limit}`;
  return `${metric} ${actual} ${check.actual > check.limit ? '>' : '≥'} ${limit}`;
}

/** `User Authentication p95 234.1 ms > 200 ms`: the check with its row, for verdicts and abort reasons. */
export function describeRowCheck(check: TargetCheckResult): string {
  return `${check.row} ${formatCheck(check)}`;
}
