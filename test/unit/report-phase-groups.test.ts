// The stages table's groups, shared by the terminal, Markdown and HTML reports: one group for a
// plain run, one per scenario (stage names without the prefix, the scenario's own model) otherwise.
import { describe, expect, it } from 'vitest';
import { hasScenarioGroups, phaseGroups } from '../../src/report/phase-groups.js';
import type { PhaseStats, Result, ScenarioStats } from '../../src/result/types.js';
import type { LoadModel, StageSpec } from '../../src/config/types.js';

const block = { requests: 0, errors: 0, errorRate: 0, rps: 0, latencyMs: { min: 0, mean: 0, stdev: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 }, statusCodes: {}, errorKinds: {} };
const phase = (name: string): PhaseStats => ({ ...block, name, startMs: 0, endMs: 1000 });
const stage = (name: string, fromLevel: number, toLevel = fromLevel): StageSpec => ({ name, durationMs: 1000, fromLevel, toLevel });
const scenario = (model: LoadModel, stages: StageSpec[]): ScenarioStats => ({ ...block, model, startAfterMs: 0, stages, groups: {}, phases: [] });

type Input = Pick<Result, 'phases' | 'profile' | 'scenarios'>;
const run = (model: LoadModel, phases: string[], stages: StageSpec[], scenarios?: Record<string, ScenarioStats>): Input => ({
  phases: phases.map(phase),
  profile: { name: 'p', source: 'builtin', model, stages },
  ...(scenarios ? { scenarios } : {}),
});

/** what a group says: its scenario, model, and each row's name and planned levels */
const summary = (input: Input) =>
  phaseGroups(input).map((g) => [g.scenario, g.model, g.rows.map((r) => `${r.name}:${r.stage ? `${r.stage.fromLevel}-${r.stage.toLevel}` : '?'}`)]);

describe('phaseGroups', () => {
  it.each([
    {
      what: 'a plain open run: one group without a scenario, the profile’s stages by name',
      input: run('open', ['warm', 'spike'], [stage('warm', 10, 50), stage('spike', 500)]),
      groups: [[null, 'open', ['warm:10-50', 'spike:500-500']]],
    },
    {
      what: 'a plain closed run: a stage not found by name is the one at its index',
      input: run('closed', ['a', 'renamed'], [stage('a', 5), stage('b', 20)]),
      groups: [[null, 'closed', ['a:5-5', 'renamed:20-20']]],
    },
    {
      what: 'two scenarios, one closed and one open: each its own group, names without the prefix, its own model',
      input: run('closed', ['browsing/steady', 'wave/ramp', 'wave/peak'], [stage('browsing/steady', 200), stage('wave/ramp', 50, 500), stage('wave/peak', 500)], {
        browsing: scenario('closed', [stage('steady', 200)]),
        wave: scenario('open', [stage('ramp', 50, 500), stage('peak', 500)]),
      }),
      groups: [
        ['browsing', 'closed', ['steady:200-200']],
        ['wave', 'open', ['ramp:50-500', 'peak:500-500']],
      ],
    },
    {
      what: 'a scenario named as another with a slash after it: the longest name owns the phase',
      input: run('open', ['a/x', 'a/b/y'], [], { a: scenario('open', [stage('x', 1)]), 'a/b': scenario('closed', [stage('y', 2)]) }),
      groups: [
        ['a', 'open', ['x:1-1']],
        ['a/b', 'closed', ['y:2-2']],
      ],
    },
    {
      what: 'a phase of no scenario in a run of scenarios stays apart, unprefixed, in the run’s model',
      input: run('closed', ['s/hold', 'other'], [stage('s/hold', 3), stage('other', 4)], { s: scenario('open', [stage('hold', 3)]) }),
      groups: [
        ['s', 'open', ['hold:3-3']],
        [null, 'closed', ['other:4-4']],
      ],
    },
  ])('$what', ({ input, groups }) => {
    expect(summary(input)).toEqual(groups);
  });

  it('keeps each phase’s own numbers, and says whether there are scenario headings', () => {
    const plain = run('open', ['main'], [stage('main', 1)]);
    const groups = phaseGroups(plain);
    expect(groups[0]!.rows[0]!.phase).toBe(plain.phases[0]);
    expect(hasScenarioGroups(groups)).toBe(false);
    expect(hasScenarioGroups(phaseGroups(run('open', ['s/x'], [], { s: scenario('open', [stage('x', 1)]) })))).toBe(true);
    expect(phaseGroups(run('open', [], []))).toEqual([]);
  });
});
