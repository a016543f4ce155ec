// The plan of a run with scenarios, computed before anything is sent. Each scenario gets a plan
// of its own on the run's clock (t = 0 is the run's start): a first stage at level 0 while it
// waits for `startAfter`, then its stages. The run's plan lists every scenario's stages, named
// `<scenario>/<stage>`, in the run's time, so phases, target rows and reports see them all.
import { commonModel, scenarioPhaseName } from '../config/normalise-scenarios.js';
import type { ScenarioSpec } from '../config/types.js';
import { buildPlan, type Plan, type PlanAdjustments, type PlannedStage } from './plan.js';

export interface ScenarioPart {
  spec: ScenarioSpec;
  /** the scenario's own plan on the run's clock; with a wait, stages[0] is it */
  plan: Plan;
  /** 1 when plan.stages[0] is the wait for startAfter, else 0 */
  waitStages: 0 | 1;
  /** after -d */
  startAfterMs: number;
  /** the index of its first stage among the run's phases */
  phaseBase: number;
}

export interface ScenarioPlan {
  /** the whole run: every scenario's stages (overlapping in time), the longest scenario's end */
  plan: Plan;
  parts: ScenarioPart[];
}

/** The name of the wait before a scenario's `startAfter` (never a phase of the run). */
export const WAIT_STAGE = 'wait';

/**
 * -d stretches every scenario (its startAfter too) by one factor, so the longest ends at the
 * duration asked for and the scenarios keep their places against each other; --scale
 * multiplies every level.
 */
export function buildScenarioPlan(scenarios: readonly ScenarioSpec[], adjust: PlanAdjustments = {}): ScenarioPlan {
  const natural = Math.max(0, ...scenarios.map((s) => s.startAfterMs + s.stages.reduce((sum, stage) => sum + stage.durationMs, 0)));
  const stretch = adjust.totalDurationMs !== undefined && natural > 0 ? adjust.totalDurationMs / natural : 1;
  const parts: ScenarioPart[] = [];
  const runStages: PlannedStage[] = [];
  for (const spec of scenarios) {
    const startAfterMs = Math.round(spec.startAfterMs * stretch);
    const ownMs = spec.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
    const own = buildPlan(spec.model, spec.stages, {
      ...(stretch !== 1 ? { totalDurationMs: Math.round((spec.startAfterMs + ownMs) * stretch) - startAfterMs } : {}),
      ...(adjust.scale !== undefined ? { scale: adjust.scale } : {}),
    });
    const waitStages = startAfterMs > 0 ? 1 : 0;
    const shifted = own.stages.map((stage) => ({ ...stage, index: stage.index + waitStages, startMs: stage.startMs + startAfterMs, endMs: stage.endMs + startAfterMs }));
    const wait: PlannedStage[] = waitStages ? [{ name: WAIT_STAGE, durationMs: startAfterMs, fromLevel: 0, toLevel: 0, index: 0, startMs: 0, endMs: startAfterMs }] : [];
    parts.push({ spec, plan: { model: spec.model, stages: [...wait, ...shifted], totalMs: startAfterMs + own.totalMs }, waitStages, startAfterMs, phaseBase: runStages.length });
    for (const stage of shifted) runStages.push({ ...stage, name: scenarioPhaseName(spec.name, stage.name), index: runStages.length });
  }
  const totalMs = Math.max(0, ...parts.map((part) => part.plan.totalMs));
  return { plan: { model: commonModel(scenarios.map((s) => s.model)), stages: runStages, totalMs }, parts };
}

/** The run's phase index of a part's own stage index (the wait counts as its first stage). */
export function runPhaseIndex(part: Pick<ScenarioPart, 'waitStages' | 'phaseBase'>, ownIndex: number): number {
  return part.phaseBase + Math.max(0, ownIndex - part.waitStages);
}

/** The part's stage running at `tMs` of the run, by name ('' before it started, its last after it ended). */
export function partStageAt(part: ScenarioPart, tMs: number): string {
  if (tMs < part.startAfterMs) return WAIT_STAGE;
  const stages = part.plan.stages.slice(part.waitStages);
  return (stages.find((stage) => tMs < stage.endMs && stage.durationMs > 0) ?? stages[stages.length - 1])?.name ?? '';
}
