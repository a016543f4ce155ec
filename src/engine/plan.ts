// The plan: the whole load shape, computed before anything is sent (k6's "plan apart from
// the run"). Pure: `list`, the run banner, the pacer and the executors all read it.
import type { LoadModel, StageSpec, StageWindow } from '../config/types.js';

/** A planned stage is a stage with its window (config/types.ts StageWindow). */
export type PlannedStage = StageWindow;

export interface Plan {
  model: LoadModel;
  stages: PlannedStage[];
  totalMs: number;
}

export interface PlanAdjustments {
  /** stretch or compress every stage in proportion so the run lasts this long */
  totalDurationMs?: number;
  /** multiply every level */
  scale?: number;
}

export function buildPlan(model: LoadModel, stages: StageSpec[], adjust: PlanAdjustments = {}): Plan {
  const naturalMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  const stretch = adjust.totalDurationMs !== undefined && naturalMs > 0 ? adjust.totalDurationMs / naturalMs : 1;
  const scale = adjust.scale ?? 1;
  let cursorMs = 0;
  const planned = stages.map((stage, index): PlannedStage => {
    const durationMs = Math.round(stage.durationMs * stretch);
    const startMs = cursorMs;
    cursorMs += durationMs;
    return {
      ...stage,
      durationMs,
      fromLevel: stage.fromLevel * scale,
      toLevel: stage.toLevel * scale,
      index,
      startMs,
      endMs: cursorMs,
    };
  });
  // rounding may leave the sum a few ms off the requested total: give the difference to the last stage
  if (adjust.totalDurationMs !== undefined && planned.length > 0) {
    const last = planned[planned.length - 1]!;
    const diff = adjust.totalDurationMs - cursorMs;
    last.durationMs += diff;
    last.endMs += diff;
    cursorMs += diff;
  }
  return { model, stages: planned, totalMs: cursorMs };
}

/** The stage running at time t (a zero-length stage is never "running"; the last stage holds at the end). */
export function stageIndexAt(plan: Plan, tMs: number): number {
  for (const stage of plan.stages) {
    if (tMs < stage.endMs && stage.durationMs > 0) return stage.index;
  }
  return lastTimedStageIndex(plan);
}

function lastTimedStageIndex(plan: Plan): number {
  for (let i = plan.stages.length - 1; i >= 0; i--) if (plan.stages[i]!.durationMs > 0) return i;
  return Math.max(0, plan.stages.length - 1);
}

/** Planned level at time t: linear within a stage, instant at a zero-length stage. */
export function levelAt(plan: Plan, tMs: number): number {
  if (plan.stages.length === 0) return 0;
  const stage = plan.stages[stageIndexAt(plan, tMs)]!;
  if (tMs >= stage.endMs) return stage.toLevel;
  const progress = stage.durationMs === 0 ? 1 : (tMs - stage.startMs) / stage.durationMs;
  return stage.fromLevel + (stage.toLevel - stage.fromLevel) * Math.max(0, progress);
}

/** Total planned requests of an open-model plan (the area under the rate curve). */
export function plannedRequests(plan: Plan): number {
  return plan.stages.reduce((sum, s) => sum + stageArea(s), 0);
}

export function stageArea(stage: StageSpec): number {
  return ((stage.fromLevel + stage.toLevel) / 2) * (stage.durationMs / 1000);
}

export function peakLevel(plan: Plan): number {
  return plan.stages.reduce((max, s) => Math.max(max, s.fromLevel, s.toLevel), 0);
}

const unitOf = (model: LoadModel): string => (model === 'open' ? '/s' : ' users');

/** One line per stage, for the run banner and `validate`. */
export function describePlan(plan: Plan, formatDurationMs: (ms: number) => string): string[] {
  const unit = unitOf(plan.model);
  return plan.stages.map((s) => {
    const shape =
      s.durationMs === 0
        ? `jump to ${fmt(s.toLevel)}${unit}`
        : s.fromLevel === s.toLevel
          ? `hold ${fmt(s.toLevel)}${unit}`
          : `ramp ${fmt(s.fromLevel)} → ${fmt(s.toLevel)}${unit}`;
    return `${s.name.padEnd(12)} ${formatDurationMs(s.startMs).padStart(7)}–${formatDurationMs(s.endMs).padEnd(7)} ${shape}`;
  });
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The plan as it ran when the run ended early by design (-n): stages cut at `endMs`, later ones dropped. */
export function trimPlan(plan: Plan, endMs: number): Plan {
  if (endMs >= plan.totalMs) return plan;
  const stages = plan.stages
    .filter((stage) => stage.startMs < endMs || stage.index === 0)
    .map((stage) => {
      if (stage.endMs <= endMs) return stage;
      const durationMs = Math.max(0, endMs - stage.startMs);
      const progress = stage.durationMs === 0 ? 1 : durationMs / stage.durationMs;
      return { ...stage, durationMs, endMs: stage.startMs + durationMs, toLevel: stage.fromLevel + (stage.toLevel - stage.fromLevel) * progress };
    });
  return { ...plan, stages, totalMs: Math.max(endMs, 0) };
}
