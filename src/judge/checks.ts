// Target rows -> checks (pure), SPEC §3. Each row's scope is the exact sum of the cells it
// covers (histograms added bucket by bucket, percentiles never averaged), and each check is
// judged with its one-sided 95% bound (binomial.ts):
//
//   pass       the bound is within the limit
//   fail       the value itself is beyond the limit, however few the samples
//   uncertain  the value is within the limit but the bound is not (or there is no bound yet)
//
// `confidence: off` on a row judges on the values alone. max, mean and rps have no bound and
// are judged on their values.
import { matchesGlob } from '../config/glob.js';
import type { PhaseWindow, Severity, TargetCheckSpec, TargetRow } from '../config/types.js';
import { sumCells, type Cell } from '../metrics/cell.js';
import { countBelowMs, percentileMs, sampleCount, valueAtRankMs } from '../metrics/histogram.js';
import { sentRequests } from '../metrics/stats.js';
import type { CheckState, TargetCheckResult } from '../result/types.js';
import type { Analysis } from '../result/analysis-types.js';
import { analysisUnit, evaluateAnalysisCheck, isAnalysisMetric, pendingAnalysisCheck, type MeasuredRun } from './analysis-checks.js';
import { minimumSamplesForPercentile, percentileUpperRank, rateUpperBound, samplesToShowPercentile, samplesToShowRate } from './binomial.js';
import { formatAgainst, formatLimitValue, formatMeasured } from './numbers.js';
import { phaseOfRow, stageOfScenarioPhase } from '../config/normalise-scenarios.js';

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
 * The least samples with which a check can pass at all: a percentile's bound needs
 * log(0.05)/log(q) (p50 5, p95 59, p99 299, p99.9 2995); an error rate under a limit L needs
 * log(0.05)/log(1 − L) requests without an error (1%: 299). Others need one.
 */
export function leastSamples(spec: Pick<TargetCheckSpec, 'metric' | 'limit'>): number {
  const percentile = parsePercentile(spec.metric);
  if (!Number.isNaN(percentile) && percentile > 0 && percentile < 100) return minimumSamplesForPercentile(percentile / 100);
  if (spec.metric === 'errorRate' && spec.limit > 0 && spec.limit < 1) return samplesToShowRate(0, spec.limit) ?? 1;
  return 1;
}

function phaseWindowMs(phase: PhaseWindow, runDurationMs: number): number {
  return Math.max(0, Math.min(phase.endMs, runDurationMs) - phase.startMs);
}

