// `scenarios:` at load: each scenario read like a profile's top level (its stages, requests or
// flows, think time, data, startAfter), every problem at its line:col under `scenarios.<name>`,
// and target rows that name a `scenario`.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkProfileText } from '../../src/config/check-source.js';
import { listProfiles, validateFile } from '../../src/config/load-profile.js';
import { commonModel, phaseOfRow } from '../../src/config/normalise-scenarios.js';
import { profileToYaml } from '../../src/config/profile-yaml.js';
import { buildScenarioPlan } from '../../src/engine/scenario-plan.js';
import { formatIssue } from '../../src/errors.js';
import type { Profile } from '../../src/config/types.js';

async function check(lines: string[]): Promise<{ profile: Omit<Profile, 'source'>; issues: string[] }> {
  const text = ['baseUrl: http://127.0.0.1:8080', ...lines, ''].join('\n');
  const { profile, issues } = await checkProfileText(text, '/tmp/p.yaml', 'p.yaml', { cwd: '/tmp', env: {}, defaultName: 'p' });
  return { profile, issues: issues.map(formatIssue) };
}

const twoScenarios = [
  'timeout: 5s',
  'scenarios:',
  '  browsing:',
  '    stages: [ { duration: 10m, vus: 200 } ]',
  '    thinkTime: 1s',
  '    flows:',
  '      - { name: browse, steps: [ { name: list, path: /items }, { think: 500ms } ] }',
  '  login-wave:',
  '    startAfter: 2m',
  '    timeout: 2s',
  '    stages: [ { duration: 1m, rate: 50 }, { duration: 0s, rate: 500 }, { name: wave, duration: 2m, rate: 500 } ]',
  '    requests: [ { name: login, method: POST, path: /login } ]',
];

describe('scenarios in a profile', () => {
  it('each scenario keeps its own model, stages, mix, think time, timeout and start; the top level has none of its own', async () => {
    const { profile, issues } = await check(twoScenarios);
    expect(issues).toEqual([]);
    expect(profile.model).toBe('closed');
    expect(profile.stages).toEqual([]);
    const [browsing, wave] = profile.scenarios!;
    expect([browsing!.name, browsing!.model, browsing!.startAfterMs, browsing!.thinkTime, browsing!.timeoutMs]).toEqual(['browsing', 'closed', 0, { minMs: 1000, maxMs: 1000 }, 5000]);
    expect(browsing!.flows.map((f) => f.name)).toEqual(['browse']);
    expect([wave!.name, wave!.model, wave!.startAfterMs, wave!.timeoutMs]).toEqual(['login-wave', 'open', 120_000, 2000]);
    expect(wave!.stages.map((s) => [s.name, s.durationMs, s.fromLevel, s.toLevel])).toEqual([
      ['hold', 60_000, 50, 50],
      ['jump', 0, 50, 500],
      ['wave', 120_000, 500, 500],
    ]);
    expect(wave!.requests.map((r) => r.name)).toEqual(['login']);
  });

  it.each([
    [
      'a bad field inside a scenario is reported at its line:col with the scenario in its path',
      ['scenarios:', '  a:', '    stages: [ { duration: 1x, rate: 5 } ]', '    requests: [ { path: /x } ]'],
      ['p.yaml:4:27: scenarios.a.stages.0.duration: duration "1x" has an unknown unit "x" (units are ms, s, m and h)'],
    ],
    [
      'startAfter needs a unit',
      ['scenarios:', '  a:', '    startAfter: 2', '    stages: [ { duration: 1s, vus: 5 } ]', '    requests: [ { path: /x } ]'],
      ['p.yaml:4:17: scenarios.a.startAfter: duration "2" has no unit (write "2s")'],
    ],
    [
      'one scenario cannot mix rate and vus',
      ['scenarios:', '  a:', '    stages: [ { duration: 1s, vus: 5 }, { duration: 1s, rate: 3 } ]', '    requests: [ { path: /x } ]'],
      ['p.yaml:4:63: scenarios.a.stages.1.rate: stages mix rate and vus (stages.0 uses `vus`; every stage of a profile uses the same one)'],
    ],
    [
      'a scenario needs requests or flows',
      ['scenarios:', '  a:', '    stages: [ { duration: 1s, vus: 5 } ]'],
      ['p.yaml:4:5: scenarios.a: `requests` is missing (add `requests` (single requests) or `flows` (multi-step journeys))'],
    ],
    [
      'an unknown key in a scenario',
      ['scenarios:', '  a:', '    stages: [ { duration: 1s, vus: 5 } ]', '    requests: [ { path: /x } ]', '    startafter: 1s'],
      ['p.yaml:6:5: scenarios.a.startafter: unknown key `startafter` (did you mean `startAfter`?)'],
    ],
    [
      'top-level stages beside scenarios',
      ['stages: [ { duration: 1s, rate: 1 } ]', 'scenarios:', '  a:', '    stages: [ { duration: 1s, vus: 5 } ]', '    requests: [ { path: /x } ]'],
      ['p.yaml:2:1: stages: a profile with `scenarios` has its `stages` in each scenario (move `stages` into a scenario under `scenarios`, or drop `scenarios` for a profile of one load shape)'],
    ],
    [
      'neither stages nor scenarios',
      ['requests: [ { path: /x } ]'],
      ['p.yaml:1:1: `stages` is missing (add `stages` (the load shape), or `scenarios` for several load shapes at once)'],
    ],
    [
      'a template reads a data source the scenario does not have',
      ['scenarios:', '  a:', '    stages: [ { duration: 1s, vus: 5 } ]', '    flows: [ { name: f, steps: [ { path: "/{{ row.id }}" } ] } ]'],
      ['p.yaml:5:42: scenarios.a.flows.0.steps.0.path: {{ row.id }}: there is no data source "row" (expected one of: env)'],
    ],
  ])('%s', async (_what, lines, expected) => {
    expect((await check(lines)).issues).toEqual(expected);
  });
});

