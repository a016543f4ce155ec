// Target checks judged on the run's analysis rather than on the cells of a row's scope (pure):
//
//   recovery: 5m       the spike (the row's `phase`, or the one found) must have recovered, within 5m
//   drift: 2%          p95 of the late window at most 2% above the early one, beyond sampling noise
//                      and by at least 1 ms (see src/analysis/drift.ts); `requests` scopes it
//   memoryGrowth: 10%  the service's memory (monitor) at most 10% above its early level
//   cpu: 60%           the service's mean CPU over the row's phase (or the run) below 60% of a core
//   memory: 1.5GB      the service's peak resident memory over the row's phase (or the run) below it
//   breakingPoint: { atLeast: 400 }
//                      a staircase: fails when a step below level 400 broke; passes when the
//                      first broken step is at 400 or more, or when none broke and the highest
//                      step, at 400 or more, was shown to hold (its checks all judged)
// cpu and memory are the monitor's samples on the timeline (a point covers (t-1, t] s), so a
// row's `requests` do not narrow them: they are the whole service's.
import { formatDuration } from '../config/duration.js';
import { formatAgainst, formatLimitValue, formatMeasured } from './numbers.js';
import { sampleCount } from '../metrics/histogram.js';
import type { Cell } from '../metrics/cell.js';
import { NO_STEP_ROWS } from './analysis/breaking-point.js';
import { DRIFT_MIN_CHANGE_MS, decodeWindow, latencyDrift, scopeWindow } from './analysis/drift.js';
import type { AnalysisMetric, TargetCheckSpec, TargetMetric, TargetRow } from '../config/types.js';
import type { Analysis, DriftMetric } from '../result/analysis-types.js';
import type { TargetCheckResult, TimelinePoint } from '../result/types.js';
import type { PhaseWindow } from '../config/types.js';

const ANALYSIS_METRICS: readonly AnalysisMetric[] = ['recovery', 'drift', 'memoryGrowth', 'cpu', 'memory', 'breakingPoint'];

export function isAnalysisMetric(metric: TargetMetric | string): metric is AnalysisMetric {
  return (ANALYSIS_METRICS as readonly string[]).includes(metric);
}

/** The percentile a `drift` check bounds. */
export const DRIFT_PERCENTILE = 95;
/** Samples each window needs before a p95 drift means anything (as a p95 target needs). */
export const DRIFT_MIN_SAMPLES = 200;

export function analysisUnit(metric: AnalysisMetric): TargetCheckResult['unit'] {
  if (metric === 'recovery') return 'ms';
  if (metric === 'memory') return 'MB';
  if (metric === 'breakingPoint') return 'level';
  return 'ratio';
}

/** What the resource checks read besides the analysis: the timeline with the monitor's samples, and the stage windows. */
export interface MeasuredRun {
  timeline: TimelinePoint[];
  phases: PhaseWindow[];
}

const signedPercent = (ratio: number): string => {
  const percent = ratio * 100;
  const text = Math.abs(percent) >= 10 ? percent.toFixed(1) : percent.toFixed(2);
  return `${percent >= 0 ? '+' : ''}${text.replace(/\.?0+$/, '')}%`;
};
const plainPercent = (ratio: number): string => `${(ratio * 100).toFixed(4).replace(/\.?0+$/, '')}%`;
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const seconds = (valueMs: number): string => (valueMs < 60_000 ? `${(valueMs / 1000).toFixed(valueMs % 1000 === 0 ? 0 : 1)} s` : formatDuration(Math.round(valueMs / 1000) * 1000));

type Base = Pick<TargetCheckResult, 'row' | 'metric' | 'limit' | 'unit' | 'phase' | 'severity'>;

function notJudged(base: Base, reason: string, samples = 0): TargetCheckResult {
  return { ...base, actual: null, state: 'uncertain', pass: false, samples, message: `${base.metric} not judged: ${reason}` };
}

