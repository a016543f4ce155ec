// The analysis of a finished run (pure): which analyses apply to its shape, and each of them
// computed once from the timeline and the cells. Reports only render the result.
//
//   recovery       when the run has a spike (stages.ts findSpike)
//   drift          when it has a steady span to compare (findDriftSpan): a soak's shape, or a
//                  `drift`/`memoryGrowth` target
//   resources      when a monitor sampled the service
//   breakingPoint  when it has a staircase (findStaircase)
import { percentileMs } from '../../metrics/histogram.js';
import { addCellInto, createCell, requestCells, sumCells, type Cell } from '../../metrics/cell.js';
import { encodeCell } from '../../metrics/cell-codec.js';
import { analyseBreakingPoint } from './breaking-point.js';
import { analyseDriftFromCells, analyseDriftFromTimeline, decodeWindow, type WindowCells } from './drift.js';
import { analyseRecovery, type RecoveryOptions } from './recovery.js';
import { analyseResources } from './resources.js';
import { driftWindows, findDriftSpan, findSpike, findStaircase, stageWindows, type DriftWindows, type SpikeStages, type StageWindow } from '../../config/stage-shape.js';
import type { StageSpec, TargetRow } from '../../config/types.js';
import type { PhaseWindow } from '../checks.js';
import type { Analysis } from '../../result/analysis-types.js';
import type { ResultCell, TimelinePoint } from '../../result/types.js';

/** What a run's shape calls for, known from the plan before anything is sent. */
export interface AnalysisPlan {
  stages: StageWindow[];
  spike: SpikeStages | null;
  drift: DriftWindows | null;
  staircase: StageWindow[];
}

export function planAnalysis(stages: StageWindow[], rows: TargetRow[]): AnalysisPlan {
  const span = findDriftSpan(stages, rows);
  return {
    stages,
    spike: findSpike(stages, rows),
    drift: span ? driftWindows(span) : null,
    staircase: findStaircase(stages),
  };
}

export interface MonitorInfo {
  /** `pid 1234` or the URL */
  source: string;
  intervalMs: number;
  problem?: string;
}

/** What the analyses read of a run: its planned stages, their windows, the timeline and its length. */
export interface AnalysedRun {
  profile: { stages: Array<Pick<StageSpec, 'name' | 'durationMs' | 'fromLevel' | 'toLevel'>> };
  phases: PhaseWindow[];
  timeline: TimelinePoint[];
  durationMs: number;
}

export interface AnalyseInput {
  /** a Result, or the same fields of a run in progress of being assembled */
  result: AnalysedRun;
  /** the run's cells; their phaseIndex points into result.phases */
  cells: Cell[];
  rows: TargetRow[];
  /** the drift windows' cells captured during the run (drift-capture.ts); else the timeline is used */
  driftCells?: { early: WindowCells; late: WindowCells } | null;
  /** set when a monitor ran (its samples are on the timeline) */
  monitor?: MonitorInfo;
  /** stopOnBreak ended the run */
  stoppedAtBreak?: boolean;
  recovery?: RecoveryOptions;
}

function encodeWindow(cells: Cell[], phase: 'early' | 'late'): ResultCell[] {
  return cells.map((cell) => {
    const { phaseIndex: _window, ...rest } = encodeCell(cell);
    return { ...rest, phase };
  });
}


/** Every analysis the run calls for; undefined when none does. */
export function analyseRun(input: AnalyseInput): Analysis | undefined {
  const { result, cells, rows } = input;
  const stages = stageWindows(result.profile.stages, result.phases);
  const plan = planAnalysis(stages, rows);
  const analysis: Analysis = {};

  if (plan.spike) {
    const ref = plan.spike.reference;
    const refCells = ref ? sumCells(requestCells(cells).filter((c) => c.phaseIndex === ref.index)) : null;
    analysis.recovery = analyseRecovery({
      timeline: result.timeline,
      stages: plan.spike,
      reference: refCells
        ? { p95Ms: percentileMs(refCells.latency, 95), errorRate: refCells.requests === 0 ? 0 : refCells.errors / refCells.requests, requests: refCells.requests }
        : null,
      ...(input.recovery ? { options: input.recovery } : {}),
    });
  }

  if (plan.drift) {
    const windows = plan.drift;
    if (result.durationMs <= windows.late.startMs) {
      // the run ended before the late window: nothing to compare
    } else if (input.driftCells) {
      analysis.drift = {
        ...analyseDriftFromCells(windows, input.driftCells.early, input.driftCells.late),
        windowCells: [...encodeWindow(input.driftCells.early.cells, 'early'), ...encodeWindow(input.driftCells.late.cells, 'late')],
      };
    } else {
      analysis.drift = analyseDriftFromTimeline(windows, result.timeline);
    }
  }

  if (input.monitor) {
    analysis.resources = analyseResources({
      timeline: result.timeline,
      source: input.monitor.source,
      intervalMs: input.monitor.intervalMs,
      windows: plan.drift,
      runDurationMs: result.durationMs,
      ...(input.monitor.problem !== undefined ? { problem: input.monitor.problem } : {}),
    });
  }

  if (plan.staircase.length > 0) {
    analysis.breakingPoint = analyseBreakingPoint({
      steps: plan.staircase,
      rows,
      cells,
      phases: result.phases,
      runDurationMs: result.durationMs,
      stoppedEarly: input.stoppedAtBreak === true,
    });
  }

  return Object.keys(analysis).length > 0 ? analysis : undefined;
}

/**
 * The analysis of shards merged into one result (`perfctl merge`): recovery and the breaking
 * point again on the merged timeline and cells; drift from the shards' window cells added
 * together (exact); the service's resources as the first shard that sampled them saw them
 * (every shard watches the same service).
 */
export function analyseMerged(merged: AnalysedRun, cells: Cell[], rows: TargetRow[], shards: Array<{ analysis?: Analysis }>): Analysis | undefined {
  const driftOf = shards.map((s) => s.analysis?.drift).filter((d): d is NonNullable<Analysis['drift']> => d?.windowCells !== undefined);
  let driftCells: AnalyseInput['driftCells'] = null;
  if (driftOf.length === shards.length && driftOf.length > 0) {
    const window = (phase: 'early' | 'late'): WindowCells => {
      const byGroup = new Map<string, Cell>();
      for (const drift of driftOf) {
        for (const decoded of decodeWindow(drift.windowCells!, phase)) {
          const cell = byGroup.get(decoded.group) ?? createCell(decoded.group, -1, decoded.flow === true);
          addCellInto(cell, decoded);
          byGroup.set(decoded.group, cell);
        }
      }
      const first = driftOf[0]![phase];
      return { startMs: first.startMs, endMs: first.endMs, cells: [...byGroup.values()] };
    };
    driftCells = { early: window('early'), late: window('late') };
  }
  const stoppedAtBreak = shards.some((s) => s.analysis?.breakingPoint?.stoppedEarly === true);
  const analysis = analyseRun({ result: merged, cells, rows, driftCells, stoppedAtBreak }) ?? {};
  const resources = shards.find((s) => s.analysis?.resources)?.analysis?.resources;
  if (resources) analysis.resources = resources;
  return Object.keys(analysis).length > 0 ? analysis : undefined;
}
