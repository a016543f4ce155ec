// Assembles result.json from a finished load run. Statistics come from cells only.
import { createHash } from 'node:crypto';
import { buildViews, encodeCells, type PhaseWindow } from './cells.js';
import { encodeBlockViews } from '../metrics/cell-codec.js';
import { rateWindowMs } from '../metrics/stats.js';
import { flowsForDisplay } from '../config/flows-display.js';
import { redactDeep } from './redact.js';
import { buildScenarioViews, type ScenarioShape } from './scenario-views.js';
import type { Profile } from '../config/types.js';
import type { Plan } from '../engine/plan.js';
import type { LoadRunOutcome } from '../engine/run-load.js';
import type { GeneratorHealth, Judgement, MeasuredResult, Result } from './types.js';

export interface MeasuredRun {
  profile: Profile;
  plan: Plan;
  outcome: LoadRunOutcome;
  baseUrl: string;
  toolVersion: string;
  environment: Result['environment'];
  shard?: { index: number; count: number };
  start?: Result['start'];
  /** what the run was given (result.json `run`) */
  run?: Result['run'];
  generator?: GeneratorHealth;
  /** a run with scenarios: each one's shape as planned (its block is built from the cells) */
  scenarios?: ScenarioShape[];
}

export function phaseWindows(plan: Plan): PhaseWindow[] {
  return plan.stages.map((s) => ({ name: s.name, startMs: s.startMs, endMs: s.endMs }));
}

/** What the run measured, before it is judged (src/judge/judge-run.ts decides the rest). */
export function buildMeasured(run: MeasuredRun): MeasuredResult {
  const { profile, plan, outcome } = run;
  const phases = phaseWindows(plan);
  const withServiceTime = plan.model === 'open';
  const rateMs = rateWindowMs(outcome.status === 'completed', plan.totalMs, outcome.durationMs);
  const views = buildViews(outcome.cells, phases, rateMs, withServiceTime);
  const resolved = redactDeep(
    // flows as written (templates, never values) and data files by name, not their rows
    {
      ...profile,
      ...flowsForDisplay(profile.flows ?? [], profile.data ?? []),
      ...(profile.scenarios ? { scenarios: profile.scenarios.map(({ setupValues: _values, ...scenario }) => ({ ...scenario, ...flowsForDisplay(scenario.flows, scenario.data) })) } : {}),
      secrets: undefined, stages: plan.stages.map(({ name, durationMs, fromLevel, toLevel }) => ({ name, durationMs, fromLevel, toLevel })) },
    profile.secrets,
  );
  // stopOnBreak ends a staircase once it has found what it was run for: a completed run
  const status = outcome.status === 'completed' || outcome.status === 'breakingPoint' ? 'completed' : outcome.status;
  return {
    schemaVersion: 1,
    tool: { name: 'perfctl', version: run.toolVersion },
    profile: {
      name: profile.name,
      source: profile.source,
      model: plan.model,
      stages: plan.stages.map(({ name, durationMs, fromLevel, toLevel }) => ({ name, durationMs, fromLevel, toLevel })),
      description: profile.description,
      resolved,
      hash: createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 16),
    },
    baseUrl: redactDeep(run.baseUrl, profile.secrets),
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    durationMs: outcome.durationMs,
    status,
    ...(run.shard ? { shard: run.shard } : {}),
    ...(run.start ? { start: run.start } : {}),
    ...(run.run ? { run: redactDeep(run.run, profile.secrets) } : {}),
    ...(run.generator ? { generator: run.generator } : {}),
    totals: views.totals,
    groups: views.groups,
    phases: views.phases,
    timeline: outcome.timeline,
    histograms: views.histograms,
    cells: encodeCells(outcome.cells, phases),
    ...encodeBlockViews(outcome.timeBlocks, phases.map((p) => p.name)),
    ...(run.scenarios ? { scenarios: buildScenarioViews(outcome.cells, phases, run.scenarios, outcome.durationMs, status === 'completed') } : {}),
    environment: run.environment,
  };
}

/** The one place a Result is put together: the measurement and its judgement, the verdict near the top. */
export function assembleResult(measured: MeasuredResult, judgement: Judgement): Result {
  const { schemaVersion, tool, profile, baseUrl, startedAt, endedAt, durationMs, status, ...rest } = measured;
  return {
    schemaVersion,
    tool,
    profile,
    baseUrl,
    startedAt,
    endedAt,
    durationMs,
    status,
    verdict: judgement.verdict,
    ...(judgement.reason !== undefined ? { reason: judgement.reason } : {}),
    ...rest,
    targets: judgement.targets,
    ...(judgement.comparison ? { comparison: judgement.comparison } : {}),
    ...(judgement.analysis ? { analysis: judgement.analysis } : {}),
  };
}
