// The stages (phases) table's rows in groups, the same in every report: a plain run is one group;
// a run of scenarios is one group per scenario, its stages by their own names (without the
// `<scenario>/` prefix) and planned in its own model's unit. Pure; formatting is each report's.
import type { LoadModel, StageSpec } from '../config/types.js';
import type { PhaseStats, Result } from '../result/types.js';

export interface PhaseRow {
  /** the stage's name within its group (a scenario's stage without the scenario's prefix) */
  name: string;
  phase: PhaseStats;
  /** the stage as planned, when the profile says (its levels are in the group's model's unit) */
  stage: StageSpec | undefined;
}

export interface PhaseGroup {
  /** the scenario the stages belong to; null for a run without scenarios */
  scenario: string | null;
  /** closed: levels in users; open: arrivals per second */
  model: LoadModel;
  rows: PhaseRow[];
}

/** The run's phases grouped by scenario, in the run's order (a scenario's phases are consecutive). */
export function phaseGroups(result: Pick<Result, 'phases' | 'profile' | 'scenarios'>): PhaseGroup[] {
  const scenarios = Object.entries(result.scenarios ?? {});
  const groups: PhaseGroup[] = [];
  result.phases.forEach((phase, i) => {
    // a phase `<scenario>/<stage>` is its scenario's (the longest name that fits, should one
    // scenario's name be another's with a slash after it)
    const owner = scenarios
      .filter(([name]) => phase.name.startsWith(`${name}/`))
      .sort(([a], [b]) => b.length - a.length)[0];
    const name = owner === undefined ? phase.name : phase.name.slice(owner[0].length + 1);
    const stage =
      owner !== undefined
        ? owner[1].stages.find((s) => s.name === name)
        : (result.profile.stages.find((s) => s.name === phase.name) ?? result.profile.stages[i]);
    const scenario = owner?.[0] ?? null;
    const model = owner?.[1].model ?? result.profile.model;
    const row = { name, phase, stage };
    const last = groups[groups.length - 1];
    if (last !== undefined && last.scenario === scenario) last.rows.push(row);
    else groups.push({ scenario, model, rows: [row] });
  });
  return groups;
}

/** Whether the stages table is grouped under scenario headings (else it renders as a plain run's). */
export function hasScenarioGroups(groups: readonly PhaseGroup[]): boolean {
  return groups.some((g) => g.scenario !== null);
}
