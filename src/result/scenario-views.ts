// result.json `scenarios`: each scenario's totals, groups and phases, from the run's cells. A
// scenario's phases are the run's phases named `<scenario>/<stage>`, so the block can be built
// again from any result (merge, report) exactly as the run built it.
import { stageOfScenarioPhase } from '../config/normalise-scenarios.js';
import type { LoadModel, PhaseWindow, StageSpec } from '../config/types.js';
import type { Cell } from '../metrics/cell.js';
import { buildViews } from './cells.js';
import type { ScenarioStats } from './types.js';

/** What a scenario's block is built from: the scenario as planned (after -d and --scale). */
export interface ScenarioShape {
  name: string;
  model: LoadModel;
  startAfterMs: number;
  stages: StageSpec[];
}

/**
 * `phases` are the run's (the cells' phaseIndex points into them); `runDurationMs` is how long
 * the run went; `completed` says whether it ran to its planned end (its rates are then over
 * the scenario's planned length).
 */
export function buildScenarioViews(cells: readonly Cell[], phases: readonly PhaseWindow[], shapes: readonly ScenarioShape[], runDurationMs: number, completed: boolean): Record<string, ScenarioStats> {
  const out: Record<string, ScenarioStats> = {};
  for (const shape of shapes) {
    // the run's phase index -> the scenario's own, for the phases of this scenario
    const own = new Map<number, number>();
    const ownPhases: PhaseWindow[] = [];
    phases.forEach((phase, index) => {
      const stage = stageOfScenarioPhase(shape.name, phase.name);
      if (stage === undefined) return;
      own.set(index, ownPhases.length);
      // in the scenario's own time, so its phase windows clamp to its own length
      ownPhases.push({ name: stage, startMs: phase.startMs - shape.startAfterMs, endMs: phase.endMs - shape.startAfterMs });
    });
    const plannedMs = shape.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
    const ranMs = Math.max(0, Math.min(plannedMs, runDurationMs - shape.startAfterMs));
    const ownCells = cells.flatMap((cell) => {
      const index = own.get(cell.phaseIndex);
      return index === undefined ? [] : [{ ...cell, phaseIndex: index }];
    });
    const views = buildViews(ownCells, ownPhases, completed ? plannedMs : ranMs, shape.model === 'open');
    out[shape.name] = {
      model: shape.model,
      startAfterMs: shape.startAfterMs,
      stages: shape.stages.map(({ name, durationMs, fromLevel, toLevel }) => ({ name, durationMs, fromLevel, toLevel })),
      ...views.totals,
      groups: views.groups,
      // in the run's time, as the run's phases are
      phases: views.phases.map((phase) => ({ ...phase, startMs: phase.startMs + shape.startAfterMs, endMs: phase.endMs + shape.startAfterMs })),
    };
  }
  return out;
}

/** The shapes of a result's scenarios block (to build it again from the result's cells). */
export function scenarioShapesOf(scenarios: Record<string, ScenarioStats> | undefined): ScenarioShape[] {
  return Object.entries(scenarios ?? {}).map(([name, s]) => ({ name, model: s.model, startAfterMs: s.startAfterMs, stages: s.stages }));
}
