// Stress breaking point (pure): each step of a staircase judged against the target table on
// that step's own data (the cells of that stage), as if every row had `phase: <step>`.
//
//   rows judged   rows without a `phase` (a row with one is about its own stage); their
//                 latency and errorRate checks. `rps` is left out (a throughput target is for
//                 the run, and a low step could never meet it), and so are recovery, drift and
//                 memoryGrowth (they judge the whole run)
//   step breaks   when one of those checks fails on it with enough samples; a check with too
//                 few samples neither breaks a step nor lets it pass unjudged silently (counted)
//   lastGood      the last step before the first broken one (it must have run to its end)
//   firstBroken   the first step that broke, with the checks that did
import { isAnalysisMetric } from '../analysis-checks.js';
import { evaluateTargets } from '../checks.js';
import { requestCells, sumCells, type Cell } from '../../metrics/cell.js';
import { sentRequests } from '../../metrics/stats.js';
import type { TargetRow } from '../../config/types.js';
import type { BreakingPointAnalysis, BreakingStep, BreakingStepFailure } from '../../result/analysis-types.js';
import type { TargetCheckResult } from '../../result/types.js';
import type { PhaseWindow } from '../checks.js';
import type { StageWindow } from '../../config/stage-shape.js';

/** The rows and checks a step is judged by, with the row's phase set to the step. */
export function stepRows(rows: TargetRow[], step: string): TargetRow[] {
  return rows
    .filter((row) => row.phase === null)
    .map((row) => ({ ...row, phase: step, checks: row.checks.filter((c) => c.metric !== 'rps' && !isAnalysisMetric(c.metric)) }))
    .filter((row) => row.checks.length > 0);
}

function failure(check: TargetCheckResult): BreakingStepFailure {
  return { row: check.row, metric: check.metric, limit: check.limit, actual: check.actual, unit: check.unit, message: check.message ?? '' };
}

export interface BreakingPointInput {
  steps: StageWindow[];
  rows: TargetRow[];
  cells: Cell[];
  /** every stage's window (the cells' phaseIndex points into it) */
  phases: PhaseWindow[];
  runDurationMs: number;
  /** true when stopOnBreak ended the run */
  stoppedEarly?: boolean;
}

/** One step judged on its own cells. */
export function judgeStep(step: StageWindow, rows: TargetRow[], cells: Cell[], phases: PhaseWindow[], runDurationMs: number): BreakingStep {
  const checks = evaluateTargets(stepRows(rows, step.name), cells, phases, runDurationMs);
  const own = sumCells(requestCells(cells).filter((c) => c.phaseIndex === step.index));
  const windowMs = Math.max(0, Math.min(step.endMs, runDurationMs) - step.startMs);
  const failed = checks.filter((c) => c.state === 'fail');
  return {
    phase: step.name,
    level: step.toLevel,
    rps: windowMs > 0 ? Math.round((sentRequests(own) / (windowMs / 1000)) * 10) / 10 : 0,
    requests: own.requests,
    pass: failed.length === 0,
    complete: runDurationMs >= step.endMs,
    failed: failed.map(failure),
    insufficient: checks.filter((c) => c.state === 'uncertain').length,
  };
}

export function analyseBreakingPoint(input: BreakingPointInput): BreakingPointAnalysis {
  const steps = input.steps
    .filter((step) => step.startMs < input.runDurationMs)
    .map((step) => judgeStep(step, input.rows, input.cells, input.phases, input.runDurationMs))
    .filter((step) => step.requests > 0 || step.complete);
  const brokenIndex = steps.findIndex((s) => !s.pass);
  const before = brokenIndex < 0 ? steps : steps.slice(0, brokenIndex);
  let good: BreakingStep | undefined;
  for (let i = before.length - 1; i >= 0 && !good; i--) if (before[i]!.complete) good = before[i];
  const broken = brokenIndex < 0 ? undefined : steps[brokenIndex]!;
  const analysis: BreakingPointAnalysis = {
    steps,
    lastGood: good ? { phase: good.phase, level: good.level, rps: good.rps } : null,
    firstBroken: broken ? { phase: broken.phase, level: broken.level, rps: broken.rps, failed: broken.failed } : null,
    stoppedEarly: input.stoppedEarly === true,
  };
  const judged = input.rows.some((row) => row.phase === null && row.checks.some((c) => c.metric !== 'rps' && !isAnalysisMetric(c.metric)));
  if (!judged) return { ...analysis, note: NO_STEP_ROWS };
  if (!broken) return { ...analysis, note: 'every step held its targets: the breaking point lies above the last step' };
  return analysis;
}

export const NO_STEP_ROWS = 'no target row without a phase has a latency or error-rate check to judge the steps by';

export interface BreakDecision {
  step: string;
  /** `step-7 (300 VUs): Whole API errorRate 2.1% ≥ 1%` */
  reason: string;
}

export interface BreakWatchOptions {
  /** a step is judged while it runs only once this share of it has passed; default 0.5 */
  minShare?: number;
  /** and only on checks with at least this many samples; default 100 */
  minSamples?: number;
  /** a finished step is judged this long after its end, when its last answers are in; default 1000 */
  settleMs?: number;
}

/**
 * `stopOnBreak`, during the run: once a step has clearly broken, say so. A step is judged when
 * half of it has passed (then every second) and once more when it has ended; "clearly" is a
 * failed check with at least 100 samples. Pure with respect to time, like AbortWatch.
 */
export class BreakWatch {
  private readonly minShare: number;
  private readonly minSamples: number;
  private readonly settleMs: number;
  private readonly judgedDone = new Set<number>();

  constructor(
    private readonly steps: StageWindow[],
    private readonly rows: TargetRow[],
    private readonly phases: PhaseWindow[],
    opts: BreakWatchOptions = {},
  ) {
    this.minShare = opts.minShare ?? 0.5;
    this.minSamples = opts.minSamples ?? 100;
    this.settleMs = opts.settleMs ?? 1000;
  }

  get active(): boolean {
    return this.steps.length > 0 && this.steps.some((s) => stepRows(this.rows, s.name).length > 0);
  }

  check(cells: () => Cell[], elapsedMs: number): BreakDecision | null {
    let data: Cell[] | undefined;
    const cellsOnce = (): Cell[] => (data ??= cells());
    for (const step of this.steps) {
      if (this.judgedDone.has(step.index) || elapsedMs < step.startMs) continue;
      const ended = elapsedMs >= step.endMs + this.settleMs;
      const halfway = elapsedMs - step.startMs >= this.minShare * (step.endMs - step.startMs);
      if (!ended && !halfway) continue;
      if (ended) this.judgedDone.add(step.index);
      const checks = evaluateTargets(stepRows(this.rows, step.name), cellsOnce(), this.phases, elapsedMs);
      const broken = checks.find((c) => c.state === 'fail' && (c.samples ?? 0) >= this.minSamples);
      if (broken) return { step: step.name, reason: `${step.name}: ${broken.row} ${broken.message ?? broken.metric}` };
    }
    return null;
  }
}
