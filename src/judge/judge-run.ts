// The one judge (pure): `run`, `merge` and `report` all decide a verdict here. From what a
// run measured (its cells, timeline and windows) and the target rows it computes every
// analysis (recovery, drift, breaking point, resources), every check, the comparison with a
// baseline and the verdict with its one sentence, in that order, once.
import { stageWindows } from '../config/stage-shape.js';
import { assertComparable, compareResults, type Tolerance } from '../compare/compare.js';
import type { TargetRow } from '../config/types.js';
import { judgeOwnFailures } from '../engine/generator-health.js';
import { rateWindowMs } from '../metrics/stats.js';
import type { Cell } from '../metrics/cell.js';
import type { Analysis } from '../result/analysis-types.js';
import type { Comparison, Judgement, MeasuredResult, Result } from '../result/types.js';
import { analyseMerged, analyseRun, type AnalyseInput, type MonitorInfo } from './analysis/analyse.js';
import { evaluateTargets } from './checks.js';
import { decideVerdict } from './verdict.js';

export interface Measurement {
  result: MeasuredResult;
  /** the run's exact data (result.cells decoded); phaseIndex points into result.phases */
  cells: Cell[];
}

export interface Baseline {
  /** one result, or several runs (a directory, --repeat): each one observation */
  results: Result[];
  /** as the user named it, for the reports */
  file: string;
  tolerance?: Partial<Tolerance>;
}

export interface JudgeContext {
  baseline?: Baseline;
  /** what the live observers saw during the run */
  live?: {
    driftCells?: AnalyseInput['driftCells'];
    stoppedAtBreak?: boolean;
    /** the abortOnFail check that stopped the run */
    abortedBy?: string | null;
  };
  monitor?: MonitorInfo;
  /** merge: the shards' own results (drift windows and resources come from them) */
  shards?: Array<{ analysis?: Analysis }>;
}

/** The comparison with a baseline: the one call into src/compare. */
function compareWith(baseline: Baseline, measured: MeasuredResult): Comparison {
  // compare reads only what was measured (totals, groups, cells, time blocks, profile)
  const current = measured as Result;
  for (const b of baseline.results) assertComparable(b, current, false);
  const label = baseline.results.length === 1 ? baseline.file : `${baseline.results.length} results in ${baseline.file}`;
  return {
    ...compareResults(baseline.results, current, { baselineFile: label, ...(baseline.tolerance ? { tolerance: baseline.tolerance } : {}) }),
    baselineHistogram: baseline.results[0]!.histograms.total,
  };
}

export function judgeRun(measurement: Measurement, rows: TargetRow[], context: JudgeContext = {}): Judgement {
  const { result, cells } = measurement;
  const analysis = context.shards
    ? analyseMerged(result, cells, rows, context.shards)
    : analyseRun({
        result,
        cells,
        rows,
        driftCells: context.live?.driftCells ?? null,
        ...(context.monitor ? { monitor: context.monitor } : {}),
        stoppedAtBreak: context.live?.stoppedAtBreak === true,
      });
  const plannedMs = stageWindows(result.profile.stages, result.phases).reduce((end, s) => Math.max(end, s.endMs), 0);
  // rates over the planned length (a run ends at its last answer); a stopped run over what it ran
  const stopped = result.status !== 'completed' || context.live?.stoppedAtBreak === true;
  const targets = evaluateTargets(rows, cells, result.phases, rateWindowMs(!stopped, plannedMs, result.durationMs), analysis, result.timeline);
  const comparison = context.baseline ? compareWith(context.baseline, result) : undefined;
  const decision = decideVerdict({
    status: result.status,
    checks: targets,
    regressions: comparison?.regressions ?? 0,
    compared: comparison !== undefined,
    ...(comparison ? { baselineLabel: comparison.baselineFile } : {}),
    // perfctl's own failures (it fell behind, it ran out of sockets) are never the service's fault
    inconclusiveReason: result.generator?.problem ?? judgeOwnFailures(cells),
    abortedBy: context.live?.abortedBy ?? null,
    plannedMs,
  });
  return {
    verdict: decision.verdict,
    reason: decision.reason,
    targets,
    ...(comparison ? { comparison } : {}),
    ...(analysis ? { analysis } : {}),
  };
}

/**
 * A checkpoint's judgement (status `running`): every row's latency, error-rate and throughput
 * checks on the data so far; the checks on the whole run (recovery, drift, resources, breaking
 * point) wait for its end. The verdict is inconclusive and says what has failed so far.
 */
export function judgeSoFar(measurement: Measurement, rows: TargetRow[]): Judgement {
  const { result, cells } = measurement;
  const targets = evaluateTargets(rows, cells, result.phases, result.durationMs);
  const decision = decideVerdict({ status: 'running', checks: targets, regressions: 0, inconclusiveReason: null, abortedBy: null });
  return { verdict: decision.verdict, reason: decision.reason, targets };
}

/** The target rows travel inside the resolved profile every result carries (merge and report judge again from them). */
export function targetRowsOf(result: Pick<Result, 'profile'>): TargetRow[] {
  const rows = (result.profile.resolved as { targets?: unknown } | undefined)?.targets;
  return Array.isArray(rows) ? (rows as TargetRow[]) : [];
}