/** Before the run is over (abortOnFail), and for a table evaluated without an analysis. */
export function pendingAnalysisCheck(row: TargetRow, spec: TargetCheckSpec): TargetCheckResult {
  const metric = spec.metric as AnalysisMetric;
  return notJudged({ row: row.name, metric, limit: spec.limit, unit: analysisUnit(metric), phase: row.phase, severity: spec.severity ?? 'fail' }, 'judged on the whole run once it is over');
}

export function evaluateAnalysisCheck(row: TargetRow, spec: TargetCheckSpec, analysis: Analysis, run: MeasuredRun = { timeline: [], phases: [] }): TargetCheckResult {
  const metric = spec.metric as AnalysisMetric;
  const base: Base = { row: row.name, metric, limit: spec.limit, unit: analysisUnit(metric), phase: row.phase, severity: spec.severity ?? 'fail' };
  switch (metric) {
    case 'recovery':
      return recoveryCheck(base, row, spec, analysis);
    case 'drift':
      return driftCheck(base, row, analysis);
    case 'memoryGrowth':
      return memoryCheck(base, analysis);
    case 'cpu':
    case 'memory':
      return resourceCheck(base, row, analysis, run);
    case 'breakingPoint':
      return breakingPointCheck(base, analysis);
    default: {
      const never: never = metric;
      throw new Error(`unknown analysis metric ${String(never)}`);
    }
  }
}

function recoveryCheck(base: Base, row: TargetRow, spec: TargetCheckSpec, analysis: Analysis): TargetCheckResult {
  const recovery = analysis.recovery;
  const written = spec.writtenLimit;
  const limit = `${formatDuration(base.limit)}${written !== undefined && written !== base.limit ? `, ${formatDuration(written)} scaled by -d` : ''}`;
  if (!recovery) return notJudged(base, `no spike stage in this run (name a stage "spike" or set the row's phase)`);
  const judged = { ...base, phase: row.phase ?? recovery.spikePhase };
  if (row.phase !== null && row.phase !== recovery.spikePhase) {
    return notJudged(judged, `recovery was measured after ${recovery.spikePhase}, not ${row.phase}`);
  }
  if (recovery.note !== undefined) return notJudged(judged, recovery.note);
  if (!recovery.recovered || recovery.recoveryMs === null) {
    return { ...judged, actual: null, state: 'fail', pass: false, message: `recovery: not recovered by the end of the run (limit ${limit})` };
  }
  const pass = recovery.recoveryMs <= base.limit;
  return { ...judged, actual: recovery.recoveryMs, state: pass ? 'pass' : 'fail', pass, message: `recovery ${seconds(recovery.recoveryMs)} ${pass ? '≤' : '>'} ${limit}` };
}

const decodedWindows = new WeakMap<object, { early: Cell[]; late: Cell[] }>();

/** The drift windows' cells, decoded once per analysis. */
function windowsOf(analysis: Analysis): { early: Cell[]; late: Cell[] } | null {
  const drift = analysis.drift;
  if (!drift?.windowCells) return null;
  let decoded = decodedWindows.get(drift);
  if (!decoded) {
    decoded = { early: decodeWindow(drift.windowCells, 'early'), late: decodeWindow(drift.windowCells, 'late') };
    decodedWindows.set(drift, decoded);
  }
  return decoded;
}

