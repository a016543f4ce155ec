// Setup and teardown end to end, and examples/plans/ run shortened against the demo service
// (issue 14, "Done when": one login in setup, every request carries its token, thresholds judged).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, repoRoot, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let dir: string | undefined;
let demo: DemoServer | undefined;
let server: TestServer | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await demo?.close();
  await server?.close();
  demo = undefined;
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

describe('setup and teardown', () => {
  it('learnify-baseline: one login in setup, every request that needs the token carries it, p95/p99/errorRate judged', { retry: 1 }, async () => {
    const quiet = { errorRate: 0 };
    demo = await startDemoServer({ latencyScale: 0.2, routes: { login: quiet, me: quiet, createSubmission: quiet } });
    dir = makeTempDir();
    const out = join(dir, 'out');
    const run = await runCli(['run', join(repoRoot, 'examples/plans/learnify-baseline.yaml'), '-u', demo.url, '-d', '8s', '--out', out], { cwd: dir, timeoutMs: 60_000 });
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toMatch(/setup: login 200 in [\d.]+ ms/);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    const stats = demo.stats();
    expect(stats.byRoute['login']).toBe(1);
    expect(result.setup?.steps).toEqual([expect.objectContaining({ name: 'login', status: 200 })]);
    // /api/me and the submissions answer 401 without the token: none failed, all were counted
    expect(result.groups['me']!.requests).toBeGreaterThan(20);
    expect(result.groups['me']!.errors).toBe(0);
    expect(result.groups['update']!.errors).toBe(0);
    expect(stats.byRoute['me']).toBe(result.groups['me']!.requests);
    expect(result.targets.map((check) => check.metric).sort()).toEqual(['errorRate', 'p95', 'p99']);
    expect(JSON.stringify(result)).not.toMatch(/demo\.[0-9a-f]{32}/); // the token is never in the result
  });

  it('--print-profile keeps setup, templates and when: the printed profile validates', async () => {
    dir = makeTempDir();
    const printed = await runCli(['run', join(repoRoot, 'examples/plans/learnify-baseline.yaml'), '--print-profile', '-d', '10s'], { cwd: dir });
    expect(printed.code, describeRun(printed)).toBe(0);
    expect(printed.stdout).toMatch(/^setup:\n  - name: login/m);
    expect(printed.stdout).toContain('authorization: Bearer {{ setup.token }}');
    expect(printed.stdout).toContain('path: /api/challenges/{{ randomInt(1, 50) }}');
    expect(printed.stdout).not.toContain('password123');
    const file = writeProfile(dir, 'printed', printed.stdout);
    const check = await runCli(['validate', file], { cwd: dir });
    expect(check.code, describeRun(check)).toBe(0);
  });

  it('a failed setup step sends no load: exit 3 naming the step', async () => {
    server = await startTestServer((req) => (req.url === '/login' ? { status: 401 } : undefined));
    dir = makeTempDir();
    const file = writeProfile(
      dir,
      'setup-fails',
      [
        'baseUrl: ${TARGET_URL}',
        'stages: [ { duration: 2s, rate: 20 } ]',
        'setup:',
        '  - { name: sign-in, method: POST, path: /login, json: { user: a }, capture: { token: $.token } }',
        'requests: [ { path: /items, headers: { authorization: "Bearer {{ setup.token }}" } } ]',
        '',
      ].join('\n'),
    );
    const run = await runCli(['run', file, '--out', join(dir, 'out')], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(3);
    expect(run.stderr).toContain('setup step "sign-in" failed: status 401; no load was sent');
    expect(server.seen.byPath).toEqual({ '/login': 1 });
  });

  it('teardown runs once after the load with the setup values, recorded apart from the load', async () => {
    const seen: string[] = [];
    server = await startTestServer((req) => {
      seen.push(`${req.method} ${req.url} ${req.headers['x-session'] ?? ''}`);
      return req.url === '/session' ? { body: '{"id":"s-42"}' } : undefined;
    });
    dir = makeTempDir();
    const file = writeProfile(
      dir,
      'teardown',
      [
        'baseUrl: ${TARGET_URL}',
        'stages: [ { duration: 1s, vus: 2 } ]',
        'setup: [ { name: open, method: POST, path: /session, capture: { id: $.id } } ]',
        'teardown: [ { name: close, method: DELETE, path: "/session/{{ setup.id }}" } ]',
        'requests: [ { name: work, path: /work, headers: { x-session: "{{ setup.id }}" } } ]',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--out', out], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(0);
    expect(seen[0]).toBe('POST /session ');
    expect(seen[seen.length - 1]).toBe('DELETE /session/s-42 ');
    expect(seen.slice(1, -1).every((line) => line === 'GET /work s-42')).toBe(true);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.teardown?.steps).toEqual([expect.objectContaining({ name: 'close', status: 200 })]);
    // measured apart: the load's groups and totals hold only the load
    expect(Object.keys(result.groups)).toEqual(['work']);
    expect(result.totals.requests).toBe(seen.length - 2);
  });
});

describe('examples/plans', () => {
  it("learnify-ab.sh's login line against the demo: exactly -n requests, never more than -c at once", async () => {
    demo = await startDemoServer({ latencyScale: 0.1, routes: { login: { errorRate: 0 } } });
    dir = makeTempDir();
    const out = join(dir, 'out');
    const line = ['run', `${demo.url}/api/auth/login`, '-n', '300', '-c', '10', '-b', '@login.json', '-T', 'application/json', '--out', out, '--quiet'];
    const run = await runCli(line, { cwd: join(repoRoot, 'examples/plans') });
    expect(run.code, describeRun(run)).toBe(0);
    expect(demo.stats().byRoute['login']).toBe(300);
    expect(demo.stats().maxInFlight).toBeLessThanOrEqual(10);
    expect(readResultFile(out).groups['POST /api/auth/login']).toMatchObject({ requests: 300, errors: 0 });
  });

  const profiles = readdirSync(join(repoRoot, 'examples/plans')).filter((file) => file.endsWith('.yaml'));

  it('has the translations of the five seeds', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(5);
  });

  it.each(profiles)('%s runs shortened with -d against the demo service (--demo)', { timeout: 90_000 }, async (file) => {
    dir = makeTempDir();
    const out = join(dir, 'out');
    const run = await runCli(['run', join(repoRoot, 'examples/plans', file), '--demo', '-d', '6s', '--scale', '0.05', '--out', out, '--quiet'], { cwd: dir, timeoutMs: 80_000 });
    // the verdict is the demo's business (1: a target missed, 4: too little data in 6 s); a crash or bad input is not
    expect([0, 1, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.totals.requests).toBeGreaterThan(0);
    // a plan of scenarios ran every one of them, each measured on its own
    if (file === 'browse-and-login-wave.yaml') expect(Object.keys(result.scenarios ?? {})).toEqual(['browsing', 'login-wave']);
    for (const [name, scenario] of Object.entries(result.scenarios ?? {})) expect(scenario.requests, name).toBeGreaterThan(0);
  });
});

describe('the Zoptal plan: every service\'s test at once (--concurrent)', () => {
  it('zoptal-auth, -projects and -ai with --vus and -d: one run, one scenario each, each agreeing with what the demo saw', { timeout: 90_000 }, async () => {
    const quiet = { errorRate: 0 };
    demo = await startDemoServer({ latencyScale: 0.1, routes: { login: quiet, me: quiet, listChallenges: quiet, getChallenge: quiet, createSubmission: quiet, tutorChat: quiet } });
    dir = makeTempDir();
    const out = join(dir, 'out');
    const plans = ['zoptal-auth.yaml', 'zoptal-projects.yaml', 'zoptal-ai.yaml'].map((file) => join(repoRoot, 'examples/plans', file));
    const run = await runCli(['run', ...plans, '--vus', '4', '-d', '5s', '--concurrent', '-u', demo.url, '--out', out, '--quiet'], { cwd: dir, timeoutMs: 80_000 });
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    const scenarios = result.scenarios!;
    expect(Object.keys(scenarios)).toEqual(['zoptal-auth', 'zoptal-projects', 'zoptal-ai']);
    for (const scenario of Object.values(scenarios)) expect([scenario.model, scenario.stages.map((s) => [s.durationMs, s.toLevel])]).toEqual(['closed', [[5000, 4]]]);
    const stats = demo.stats().byRoute;
    // logins come from two scenarios; each of the others' routes from one
    expect(stats['login']).toBe(scenarios['zoptal-auth']!.groups['login']!.requests + scenarios['zoptal-ai']!.groups['sign-in']!.requests);
    expect(stats['tutorChat']).toBe(scenarios['zoptal-ai']!.groups['generate-code']!.requests);
    expect(stats['me']).toBe(scenarios['zoptal-auth']!.groups['validate']!.requests);
    expect(stats['createSubmission'] ?? 0).toBe(scenarios['zoptal-projects']!.groups['create-build']?.requests ?? 0);
    expect(demo.stats().requests).toBe(result.totals.requests);
    // each service's thresholds judge its own scenario
    expect(result.targets.map((t) => [t.row, t.scenario])).toEqual([
      ['Auth service', 'zoptal-auth'],
      ['Auth service', 'zoptal-auth'],
      ['Project service', 'zoptal-projects'],
      ['Project service', 'zoptal-projects'],
      ['AI service', 'zoptal-ai'],
      ['AI service', 'zoptal-ai'],
    ]);
  });
});

describe('several profiles in one perfctl run', () => {
  const profile = (name: string, path: string): string => [`name: ${name}`, 'baseUrl: ${TARGET_URL}', 'stages: [ { duration: 1s, rate: 20 } ]', `requests: [ { name: ${name}, path: ${path} } ]`, ''].join('\n');

  it('run one after another, each into its own folder, with one sign-off report over both', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const a = writeProfile(dir, 'alpha', profile('alpha', '/a'));
    const b = writeProfile(dir, 'beta', profile('beta', '/b'));
    const out = join(dir, 'signoff');
    const run = await runCli(['run', a, b, '--out', out], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(0);
    expect(server.seen.byPath).toEqual({ '/a': 20, '/b': 20 });
    expect(readResultFile(join(out, '1-alpha')).groups['alpha']!.requests).toBe(20);
    expect(readResultFile(join(out, '2-beta')).groups['beta']!.requests).toBe(20);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(['1-alpha', '2-beta', 'report.html', 'summary.md', 'junit.xml']));
  });

  it('a bad profile anywhere in the list: exit 2 before the first is run', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const a = writeProfile(dir, 'alpha', profile('alpha', '/a'));
    const bad = writeProfile(dir, 'bad', 'baseUrl: ${TARGET_URL}\nstages: [ { duration: 1, rate: 5 } ]\nrequests: [ { path: /x } ]\n');
    const run = await runCli(['run', a, bad], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:2:\d+: stages\.0\.duration: duration "1" has no unit/);
    expect(server.seen.requests).toBe(0);
  });
});
