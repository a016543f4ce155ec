// Plans at load: template functions, templated plain requests, staircases, repeat/when and
// setup/teardown, each error at its line:col before anything is sent.
import { describe, expect, it } from 'vitest';
import { checkProfileText } from '../../src/config/check-source.js';
import { formatIssue } from '../../src/errors.js';
import type { FlowRequestStep, Profile } from '../../src/config/types.js';

async function check(lines: string[]): Promise<{ profile: Omit<Profile, 'source'>; issues: string[] }> {
  const text = ['baseUrl: http://127.0.0.1:8080', ...lines, ''].join('\n');
  const { profile, issues } = await checkProfileText(text, '/tmp/p.yaml', 'p.yaml', { cwd: '/tmp', env: {}, defaultName: 'p' });
  return { profile, issues: issues.map(formatIssue) };
}

const stages = 'stages: [ { duration: 1s, rate: 1 } ]';

describe('template functions in a profile', () => {
  it('compile in flows and plain requests; a templated plain request is a one-step flow named as the request', async () => {
    const { profile, issues } = await check([
      stages,
      'requests:',
      '  - { name: item, path: "/items/{{ randomInt(1, 100) }}", weight: 3 }',
      '  - { name: plain, path: /plain }',
      'flows:',
      '  - name: order',
      '    steps:',
      '      - { name: buy, method: POST, path: /orders, json: { id: "{{ uuid() }}", size: "{{ randomItem(S, M, L) }}", n: "{{ iteration }}-{{ user }}" } }',
    ]);
    expect(issues).toEqual([]);
    expect(profile.requests.map((r) => r.name)).toEqual(['plain']);
    expect(profile.flows.map((f) => [f.name, f.single === true, f.weight])).toEqual([
      ['item', true, 3],
      ['order', false, 1],
    ]);
    const item = profile.flows[0]!.steps[0] as FlowRequestStep;
    expect(item.name).toBe('item');
    expect(item.path.parts).toEqual([{ kind: 'text', text: '/items/' }, { kind: 'random', fn: { name: 'randomInt', min: 1, max: 100 } }]);
    const buy = profile.flows[1]!.steps[0] as FlowRequestStep;
    expect(buy.body!.parts.map((part) => part.kind)).toEqual(['text', 'random', 'text', 'random', 'text', 'iteration', 'text', 'user', 'text']);
  });

  it('an unknown function or a wrong argument is an issue at its field', async () => {
    const { issues } = await check([
      stages,
      'requests:',
      '  - { name: a, path: "/a/{{ randomint(1, 2) }}" }',
      '  - { name: b, path: /b, headers: { x-n: "{{ randomString(0) }}" } }',
    ]);
    expect(issues).toEqual([
      'p.yaml:4:22: requests.0.path: {{ randomint(1, 2) }}: there is no template function "randomint" (did you mean "randomInt"?)',
      'p.yaml:5:42: requests.1.headers.x-n: {{ randomString(0) }}: randomString takes one length from 1 to 65536 (e.g. {{ randomString(12) }} for 12 letters and digits)',
    ]);
  });

  it('a capture or a data column named `user` wins over the built-in {{ user }}', async () => {
    const { profile, issues } = await check([
      stages,
      'flows:',
      '  - name: f',
      '    steps:',
      '      - { name: me, path: /me, capture: { user: $.id } }',
      '      - { name: next, path: "/u/{{ user }}" }',
    ]);
    expect(issues).toEqual([]);
    expect((profile.flows[0]!.steps[1] as FlowRequestStep).path.parts[1]).toEqual({ kind: 'capture', name: 'user' });
  });
});

