// --concurrent (pure): profiles become the scenarios of one profile, named after them, each
// against its own service (or all against one), with their rows judging their own scenario.
import { describe, expect, it } from 'vitest';
import { concurrentProfile } from '../../src/app/run-concurrent.js';
import type { Profile, ScenarioSpec, TargetRow } from '../../src/config/types.js';

const row = (name: string, extra: Partial<TargetRow> = {}): TargetRow => ({ name, requests: null, phase: null, checks: [{ metric: 'p95', limit: 100 }], abortOnFail: false, ...extra });

function profile(name: string, extra: Partial<Profile> = {}): Profile {
  return {
    name, description: '', source: `${name}.yaml`, baseUrl: `http://127.0.0.1:8/${name}`, model: 'open',
    stages: [{ name: 'hold', durationMs: 1000, fromLevel: 5, toLevel: 5 }],
    requests: [], flows: [], data: [], timeoutMs: 1000, thinkTime: { minMs: 0, maxMs: 0 }, maxInFlight: 10,
    targets: [], targetsSource: null, secrets: [], ...extra,
  };
}

const scenario = (name: string): ScenarioSpec => ({
  name, description: '', model: 'closed', stages: [{ name: 'hold', durationMs: 1000, fromLevel: 2, toLevel: 2 }], startAfterMs: 0,
  requests: [], flows: [], data: [], thinkTime: { minMs: 0, maxMs: 0 }, timeoutMs: 1000, maxInFlight: 10,
});

describe('concurrentProfile', () => {
  it('makes each profile a scenario against its own service; the rows judge their own', () => {
    const combined = concurrentProfile([profile('a', { targets: [row('Fast')], secrets: ['s1'] }), profile('b', { model: 'closed', targets: [row('Fast')], secrets: ['s2'] })], { oneService: false });
    expect(combined.name).toBe('a+b');
    expect(combined.model).toBe('closed');
    expect(combined.scenarios!.map((s) => [s.name, s.model, s.baseUrl])).toEqual([
      ['a', 'open', 'http://127.0.0.1:8/a'],
      ['b', 'closed', 'http://127.0.0.1:8/b'],
    ]);
    expect(combined.targets.map((t) => [t.name, t.scenario])).toEqual([
      ['Fast', 'a'],
      ['Fast (b)', 'b'],
    ]);
    expect(combined.secrets).toEqual(['s1', 's2']);
  });

  it('with --base-url or --demo every scenario goes to the one service; a profile twice gets a second name', () => {
    const combined = concurrentProfile([profile('a'), profile('a')], { oneService: true });
    expect(combined.scenarios!.map((s) => [s.name, s.baseUrl])).toEqual([
      ['a', undefined],
      ['a-2', undefined],
    ]);
  });

  it('a profile with scenarios gives each, as <profile>.<scenario>, its rows following them', () => {
    const combined = concurrentProfile([profile('p', { scenarios: [scenario('x'), scenario('y')], stages: [], targets: [row('Y', { scenario: 'y' })] }), profile('q')], { oneService: false });
    expect(combined.scenarios!.map((s) => s.name)).toEqual(['p.x', 'p.y', 'q']);
    expect(combined.targets.map((t) => [t.name, t.scenario])).toEqual([['Y', 'p.y']]);
  });

  it('a profile\'s setup and teardown go with its scenario', () => {
    const setup = { name: 'setup', weight: 1, steps: [] };
    const combined = concurrentProfile([profile('a', { setup }), profile('b')], { oneService: false });
    expect(combined.setup).toBeUndefined();
    expect(combined.scenarios!.map((s) => s.setup)).toEqual([setup, undefined]);
  });

  it.each([
    ['setup steps around several scenarios', profile('s', { scenarios: [scenario('x')], targets: [], setup: { name: 'setup', weight: 1, steps: [] } }), '--concurrent: profile "s" has scenarios and setup or teardown steps'],
    ['stopOnBreak', profile('s', { stopOnBreak: true }), '--concurrent: profile "s" stops at its breaking point'],
    ['a row over all of a profile with scenarios', profile('s', { scenarios: [scenario('x')], targets: [row('All')] }), 'target row "All" of profile "s" judges all of its scenarios'],
  ])('refuses %s (exit 2)', (_what, bad, message) => {
    expect(() => concurrentProfile([profile('ok'), bad], { oneService: false })).toThrow(message);
  });
});
