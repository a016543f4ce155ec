import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProfiles, loadProfile, loadTargetsFile, resolveProfilePath, validateFile } from '../../src/config/load-profile.js';
import { InputError, PerfctlError } from '../../src/errors.js';

const fixtures = resolve('test/fixtures/config');
const builtinDir = resolve(fixtures, 'builtin');
const project = resolve(fixtures, 'project');
const inFixtures = { cwd: fixtures, env: {}, builtinDir };
const inProject = { cwd: project, env: {}, builtinDir };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadProfile: an open-model profile', () => {
  const load = () =>
    loadProfile('valid/ramp-and-jump.yaml', { ...inFixtures, env: { PERFCTL_TEST_TOKEN: 'tok-42', PERFCTL_TEST_MAX_IN_FLIGHT: '' } });

  it('ramps from `from`, holds at the previous level, and jumps in 0s', async () => {
    const profile = await load();
    expect(profile.model).toBe('open');
    expect(profile.stages).toEqual([
      { name: 'warm-up', durationMs: 60_000, fromLevel: 10, toLevel: 100 },
      { name: 'hold', durationMs: 120_000, fromLevel: 100, toLevel: 100 },
      { name: 'jump', durationMs: 0, fromLevel: 100, toLevel: 2000 },
      { name: 'hold-2', durationMs: 30_000, fromLevel: 2000, toLevel: 2000 },
      { name: 'ramp-down', durationMs: 90_000, fromLevel: 2000, toLevel: 100 },
    ]);
  });

  it('fills the defaults and applies ${VAR:-default}', async () => {
    const profile = await load();
    expect(profile).toMatchObject({
      name: 'ramp-and-jump',
      description: 'Ramp, jump and recovery',
      source: 'valid/ramp-and-jump.yaml',
      baseUrl: 'http://127.0.0.1:8080',
      timeoutMs: 5000,
      thinkTime: { minMs: 0, maxMs: 0 },
      maxInFlight: 500,
      targetsSource: 'inline',
    });
  });

  it('normalises requests: method, lower-case headers, JSON body serialised once', async () => {
    const [list, login] = (await load()).requests;
    expect(list).toEqual({ name: 'list-challenges', method: 'GET', path: '/api/challenges', headers: {}, expectStatus: null, weight: 70 });
    expect(login).toEqual({
      name: 'POST /api/auth/login',
      method: 'POST',
      path: '/api/auth/login',
      headers: { authorization: 'Bearer tok-42', 'x-trace': '1', 'content-type': 'application/json' },
      body: '{"email":"load@example.com","password":"hunter2"}',
      expectStatus: [200, 201],
      weight: 30,
    });
  });

  it('reads target rows with their checks in the order written', async () => {
    expect((await load()).targets).toEqual([
      {
        name: 'Login',
        requests: ['POST /api/*'],
        phase: null,
        checks: [
          { metric: 'p50', limit: 100 },
          { metric: 'p99.9', limit: 1500 },
          { metric: 'errorRate', limit: 0.01 },
        ],
        abortOnFail: false,
      },
      {
        name: 'During the jump',
        requests: null,
        phase: 'jump',
        checks: [
          { metric: 'errorRate', limit: 0.05 },
          { metric: 'rps', limit: 150 },
        ],
        abortOnFail: true,
      },
    ]);
  });

  it('collects secrets: secret-named variables and authorization, cookie, x-api-key headers', async () => {
    expect((await load()).secrets.sort()).toEqual(['Bearer tok-42', 'hunter2', 'tok-42']);
    const local = await loadProfile('spike', inProject);
    expect(local.secrets.sort()).toEqual(['k-123', 'session=s3cr3t']);
  });
});

describe('loadProfile: a closed-model profile with a target table file', () => {
  it('reads vus, a think-time range, and the table relative to the profile', async () => {
    const profile = await loadProfile('valid/closed-with-targets-file.yaml', inFixtures);
    expect(profile).toMatchObject({
      name: 'closed-users',
      model: 'closed',
      thinkTime: { minMs: 500, maxMs: 1500 },
      timeoutMs: 10_000,
      maxInFlight: 10_000,
      targetsSource: 'targets-only/api.targets.yaml',
    });
    expect(profile.stages.map((stage) => [stage.name, stage.fromLevel, stage.toLevel])).toEqual([
      ['hold', 5, 5],
      ['busy', 5, 50],
    ]);
    expect(profile.requests[1]).toMatchObject({ name: 'search', body: 'plain text', headers: {} });
    expect(profile.targets.map((row) => row.checks)).toEqual([
      [
        { metric: 'p95', limit: 300 },
        { metric: 'max', limit: 2000 },
        { metric: 'mean', limit: 120 },
      ],
      [{ metric: 'errorRate', limit: 0.005 }],
    ]);
  });

  it('--targets replaces the table, and its rows are checked against the profile', async () => {
    const profile = await loadProfile('spike', { ...inProject, targetsFile: 'targets/strict.yaml' });
    expect(profile.targetsSource).toBe('targets/strict.yaml');
    expect(profile.targets.map((row) => row.name)).toEqual(['Login only', 'Spike errors']);
    expect(profile.targets[0]).toMatchObject({ requests: ['login'], checks: [{ metric: 'p99', limit: 100 }, { metric: 'rps', limit: 5 }] });
  });

  it('a missing --targets file is a usage error naming it', async () => {
    const error = await rejection(loadProfile('spike', { ...inProject, targetsFile: 'targets/nope.yaml' }));
    expect(error).toBeInstanceOf(PerfctlError);
    expect(error.message).toBe('target table file "targets/nope.yaml" not found');
  });
});