/** Sums the cells a row covers: groups matching any of its globs (null = all), in its phase (null = all). */
export function scopeOf(row: Pick<TargetRow, 'requests' | 'phase' | 'scenario'>, cells: Cell[], phases: PhaseWindow[], runDurationMs: number): RowScope {
  let phaseIndex = -1;
  let durationMs = runDurationMs;
  // a row of one scenario (no phase): that scenario's phases, over its own window
  let scenarioPhases: Set<number> | undefined;
  const phase = phaseOfRow(row);
  if (phase !== null) {
    phaseIndex = phases.findIndex((p) => p.name === phase);
    if (phaseIndex < 0) return { sum: sumCells([]), durationMs: 0, phaseFound: false };
    durationMs = phaseWindowMs(phases[phaseIndex]!, runDurationMs);
  } else if (row.scenario !== undefined) {
    const own = phases.flatMap((p, index) => (stageOfScenarioPhase(row.scenario!, p.name) !== undefined ? [index] : []));
    if (own.length === 0) return { sum: sumCells([]), durationMs: 0, phaseFound: false };
    scenarioPhases = new Set(own);
    const startMs = Math.min(...own.map((index) => phases[index]!.startMs));
    const endMs = Math.max(...own.map((index) => phases[index]!.endMs));
    durationMs = Math.max(0, Math.min(endMs, runDurationMs) - startMs);
  }
  const patterns = row.requests;
  const inScope = cells.filter(
    (cell) =>
      (phaseIndex < 0 || cell.phaseIndex === phaseIndex) &&
      (scenarioPhases === undefined || scenarioPhases.has(cell.phaseIndex)) &&
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

interface Judged {
  actual: number | null;
  state: CheckState;
  samples: number;
  bound?: number | null;
  samplesNeeded?: number;
}

/** must stay below: fail at or beyond the limit; pass when the bound (or, without confidence, the value) is below it */
function judgeBelow(actual: number, bound: number | null, limit: number, confident: boolean): CheckState {
  if (actual >= limit) return 'fail';
  if (!confident) return 'pass';
  return bound !== null && bound < limit ? 'pass' : 'uncertain';
}

function judgePercentile(sum: Cell, percentile: number, limit: number, confident: boolean): Judged {
  const histogram = sum.latency;
  const samples = sampleCount(histogram);
  if (samples < 1) return { actual: null, state: 'uncertain', samples, bound: null, samplesNeeded: minimumSamplesForPercentile(percentile / 100) };
  const q = percentile / 100;
  const actual = percentileMs(histogram, percentile);
  const rank = percentileUpperRank(samples, q);
  const bound = rank === null ? null : valueAtRankMs(histogram, rank);
  const state = judgeBelow(actual, bound, limit, confident);
  if (state !== 'uncertain') return { actual, state, samples, bound };
  const needed = samplesToShowPercentile(q, countBelowMs(histogram, limit) / samples);
  return { actual, state, samples, bound, ...(needed !== null ? { samplesNeeded: needed } : {}) };
}

function judgeErrorRate(sum: Cell, limit: number, confident: boolean): Judged {
  const samples = sum.requests;
  if (samples < 1) return { actual: null, state: 'uncertain', samples, bound: null, ...(limit > 0 ? { samplesNeeded: samplesToShowRate(0, limit) ?? 1 } : {}) };
  const actual = sum.errors / samples;
  const bound = rateUpperBound(sum.errors, samples);
  // "errorRate: 0%" can only mean "no errors at all": no bound can show it, the count does
  if (limit <= 0) return { actual, state: sum.errors === 0 ? 'pass' : 'fail', samples, bound };
  const state = judgeBelow(actual, bound, limit, confident);
  if (state !== 'uncertain') return { actual, state, samples, bound };
  const needed = samplesToShowRate(actual, limit);
  return { actual, state, samples, bound, ...(needed !== null ? { samplesNeeded: needed } : {}) };
}

/** One row x one check against a scope that is already summed. */
export function evaluateCheck(row: TargetRow, spec: TargetCheckSpec, scope: RowScope): TargetCheckResult {
  // recovery, drift and memoryGrowth are judged on the run's analysis, once the run is over
  if (isAnalysisMetric(spec.metric)) return pendingAnalysisCheck(row, spec);
  const metric = spec.metric;
  const severity: Severity = spec.severity ?? 'fail';
  const base = { row: row.name, metric, limit: spec.limit, unit: unitOf(metric), severity, phase: row.phase, ...(row.scenario !== undefined ? { scenario: row.scenario } : {}) };
  const confident = row.confidence !== false;
  const finish = (judged: Judged): TargetCheckResult => {
    const check: TargetCheckResult = { ...base, ...judged, pass: judged.state === 'pass' };
    return { ...check, message: formatCheck(check) };
  };

  if (!scope.phaseFound) return finish({ actual: null, state: 'uncertain', samples: 0 });
  const { sum } = scope;

  if (metric === 'errorRate') return finish(judgeErrorRate(sum, spec.limit, confident));

  if (metric === 'rps') {
    const samples = sentRequests(sum);
    if (scope.durationMs <= 0) return finish({ actual: null, state: 'uncertain', samples });
    const actual = samples / (scope.durationMs / 1000);
    return finish({ actual, state: actual >= spec.limit ? 'pass' : 'fail', samples });
  }

  const percentile = parsePercentile(metric);
  if (!Number.isNaN(percentile)) return finish(judgePercentile(sum, percentile, spec.limit, confident));

  // max and mean: their values
  const samples = sampleCount(sum.latency);
  if (samples < 1) return finish({ actual: null, state: 'uncertain', samples });
  const actual = metric === 'max' ? Math.round(sum.latency.maxValue) / 1000 : Math.round(sum.latency.mean) / 1000; // as summariseMs reports them
  return finish({ actual, state: actual < spec.limit ? 'pass' : 'fail', samples });
}

/**
 * Every row x check, in the order of the table. `phases` are the run's stage windows (the
 * cells' phaseIndex points into it); `runDurationMs` is the whole run's length, which also
 * clamps a phase's window when the run ended early. `analysis` judges the recovery, drift,
 * breaking point and resource checks (cpu and memory also read the timeline's monitor samples);
 * without it they are not judged.
 */
export function evaluateTargets(rows: TargetRow[], cells: Cell[], phases: PhaseWindow[], runDurationMs: number, analysis?: Analysis, timeline: MeasuredRun['timeline'] = []): TargetCheckResult[] {
  const results: TargetCheckResult[] = [];
  for (const row of rows) {
    const scope = scopeOf(row, cells, phases, runDurationMs);
    for (const spec of row.checks) {
      results.push(analysis && isAnalysisMetric(spec.metric) ? evaluateAnalysisCheck(row, spec, analysis, { timeline, phases }) : evaluateCheck(row, spec, scope));
    }
  }
  return results;
}

// ---- one message for every report (JUnit, terminal, Markdown, HTML) ----

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The state of a check, also for results written before check states existed. */
export function stateOf(check: Pick<TargetCheckResult, 'pass'> & Partial<Pick<TargetCheckResult, 'state' | 'insufficient'>>): CheckState {
  return check.state ?? (check.insufficient === true ? 'uncertain' : check.pass ? 'pass' : 'fail');
}

function evidenceNoun(check: TargetCheckResult): string {
  return check.metric === 'errorRate' ? 'request' : 'sample';
}

/**
 * The one-line message of a check, the same in every report:
 * `p95 123.4 ms < 200 ms`, `p95 234.1 ms > 200 ms`, `errorRate 2.31% ≥ 1%`, `rps 480.2/s < 500/s`,
 * `p99 2.91 ms < 50 ms, uncertain: 150 samples cannot show it (299 can)`.
 */
export function formatCheck(check: TargetCheckResult): string {
  const { metric, unit } = check;
  const limit = formatLimitValue(unit, check.limit);
  const samples = check.samples ?? 0;
  const noun = evidenceNoun(check);
  if (check.actual === null) {
    if (unit === 'rps') return `${metric} not judged: no time in scope (limit ${limit})`;
    const needed = check.samplesNeeded !== undefined ? `; ${check.samplesNeeded} would judge it` : '';
    return `${metric} not judged: ${plural(samples, noun)} (limit ${limit})${needed}`;
  }
  const actual = formatAgainst(unit, check.actual, check.limit);
  const state = stateOf(check);
  if (unit === 'rps') return `${metric} ${actual} ${state === 'pass' ? '≥' : '<'} ${limit}`;
  if (state === 'fail') return `${metric} ${actual} ${check.actual > check.limit && unit !== 'ratio' ? '>' : '≥'} ${limit}`;
  if (state === 'pass') return `${metric} ${actual} < ${limit}`;
  const about = check.samplesNeeded !== undefined ? ` (about ${check.samplesNeeded} would)` : '';
  if (check.bound === null || check.bound === undefined) {
    return `${metric} ${actual} < ${limit}, uncertain: ${plural(samples, noun)} cannot show it under the limit${about}`;
  }
  return `${metric} ${actual} < ${limit}, uncertain: its 95% bound is ${formatMeasured(unit, check.bound)} from ${plural(samples, noun)}${about}`;
}

/** `User Authentication p95 234.1 ms > 200 ms`: the check with its row, for verdicts and abort reasons. */
export function describeRowCheck(check: TargetCheckResult): string {
  return `${check.row} ${check.message ?? formatCheck(check)}`;
}