function driftCheck(base: Base, row: TargetRow, analysis: Analysis): TargetCheckResult {
  const drift = analysis.drift;
  if (!drift) return notJudged(base, 'the run has no steady span long enough to compare an early and a late window');
  const judged = { ...base, phase: row.phase ?? drift.phase };
  if (row.phase !== null && row.phase !== drift.phase) return notJudged(judged, `drift was measured on ${drift.phase ?? 'the whole run'}, not ${row.phase}`);
  let metric: DriftMetric;
  let samples: number;
  if (row.requests === null && !drift.windowCells) {
    metric = drift.p95;
    samples = Math.min(drift.early.requests, drift.late.requests);
  } else {
    const windows = windowsOf(analysis);
    if (!windows) return notJudged(judged, 'a drift scoped to some requests needs the windows’ histograms, which this result does not carry');
    const early = scopeWindow(windows.early, row.requests);
    const late = scopeWindow(windows.late, row.requests);
    samples = Math.min(sampleCount(early.latency), sampleCount(late.latency));
    metric = latencyDrift(early.latency, late.latency, DRIFT_PERCENTILE);
  }
  if (samples < DRIFT_MIN_SAMPLES) return notJudged(judged, `${samples} samples in a window, at least ${DRIFT_MIN_SAMPLES} needed`, samples);
  if (metric.change === null) return notJudged(judged, 'no latency in the early window', samples);
  return judgeDrift(judged, metric, samples);
}

/** Pass unless the change is beyond its limit even at the low end of its noise interval, and at least 1 ms. */
export function judgeDrift(base: Base, metric: DriftMetric, samples: number): TargetCheckResult {
  const change = metric.change ?? 0;
  const low = metric.changeLow ?? change;
  const deltaMs = metric.late - metric.early;
  const limit = plainPercent(base.limit);
  const figures = `p95 ${ms(metric.early)} → ${ms(metric.late)} ms`;
  const noise = metric.changeLow !== undefined && metric.changeHigh !== undefined ? ` (95% interval ${signedPercent(metric.changeLow)}..${signedPercent(metric.changeHigh)})` : '';
  const outcome = { ...base, actual: change, samples };
  if (change <= base.limit) return { ...outcome, state: 'pass', pass: true, message: `drift ${signedPercent(change)} (${figures}) ≤ ${limit}` };
  if (deltaMs < DRIFT_MIN_CHANGE_MS) {
    return { ...outcome, state: 'pass', pass: true, message: `drift ${signedPercent(change)} (${figures}) is under ${DRIFT_MIN_CHANGE_MS} ms: not counted against ${limit}` };
  }
  if (low <= base.limit) {
    return { ...outcome, state: 'pass', pass: true, message: `drift ${signedPercent(change)} (${figures}) is within sampling noise${noise}: not beyond ${limit}` };
  }
  return { ...outcome, state: 'fail', pass: false, message: `drift ${signedPercent(change)} (${figures}) > ${limit}${noise}` };
}

function memoryCheck(base: Base, analysis: Analysis): TargetCheckResult {
  const resources = analysis.resources;
  if (!resources) return notJudged(base, 'no memory samples: set `monitor:` in the profile (a pid or a metrics URL)');
  if (resources.memoryGrowth === null || resources.startMemoryMB === null || resources.endMemoryMB === null) {
    return notJudged(base, resources.problem ?? 'too few memory samples', resources.samples);
  }
  const growth = resources.memoryGrowth;
  const pass = growth < base.limit;
  const figures = `${resources.startMemoryMB} → ${resources.endMemoryMB} MB`;
  return {
    ...base,
    actual: growth,
    state: pass ? 'pass' : 'fail',
    pass,
    samples: resources.samples,
    message: `memoryGrowth ${signedPercent(growth)} (${figures}) ${pass ? '<' : '≥'} ${plainPercent(base.limit)}`,
  };
}

/** The timeline points with a monitor sample in the row's phase (or the whole run). */
function pointsInScope(row: TargetRow, run: MeasuredRun): TimelinePoint[] | null {
  if (row.phase === null) return run.timeline;
  const phase = run.phases.find((p) => p.name === row.phase);
  if (!phase) return null;
  // a point covers (t-1, t] s: in the phase when it overlaps the phase's window
  return run.timeline.filter((p) => p.t * 1000 > phase.startMs && (p.t - 1) * 1000 < phase.endMs);
}

