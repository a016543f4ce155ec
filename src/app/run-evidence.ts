// The banner's and validate's evidence lines: how many samples each check will have, for a
// profile of one load shape or, scenario by scenario, for a profile with scenarios.
import { describeEvidence, describeScenarioEvidence } from '../judge/preflight.js';
import { buildPlan, type Plan } from '../engine/plan.js';
import { buildScenarioPlan, type ScenarioPlan } from '../engine/scenario-plan.js';
import type { Profile } from '../config/types.js';

/** `plan`/`scenarioPlan` as the run builds them; validate passes neither (the profile as written). */
export function evidenceLines(profile: Profile, sliceCount = 1, plan?: Plan, scenarioPlan?: ScenarioPlan): string[] {
  if (!profile.scenarios) return describeEvidence(profile, plan ?? buildPlan(profile.model, profile.stages), sliceCount);
  const planned = scenarioPlan ?? buildScenarioPlan(profile.scenarios);
  const parts = planned.parts.map((part) => ({
    name: part.spec.name,
    requests: part.spec.requests,
    flows: part.spec.flows,
    // its own stage names (the rows' phases), without the wait before its start
    plan: { ...part.plan, stages: part.plan.stages.slice(part.waitStages) },
  }));
  return describeScenarioEvidence(profile.targets, parts, planned.plan.totalMs, sliceCount);
}