describe('staircases', () => {
  it('expand to named holds, with ramps between steps when asked; the last step is `to`', async () => {
    const { profile, issues } = await check([
      'stages:',
      '  - { name: warm, duration: 10s, vus: 50 }',
      '  - staircase: { vus: 100, to: 350, by: 100, hold: 2m, ramp: 10s }',
      'requests: [ { path: /p } ]',
    ]);
    expect(issues).toEqual([]);
    expect(profile.model).toBe('closed');
    expect(profile.stages.map((s) => [s.name, s.durationMs, s.fromLevel, s.toLevel])).toEqual([
      ['warm', 10_000, 50, 50],
      ['step-1', 120_000, 100, 100],
      ['step-2-ramp', 10_000, 100, 200],
      ['step-2', 120_000, 200, 200],
      ['step-3-ramp', 10_000, 200, 300],
      ['step-3', 120_000, 300, 300],
      ['step-4-ramp', 10_000, 300, 350],
      ['step-4', 120_000, 350, 350],
    ]);
  });

  it('the stress plan "+100 users every 2 minutes until 5000" is one line of 50 steps', async () => {
    const { profile, issues } = await check(['stages: [ { staircase: { vus: 100, to: 5000, by: 100, hold: 2m } } ]', 'requests: [ { path: /p } ]']);
    expect(issues).toEqual([]);
    expect(profile.stages).toHaveLength(50);
    expect(profile.stages[49]).toEqual({ name: 'step-50', durationMs: 120_000, fromLevel: 5000, toLevel: 5000 });
  });

  it.each([
    ['{ staircase: { to: 5, by: 1, hold: 1s } }', /needs `rate` or `vus`/],
    ['{ staircase: { rate: 10, to: 5, by: 1, hold: 1s } }', /stages\.0\.staircase\.to: is below the first step's 10/],
    ['{ staircase: { rate: 1, to: 5000, by: 1, hold: 1s } }', /expands to 5000 steps, more than 1000/],
    ['{ staircase: { rate: 1, to: 5, by: 1, hold: 0s } }', /hold: must be longer than 0s/],
    ['{ staircase: { rate: 1, to: 5, by: 1, hold: 1s }, duration: 1s }', /a staircase entry has only `staircase`/],
    ['{ rate: 5 }', /stages\.0: `duration` is missing/],
  ])('%s is refused', async (stage, message) => {
    const { issues } = await check([`stages: [ ${stage} ]`, 'requests: [ { path: /p } ]']);
    expect(issues.join('\n')).toMatch(message);
  });
});

describe('flow control', () => {
  it('repeat: its steps checked once and run n times; when: compiled against earlier captures', async () => {
    const { profile, issues } = await check([
      stages,
      'flows:',
      '  - name: browse',
      '    steps:',
      '      - { name: login, path: /login, capture: { admin: $.admin } }',
      '      - repeat: 3',
      '        steps:',
      '          - { name: page, path: "/page/{{ iteration }}" }',
      '          - think: 1s',
      '      - { name: admin, path: /admin, when: "{{ admin }}" }',
    ]);
    expect(issues).toEqual([]);
    const steps = profile.flows[0]!.steps;
    expect(steps.map((step) => (step.kind === 'request' ? step.name : 'think'))).toEqual(['login', 'page', 'think', 'page', 'think', 'page', 'think', 'admin']);
    expect((steps[7] as FlowRequestStep).when?.parts).toEqual([{ kind: 'capture', name: 'admin' }]);
  });

  it('a `when` naming an unknown variable is an issue like any template; a repeat block without steps too', async () => {
    const { issues } = await check([
      stages,
      'flows:',
      '  - name: f',
      '    steps:',
      '      - { name: a, path: /a, when: "{{ isAdmin }}" }',
      '      - { repeat: 2 }',
      '      - { repeat: 2, steps: [ { path: /b } ], when: "x" }',
    ]);
    expect(issues).toEqual([
      'p.yaml:6:36: flows.0.steps.0.when: {{ isAdmin }}: "isAdmin" is not captured by an earlier step of flow "f", nor a data column, nor an environment variable (write {{ name }} for a captured value, {{ row.column }} for a data column, {{ env.NAME }}, {{ setup.NAME }}, or a function such as {{ uuid() }})',
      'p.yaml:7:9: flows.0.steps.1: `repeat` needs `steps`: the steps to run again (e.g. `- repeat: 3` with `steps: [ { path: /next } ]`)',
      'p.yaml:8:53: flows.0.steps.2.when: a repeat block has only `repeat` and `steps` (put `when:` or the request on the steps inside it)',
    ]);
  });
});