function resourceCheck(base: Base, row: TargetRow, analysis: Analysis, run: MeasuredRun): TargetCheckResult {
  if (!analysis.resources) return notJudged(base, 'no samples of the service: set `monitor:` in the profile (a pid or a metrics URL)');
  const points = pointsInScope(row, run);
  if (points === null) return notJudged(base, `no stage named ${row.phase} ran`);
  const scope = row.phase === null ? 'the run' : row.phase;
  const limit = formatLimitValue(base.unit, base.limit);
  if (base.metric === 'cpu') {
    const cpu = points.filter((p) => p.cpuPercent !== undefined).map((p) => p.cpuPercent! / 100);
    if (cpu.length === 0) return notJudged(base, `no CPU sample in ${scope}${analysis.resources.problem ? ` (${analysis.resources.problem})` : ''}`);
    const actual = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    const pass = actual < base.limit;
    const shown = formatAgainst('ratio', actual, base.limit);
    return { ...base, actual, samples: cpu.length, state: pass ? 'pass' : 'fail', pass, message: `cpu ${shown} of a core (mean of ${cpu.length} samples over ${scope}) ${pass ? '<' : '≥'} ${limit}` };
  }
  const memory = points.filter((p) => p.memoryMB !== undefined).map((p) => p.memoryMB!);
  if (memory.length === 0) return notJudged(base, `no memory sample in ${scope}${analysis.resources.problem ? ` (${analysis.resources.problem})` : ''}`);
  const actual = Math.max(...memory);
  const pass = actual < base.limit;
  return { ...base, actual, samples: memory.length, state: pass ? 'pass' : 'fail', pass, message: `memory peak ${formatAgainst('MB', actual, base.limit)} (of ${memory.length} samples over ${scope}) ${pass ? '<' : '≥'} ${limit}` };
}

function breakingPointCheck(base: Base, analysis: Analysis): TargetCheckResult {
  const bp = analysis.breakingPoint;
  if (!bp) return notJudged(base, 'no staircase in this run (3 or more steady stages, each higher than the one before)');
  const atLeast = base.limit;
  const level = (x: number): string => formatMeasured('level', x);
  const steps = bp.steps.length;
  const broken = bp.firstBroken;
  if (broken && broken.level < atLeast) {
    const why = broken.failed[0] ? `: ${broken.failed[0].row} ${broken.failed[0].message}` : '';
    return { ...base, actual: broken.level, samples: steps, state: 'fail', pass: false, message: `breakingPoint: ${broken.phase} at ${level(broken.level)} broke${why} (below ${level(atLeast)})` };
  }
  if (bp.note === NO_STEP_ROWS) return notJudged(base, NO_STEP_ROWS, steps);
  if (broken) {
    // the staircase's breaking point is its first broken step; the steps below it did not break
    return { ...base, actual: broken.level, samples: steps, state: 'pass', pass: true, message: `breakingPoint: first broken at ${broken.phase} (${level(broken.level)}) ≥ ${level(atLeast)}` };
  }
  // nothing broke: the highest step that held must reach the level, and be shown to have held
  const held = bp.steps.filter((s) => s.complete && s.pass);
  const topStep = held.reduce<(typeof held)[number] | undefined>((a, b) => (a === undefined || b.level > a.level ? b : a), undefined);
  const top = topStep?.level ?? null;
  if (topStep && topStep.level >= atLeast && topStep.insufficient > 0) {
    return notJudged(base, `${topStep.phase} at ${level(topStep.level)} held, but ${topStep.insufficient} of its checks had too few samples (a longer run would judge it)`, steps);
  }
  if (top !== null && top >= atLeast) {
    return { ...base, actual: top, samples: steps, state: 'pass', pass: true, message: `breakingPoint: every step held, up to ${level(top)} ≥ ${level(atLeast)}` };
  }
  return notJudged(base, top === null ? 'no step ran to its end' : `every step held, but the highest was ${level(top)}: the staircase never reached ${level(atLeast)}`, steps);
}