describe('target rows of a profile with scenarios', () => {
  const rows = (lines: string[]): Promise<{ profile: Omit<Profile, 'source'>; issues: string[] }> => check([...twoScenarios, 'targets:', ...lines]);

  it('name a scenario; a phase alone names the one scenario that has that stage', async () => {
    const { profile, issues } = await rows(['  - { name: logins, scenario: login-wave, requests: [login], p95: 200ms }', '  - { name: spike, phase: wave, errorRate: 1% }', '  - { name: all, p99: 1s }']);
    expect(issues).toEqual([]);
    expect(profile.targets.map((row) => [row.name, row.scenario, row.phase, phaseOfRow(row)])).toEqual([
      ['logins', 'login-wave', null, null],
      ['spike', 'login-wave', 'wave', 'login-wave/wave'],
      ['all', undefined, null, null],
    ]);
  });

  it.each([
    ['an unknown scenario', '  - { name: r, scenario: login, p95: 1s }', 'p.yaml:15:26: targets.0.scenario: no scenario is named "login"'],
    ['a request of another scenario', '  - { name: r, scenario: browsing, requests: [login], p95: 1s }', 'p.yaml:15:47: targets.0.requests.0: no request is named "login"'],
    ['a stage two scenarios have', '  - { name: r, phase: hold, p95: 1s }', 'p.yaml:15:23: targets.0.phase: stage "hold" is in scenarios browsing, login-wave (say which with `scenario:`)'],
    ['a stage no scenario has', '  - { name: r, phase: spike, p95: 1s }', 'p.yaml:15:23: targets.0.phase: no scenario has a stage named "spike"'],
  ])('%s is an issue at its field', async (_what, row, expected) => {
    const { issues } = await rows([row]);
    expect(issues.map((issue) => issue.replace(/ \((did you mean|expected one of).*\)$/, ''))).toEqual([expected]);
  });

  it('`scenario` in a profile without scenarios is an issue', async () => {
    const { issues } = await check(['stages: [ { duration: 1s, rate: 1 } ]', 'requests: [ { path: /x } ]', 'targets:', '  - { name: r, scenario: a, p95: 1s }']);
    expect(issues).toEqual(['p.yaml:5:26: targets.0.scenario: the profile has no scenarios: there is no "a" (drop `scenario`, or give the profile `scenarios:`)']);
  });
});

describe('the model a run of scenarios reports', () => {
  it.each([
    [['open', 'open'], 'open'],
    [['closed', 'closed'], 'closed'],
    [['open', 'closed'], 'closed'],
  ] as const)('%j -> %s', (models, expected) => {
    expect(commonModel(models)).toBe(expected);
  });
});

