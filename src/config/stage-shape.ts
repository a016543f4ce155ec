// The shape of a run's stages, read for the analyses (pure): which stage is the spike and
// which one it is measured against, which steady hold a soak's drift is measured on, and
// which stages make a stress staircase. Works on planned stages (levels after --scale,
// windows after --duration), so the same answer comes before the run and after it.
import type { StageWindow, TargetRow } from './types.js';

export type { StageWindow };

const timed = (s: StageWindow): boolean => s.endMs > s.startMs;
const isHold = (s: StageWindow): boolean => timed(s) && s.fromLevel === s.toLevel;
const peakOf = (s: StageWindow): number => Math.max(s.fromLevel, s.toLevel);

/** A spike is at least this many times the level of the stage before it (when detected, not named). */
export const SPIKE_MIN_FACTOR = 2;

export interface SpikeStages {
  spike: StageWindow;
  /** the nearest timed stage before the spike; null when the spike is the first stage */
  reference: StageWindow | null;
}

/**
 * The spike: the stage a target row's `phase` names for its `recovery` check, else a timed
 * stage named `spike`, else the timed stage with the highest level that is at least twice the
 * level of the timed stage before it and is followed by a lower timed stage. Zero-length
 * stages (instant jumps and drops) are skipped when looking for the stages around it.
 */
export function findSpike(stages: StageWindow[], rows: TargetRow[] = []): SpikeStages | null {
  const named = rows.find((row) => row.phase !== null && row.checks.some((c) => c.metric === 'recovery'))?.phase;
  let spike: StageWindow | undefined;
  if (named) spike = stages.find((s) => s.name === named);
  spike ??= stages.find((s) => timed(s) && s.name.toLowerCase() === 'spike');
  if (!spike) {
    let best: StageWindow | undefined;
    for (const stage of stages) {
      if (!timed(stage)) continue;
      const before = previousTimed(stages, stage.index);
      const after = stages.slice(stage.index + 1).find(timed);
      // a spike comes back down: the next timed stage is lower (a staircase goes on up)
      if (!before || !after || after.toLevel >= peakOf(stage)) continue;
      if (peakOf(stage) < SPIKE_MIN_FACTOR * peakOf(before) || peakOf(stage) === 0) continue;
      if (!best || peakOf(stage) > peakOf(best)) best = stage;
    }
    spike = best;
  }
  if (!spike) return null;
  return { spike, reference: previousTimed(stages, spike.index) ?? null };
}

function previousTimed(stages: StageWindow[], index: number): StageWindow | undefined {
  for (let i = index - 1; i >= 0; i--) if (timed(stages[i]!)) return stages[i];
  return undefined;
}

/** One steady hold must cover at least this share of the planned run to be analysed as a soak unasked. */
export const SOAK_MIN_SHARE = 0.85;

export interface DriftSpan {
  /** the stage compared; null for the whole run */
  phase: string | null;
  startMs: number;
  endMs: number;
}

export interface DriftWindows {
  span: DriftSpan;
  warmupMs: number;
  early: { startMs: number; endMs: number };
  late: { startMs: number; endMs: number };
}

/** The first 10% of the span is warm-up; the early window is the next 20%, the late window the last 20%. */
export const DRIFT_WARMUP_SHARE = 0.1;
export const DRIFT_WINDOW_SHARE = 0.2;
/** Shorter spans are not analysed: their windows would hold a handful of seconds. */
export const DRIFT_MIN_SPAN_MS = 10_000;

/**
 * The span whose drift is measured, or null when the run has none:
 * - a `drift` (or `memoryGrowth`) row's `phase`;
 * - else, when a row asks for drift or memory growth: the longest steady hold, or the whole
 *   run when there is none;
 * - else the longest steady hold if it covers at least 85% of the planned run (a soak's shape).
 */
export function findDriftSpan(stages: StageWindow[], rows: TargetRow[] = []): DriftSpan | null {
  const totalMs = stages.reduce((end, s) => Math.max(end, s.endMs), 0);
  const asking = rows.filter((row) => row.checks.some((c) => c.metric === 'drift' || c.metric === 'memoryGrowth'));
  const named = asking.find((row) => row.phase !== null)?.phase;
  if (named) {
    const stage = stages.find((s) => s.name === named);
    if (stage) return { phase: stage.name, startMs: stage.startMs, endMs: stage.endMs };
  }
  let longest: StageWindow | undefined;
  for (const stage of stages) {
    if (isHold(stage) && stage.fromLevel > 0 && (!longest || stage.endMs - stage.startMs > longest.endMs - longest.startMs)) longest = stage;
  }
  if (asking.length > 0) {
    return longest ? { phase: longest.name, startMs: longest.startMs, endMs: longest.endMs } : { phase: null, startMs: 0, endMs: totalMs };
  }
  if (longest && totalMs > 0 && (longest.endMs - longest.startMs) / totalMs >= SOAK_MIN_SHARE) {
    return { phase: longest.name, startMs: longest.startMs, endMs: longest.endMs };
  }
  return null;
}

/** The early and late windows of a span (ms since the start of the run); null when the span is too short. */
export function driftWindows(span: DriftSpan): DriftWindows | null {
  const lengthMs = span.endMs - span.startMs;
  if (lengthMs < DRIFT_MIN_SPAN_MS) return null;
  const warmupMs = Math.round(lengthMs * DRIFT_WARMUP_SHARE);
  const windowMs = Math.round(lengthMs * DRIFT_WINDOW_SHARE);
  return {
    span,
    warmupMs,
    early: { startMs: span.startMs + warmupMs, endMs: span.startMs + warmupMs + windowMs },
    late: { startMs: span.endMs - windowMs, endMs: span.endMs },
  };
}

/** A staircase needs at least this many steps. */
export const STAIRCASE_MIN_STEPS = 3;

/**
 * The steps of a stress staircase: the longest run of steady holds with strictly increasing
 * levels, where whatever lies between two holds only ramps up (or jumps instantly). Empty when
 * the run has fewer than three such steps.
 */
export function findStaircase(stages: StageWindow[]): StageWindow[] {
  let best: StageWindow[] = [];
  let current: StageWindow[] = [];
  for (const stage of stages) {
    if (isHold(stage)) {
      const last = current[current.length - 1];
      if (last && stage.toLevel > last.toLevel) current.push(stage);
      else current = [stage];
    } else if (timed(stage) && stage.toLevel < stage.fromLevel) {
      current = []; // a ramp down ends a staircase
    }
    if (current.length > best.length) best = [...current];
  }
  return best.length >= STAIRCASE_MIN_STEPS ? best : [];
}

/** Planned stages with their windows, from a result's `profile.stages` and `phases` (same order). */
export function stageWindows(
  stages: Array<{ name: string; durationMs: number; fromLevel: number; toLevel: number }>,
  phases?: Array<{ name: string; startMs: number; endMs: number }>,
): StageWindow[] {
  let cursor = 0;
  return stages.map((stage, index) => {
    const phase = phases?.[index];
    const startMs = phase?.startMs ?? cursor;
    const endMs = phase?.endMs ?? startMs + stage.durationMs;
    cursor = endMs;
    return { name: stage.name, index, startMs, endMs, durationMs: endMs - startMs, fromLevel: stage.fromLevel, toLevel: stage.toLevel };
  });
}
