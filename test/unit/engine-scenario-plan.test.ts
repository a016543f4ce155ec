// The plan of a run with scenarios (pure): each scenario's own plan on the run's clock (a wait
// at level 0 until its startAfter), the run's phases named <scenario>/<stage>, -d and --scale
// over all of them; and the views of each scenario built from the run's cells.
import { describe, expect, it } from 'vitest';
import { buildScenarioPlan, partStageAt, runPhaseIndex } from '../../src/engine/scenario-plan.js';
import { cellsInRun, combineScenarioOutcomes } from '../../src/engine/run-scenarios.js';
import { levelAt } from '../../src/engine/plan.js';
import { describeAsRun } from '../../src/app/run-description.js';
import { createCell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import { buildScenarioViews } from '../../src/result/scenario-views.js';
import type { ScenarioSpec, StageSpec } from '../../src/config/types.js';
import type { LoadRunOutcome } from '../../src/engine/run-load.js';

const stage = (name: string, durationMs: number, fromLevel: number, toLevel = fromLevel): StageSpec => ({ name, durationMs, fromLevel, toLevel });

function scenario(name: string, model: 'open' | 'closed', stages: StageSpec[], startAfterMs = 0): ScenarioSpec {
  return { name, description: '', model, stages, startAfterMs, requests: [], flows: [], data: [], thinkTime: { minMs: 0, maxMs: 0 }, timeoutMs: 1000, maxInFlight: 100 };
}

const browsing = scenario('browsing', 'closed', [stage('hold', 10_000, 100)]);
const wave = scenario('login-wave', 'open', [stage('warm', 2000, 50), stage('jump', 0, 50, 500), stage('wave', 4000, 500)], 3000);

describe('buildScenarioPlan', () => {
  it('lists every scenario stage in the run time; a later start waits at level 0', () => {
    const { plan, parts } = buildScenarioPlan([browsing, wave]);
    expect(plan.model).toBe('closed');
    expect(plan.totalMs).toBe(10_000);
    expect(plan.stages.map((s) => [s.index, s.name, s.startMs, s.endMs])).toEqual([
      [0, 'browsing/hold', 0, 10_000],
      [1, 'login-wave/warm', 3000, 5000],
      [2, 'login-wave/jump', 5000, 5000],
      [3, 'login-wave/wave', 5000, 9000],
    ]);
    const [b, w] = parts;
    expect([b!.waitStages, b!.phaseBase, b!.plan.totalMs]).toEqual([0, 0, 10_000]);
    expect([w!.waitStages, w!.phaseBase, w!.plan.totalMs]).toEqual([1, 1, 9000]);
    expect(w!.plan.stages.map((s) => [s.name, s.startMs, s.endMs, s.fromLevel, s.toLevel])).toEqual([
      ['wait', 0, 3000, 0, 0],
      ['warm', 3000, 5000, 50, 50],
      ['jump', 5000, 5000, 50, 500],
      ['wave', 5000, 9000, 500, 500],
    ]);
    expect([levelAt(w!.plan, 1000), levelAt(w!.plan, 4000), levelAt(w!.plan, 6000)]).toEqual([0, 50, 500]);
  });

  it.each([
    // own stage index -> the run's phase (the wait belongs to the first stage: nothing is sent in it)
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 3],
  ])('the wave part maps its stage %i to the run phase %i', (own, run) => {
    const { parts } = buildScenarioPlan([browsing, wave]);
    expect(runPhaseIndex(parts[1]!, own)).toBe(run);
  });

  it.each([
    [1000, 'wait'],
    [3500, 'warm'],
    [5000, 'wave'],
    [9500, 'wave'],
  ])('at %i ms the wave is in stage %s', (t, name) => {
    expect(partStageAt(buildScenarioPlan([browsing, wave]).parts[1]!, t)).toBe(name);
  });

  it('-d stretches every scenario and its start by one factor; --scale multiplies every level', () => {
    const { plan, parts } = buildScenarioPlan([browsing, wave], { totalDurationMs: 5000, scale: 2 });
    expect(plan.totalMs).toBe(5000);
    expect(plan.stages.map((s) => [s.name, s.startMs, s.endMs, s.toLevel])).toEqual([
      ['browsing/hold', 0, 5000, 200],
      ['login-wave/warm', 1500, 2500, 100],
      ['login-wave/jump', 2500, 2500, 1000],
      ['login-wave/wave', 2500, 4500, 1000],
    ]);
    expect(parts[1]!.startAfterMs).toBe(1500);
  });

  it('scenarios of one model keep it', () => {
    expect(buildScenarioPlan([wave, { ...wave, name: 'other', startAfterMs: 0 }]).plan.model).toBe('open');
  });
});