describe('--print-profile of a profile with scenarios', () => {
  it('prints each scenario as it would run (-d applied), and the printed profile loads to the same scenarios', async () => {
    const { profile } = await check([...twoScenarios, 'targets:', '  - { name: spike, phase: wave, errorRate: 1% }']);
    const planned = buildScenarioPlan(profile.scenarios!, { totalDurationMs: 60_000 });
    const yaml = profileToYaml({ ...profile, source: 'p.yaml' }, planned.plan.stages, planned.parts.map((part) => ({ spec: part.spec, startAfterMs: part.startAfterMs, stages: part.plan.stages.slice(part.waitStages) })));
    expect(yaml).toContain('scenarios:\n  browsing:\n');
    expect(yaml).toContain('startAfter: 12s');
    const again = await checkProfileText(yaml, '/tmp/printed.yaml', 'printed.yaml', { cwd: '/tmp', env: {}, defaultName: 'printed' });
    expect(again.issues.map(formatIssue)).toEqual([]);
    expect(again.profile.scenarios!.map((s) => [s.name, s.model, s.startAfterMs, s.stages.reduce((n, stage) => n + stage.durationMs, 0)])).toEqual([
      ['browsing', 'closed', 0, 60_000],
      ['login-wave', 'open', 12_000, 18_000],
    ]);
    expect(again.profile.targets.map((row) => [row.scenario, row.phase])).toEqual([['login-wave', 'wave']]);
  });
});

describe('perfctl list and validate of a profile with scenarios', () => {
  it('list: mixed models, the latest end; validate: a profile (not a target table) even with inline targets', async () => {
    const project = mkdtempSync(join(tmpdir(), 'perfctl-scenarios-'));
    try {
      mkdirSync(join(project, 'scenarios'));
      const file = join(project, 'scenarios', 'mixed.yaml');
      writeFileSync(file, ['description: two shapes', 'baseUrl: http://127.0.0.1:8080', ...twoScenarios, 'targets: [ { name: all, p99: 1s } ]', ''].join('\n'));
      writeFileSync(join(project, 'scenarios', 'open.yaml'), ['baseUrl: http://127.0.0.1:8080', 'scenarios:', '  a: { startAfter: 5s, stages: [ { duration: 10s, rate: 1 } ], requests: [ { path: /a } ] }', '  b: { stages: [ { duration: 12s, rate: 1 } ], requests: [ { path: /b } ] }', ''].join('\n'));
      const listed = await listProfiles({ cwd: project, builtinDir: join(project, 'none') });
      expect(listed.map((p) => [p.name, p.model, p.totalMs])).toEqual([
        ['mixed', 'mixed', 600_000],
        ['open', 'open', 15_000],
      ]);
      const checked = await validateFile(file, { cwd: project, env: {} });
      expect([checked.kind, checked.issues]).toEqual(['profile', []]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('the evidence of a profile with scenarios', () => {
  it('predicts each check from its own scenario\'s mix and stages; closed-model ones are said apart', async () => {
    const { evidenceLines } = await import('../../src/app/run-evidence.js');
    const { profile } = await check([
      'scenarios:',
      '  users: { stages: [ { duration: 10s, vus: 5 } ], requests: [ { name: page, path: /p } ] }',
      '  api:',
      '    stages: [ { duration: 10s, rate: 10 } ]',
      '    requests: [ { name: a, path: /a, weight: 3 }, { name: b, path: /b } ]',
      'targets:',
      '  - { name: A, scenario: api, requests: [a], p95: 1s }',
      '  - { name: B, scenario: api, requests: [b], p99: 1s }',
      '  - { name: Pages, scenario: users, p95: 1s }',
    ]);
    // api: 100 arrivals, 75 for a (>= 59 for a p95), 25 for b (< 299 for a p99)
    expect(evidenceLines({ ...profile, source: 'p.yaml' })).toEqual([
      "evidence: 1 of 3 checks cannot be judged at this length; -d 2m would judge them; 1 of closed-model scenarios depend on the service's latency:",
      '  B p99: about 25 samples, 299 needed',
    ]);
  });
});