describe('loadProfile: invalid input', () => {
  it('throws one InputError with every problem of the file', async () => {
    const error = await rejection(loadProfile('errors/two-problems.yaml', inFixtures));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).issues).toHaveLength(2);
    expect(error.message.split('\n')).toEqual([
      'errors/two-problems.yaml:3:17: stages.0.duration: duration "10" has no unit (write "10s")',
      'errors/two-problems.yaml:6:13: requests.0.method: "PSOT" is not an HTTP method (did you mean "POST"?)',
    ]);
  });

  it('a missing profile file is a usage error naming it', async () => {
    const error = await rejection(loadProfile('nowhere/profile.yaml', inFixtures));
    expect(error).toBeInstanceOf(PerfctlError);
    expect(error.message).toBe('profile file "nowhere/profile.yaml" not found');
  });

  it('--base-url stands in for a missing or unset baseUrl', async () => {
    const profile = await loadProfile('errors/missing-base-url.yaml', { ...inFixtures, baseUrl: 'http://localhost:3000/' });
    expect(profile.baseUrl).toBe('http://localhost:3000');
    const error = await rejection(loadProfile('errors/missing-base-url.yaml', { ...inFixtures, baseUrl: 'localhost:3000' }));
    expect(error).toBeInstanceOf(PerfctlError);
    expect(error.message).toContain('--base-url');
  });
});

describe('resolveProfilePath', () => {
  it('finds a name in ./scenarios first (.yaml or .yml), then among the built-ins', async () => {
    expect(await resolveProfilePath('spike', inProject)).toEqual({ path: resolve(project, 'scenarios/spike.yaml'), source: 'scenarios/spike.yaml' });
    expect(await resolveProfilePath('closed', inProject)).toEqual({ path: resolve(project, 'scenarios/closed.yml'), source: 'scenarios/closed.yml' });
    expect(await resolveProfilePath('normal', inProject)).toEqual({ path: resolve(builtinDir, 'normal.yaml'), source: 'builtin' });
  });

  it('takes a ref with a / or a .yaml ending as a path', async () => {
    expect(await resolveProfilePath('./scenarios/spike.yaml', inProject)).toMatchObject({ source: './scenarios/spike.yaml' });
  });

  it('an unknown name is a usage error listing the available names', async () => {
    const error = (await rejection(resolveProfilePath('spkie', inProject))) as PerfctlError;
    expect(error.message).toBe('profile "spkie" not found');
    expect(error.hint).toContain('did you mean "spike"?');
    expect(error.hint).toContain('available: broken, closed, spike, normal');
  });

  it('a built-in profile has source "builtin"', async () => {
    const profile = await loadProfile('normal', inProject);
    expect(profile).toMatchObject({ source: 'builtin', name: 'normal', model: 'open', baseUrl: 'http://127.0.0.1:8080' });
    expect(profile.stages[0]).toMatchObject({ name: 'ramp-up', fromLevel: 0, toLevel: 50 });
  });
});

describe('listProfiles', () => {
  it('lists ./scenarios first, then built-ins not shadowed by a local one; a broken file as far as it can be read', async () => {
    expect(await listProfiles({ cwd: project, builtinDir })).toEqual([
      { name: 'broken', source: 'scenarios/broken.yaml', model: 'open', totalMs: null, description: 'Broken on purpose (for list)' },
      { name: 'closed', source: 'scenarios/closed.yml', model: 'closed', totalMs: 90_000, description: 'A closed-model local profile' },
      { name: 'spike', source: 'scenarios/spike.yaml', model: 'open', totalMs: 60_000, description: 'Local spike' },
      { name: 'normal', source: 'builtin', model: 'open', totalMs: 600_000, description: 'Built-in normal load' },
    ]);
  });
});

describe('validateFile and loadTargetsFile', () => {
  it('tells a target table from a profile', async () => {
    expect(await validateFile('targets-only/api.targets.yaml', inFixtures)).toEqual({ kind: 'targets', issues: [] });
    expect(await validateFile('valid/closed-with-targets-file.yaml', inFixtures)).toEqual({ kind: 'profile', issues: [] });
  });

  it('does not check the names of a target table on its own', async () => {
    expect(await validateFile('targets-only/unknown-names.targets.yaml', inFixtures)).toEqual({ kind: 'targets', issues: [] });
  });

  it('loads a target table file', async () => {
    const rows = await loadTargetsFile('targets-only/api.targets.yaml', { cwd: fixtures, env: {} });
    expect(rows.map((row) => [row.name, row.requests, row.phase])).toEqual([
      ['Pages', ['home', 'sea*'], null],
      ['Busy', null, 'busy'],
    ]);
    await expect(loadTargetsFile('errors/targets-file-errors.targets.yaml', { cwd: fixtures, env: {} })).rejects.toBeInstanceOf(InputError);
  });

  it('a missing file is a usage error naming it', async () => {
    const error = await rejection(validateFile('nope.yaml', inFixtures));
    expect(error).toBeInstanceOf(PerfctlError);
    expect(error.message).toBe('file "nope.yaml" not found');
  });
});