describe('combining the scenarios\' runs', () => {
  const { parts } = buildScenarioPlan([browsing, wave]);
  const cell = (group: string, phaseIndex: number, requests: number, latencyMs: number) => {
    const c = createCell(group, phaseIndex);
    c.requests = requests;
    for (let i = 0; i < requests; i++) recordMicros(c.latency, latencyMs * 1000);
    return c;
  };
  const outcome = (cells: ReturnType<typeof cell>[], startedAt: number, durationMs: number, due: number | null): LoadRunOutcome => ({
    status: 'completed',
    startedAt: new Date(startedAt),
    endedAt: new Date(startedAt + durationMs),
    durationMs,
    cells,
    timeline: [],
    health: due === null ? null : { due, launched: due, late: 0, dropped: 0, undelivered: 0 },
    maxLoopLagMs: 1,
    firstSendAt: new Date(startedAt + 1),
    timeBlocks: new Map(),
  });

  it('moves each part\'s stage indexes to the run\'s phases (copies, the inputs unchanged)', () => {
    const own = [cell('login', 1, 10, 5), cell('login', 3, 20, 5)];
    expect(cellsInRun(parts[1]!, own).map((c) => c.phaseIndex)).toEqual([1, 3]);
    expect(own.map((c) => c.phaseIndex)).toEqual([1, 3]);
  });

  it('adds the parts up: cells in run phases, health summed, the longest part\'s length', () => {
    const combined = combineScenarioOutcomes(parts, [outcome([cell('list', 0, 100, 10)], 1000, 10_050, null), outcome([cell('login', 1, 100, 5), cell('login', 3, 2000, 5)], 1000, 9020, 2100)], []);
    expect(combined.durationMs).toBe(10_050);
    expect(combined.health).toEqual({ due: 2100, launched: 2100, late: 0, dropped: 0, undelivered: 0 });
    expect(combined.cells.map((c) => [c.group, c.phaseIndex, c.requests])).toEqual([
      ['list', 0, 100],
      ['login', 1, 100],
      ['login', 3, 2000],
    ]);

    const { plan } = buildScenarioPlan([browsing, wave]);
    const views = buildScenarioViews(combined.cells, plan.stages, [
      { name: 'browsing', model: 'closed', startAfterMs: 0, stages: browsing.stages },
      { name: 'login-wave', model: 'open', startAfterMs: 3000, stages: wave.stages },
    ], 10_050, true);
    expect(views['browsing']!.requests).toBe(100);
    expect(views['browsing']!.rps).toBe(10);
    expect(views['login-wave']!.requests).toBe(2100);
    // over its own 6 s, not the run's 10 s
    expect(views['login-wave']!.rps).toBe(350);
    expect(views['login-wave']!.phases.map((p) => [p.name, p.startMs, p.endMs, p.requests, p.rps])).toEqual([
      ['warm', 3000, 5000, 100, 50],
      ['jump', 5000, 5000, 0, 0],
      ['wave', 5000, 9000, 2000, 500],
    ]);
    expect(Object.keys(views['login-wave']!.groups)).toEqual(['login']);
  });
});

describe('the description of a run of scenarios shortened with -d', () => {
  it('says each scenario\'s own shape in its own unit', () => {
    const { plan, parts } = buildScenarioPlan([browsing, wave], { totalDurationMs: 5000 });
    const text = describeAsRun('browsing while logins spike', plan, { duration: '5s', scale: 1 }, parts.map((part) => ({ name: part.spec.name, startAfterMs: part.startAfterMs, plan: { ...part.plan, stages: part.plan.stages.slice(part.waitStages) } })));
    expect(text).toBe('Run with -d 5s: 5s in all, browsing: 5s at 100 users; login-wave from 1.5s: 1s at 50/s, jump to 500/s, 2s at 500/s. As written: browsing while logins spike');
  });
});
