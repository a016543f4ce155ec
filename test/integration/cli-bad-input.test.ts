// Bad input to the built CLI: exit 2, one `file:line:col: field: message` line per problem on
// stderr, no stack trace, and not one request reaches the service (SPEC §1, §9; issue 2).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, runCli, writeProfile, type CliRun } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  removeTempDir(dir);
});

const STACK = /^\s+at .+[:(]/m;

/** `line:col` (1-based) of the first `needle` on line `lineNo` (1-based) of `text`. */
function position(text: string, lineNo: number, needle: string): string {
  const line = text.split('\n')[lineNo - 1] ?? '';
  const index = line.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not on line ${lineNo}: ${line}`);
  return `${lineNo}:${index + 1}`;
}

async function runBad(name: string, yaml: string, extra: string[] = []): Promise<CliRun> {
  dir = makeTempDir();
  writeProfile(dir, name, yaml);
  const run = await runCli(['run', `${name}.yaml`, '--out', join(dir, 'out'), ...extra], { cwd: dir, env: { TARGET_URL: server.url } });
  expect(run.code, describeRun(run)).toBe(2);
  expect(run.stderr, describeRun(run)).not.toMatch(STACK);
  expect(run.stdout).not.toMatch(STACK);
  expect(server.seen.requests, 'nothing may be sent on invalid input').toBe(0);
  expect(existsSync(join(dir, 'out', 'result.json'))).toBe(false);
  return run;
}

/** The stderr lines of the form `file:line:col: ...`. */
const issueLines = (stderr: string): string[] => stderr.split('\n').filter((line) => /^[^\s:]+:\d+:\d+: /.test(line));

describe('perfctl run with invalid input (built CLI)', () => {
  it('a bare-number duration: the file, line, column and field, and a hint to add a unit', async () => {
    const yaml = ['name: bad', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 30, rate: 10 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n');
    const run = await runBad('bad-duration', yaml);
    const lines = issueLines(run.stderr);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`bad-duration.yaml:${position(yaml, 4, '30')}: stages.0.duration: `);
    expect(lines[0]).toContain('"30s"');
  });

  it('a misspelt key: "did you mean", and every problem of the file reported together', async () => {
    const yaml = ['name: bad', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, durration: 2s, rate: 10 }', 'requests:', '  - { name: ping, path: /ping }', 'thinktime: 1s', ''].join('\n');
    const run = await runBad('misspelt', yaml);
    const lines = issueLines(run.stderr);
    expect(lines.some((l) => l.startsWith(`misspelt.yaml:${position(yaml, 4, 'durration')}: stages.0.durration: `) && /did you mean `?duration`?/.test(l)), run.stderr).toBe(true);
    expect(lines.some((l) => l.startsWith(`misspelt.yaml:${position(yaml, 7, 'thinktime')}: thinktime: `) && /did you mean `?thinkTime`?/.test(l)), run.stderr).toBe(true);
  });

  it('an unset ${VAR} with no default: names the variable', async () => {
    const yaml = [
      'name: bad',
      'baseUrl: ${TARGET_URL}',
      'stages:',
      '  - { name: main, duration: 2s, rate: 10 }',
      'requests:',
      '  - name: ping',
      '    path: /ping',
      '    headers: { x-token: "${PERFCTL_E2E_UNSET_VARIABLE}" }',
      '',
    ].join('\n');
    const run = await runBad('unset-var', yaml);
    const lines = issueLines(run.stderr);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^unset-var\.yaml:8:\d+: requests\.0\.headers\.x-token: /);
    expect(lines[0]).toContain('PERFCTL_E2E_UNSET_VARIABLE');
  });

  it('stages mixing rate and vus', async () => {
    const yaml = ['name: bad', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: a, duration: 2s, rate: 10 }', '  - { name: b, duration: 2s, vus: 10 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n');
    const run = await runBad('mixed', yaml);
    const lines = issueLines(run.stderr);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^mixed\.yaml:5:\d+: stages\.1(\.vus)?: /);
    expect(lines[0]).toMatch(/rate/);
    expect(lines[0]).toMatch(/vus/);
  });

  it('a target row with an unknown phase: names it, with "did you mean"', async () => {
    const yaml = [
      'name: bad',
      'baseUrl: ${TARGET_URL}',
      'stages:',
      '  - { name: warmup, duration: 1s, rate: 10 }',
      '  - { name: spike, duration: 1s, rate: 50 }',
      'requests:',
      '  - { name: ping, path: /ping }',
      'targets:',
      '  - name: During the spike',
      '    phase: spkie',
      '    errorRate: 1%',
      '',
    ].join('\n');
    const run = await runBad('phase', yaml);
    const lines = issueLines(run.stderr);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`phase.yaml:${position(yaml, 10, 'spkie')}: targets.0.phase: `);
    expect(lines[0]).toContain('spkie');
    expect(lines[0]).toMatch(/did you mean "?spike"?/);
  });

  it('a target row whose requests match nothing: names it (a typo must never pass silently)', async () => {
    const yaml = [
      'name: bad',
      'baseUrl: ${TARGET_URL}',
      'stages:',
      '  - { name: main, duration: 1s, rate: 10 }',
      'requests:',
      '  - { name: login, path: /login }',
      'targets:',
      '  - name: Auth',
      '    requests: [logn]',
      '    p95: 200ms',
      '',
    ].join('\n');
    const run = await runBad('request-typo', yaml);
    const lines = issueLines(run.stderr);
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^request-typo\.yaml:9:\d+: targets\.0\.requests\.0: /);
    expect(lines[0]).toContain('logn');
  });

  it('an unknown profile name: exit 2, names it and what is available, nothing sent', async () => {
    dir = makeTempDir();
    const run = await runCli(['run', 'no-such-profile', '--base-url', server.url, '--out', join(dir, 'out')], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('no-such-profile');
    expect(run.stderr).toMatch(/normal/);
    expect(run.stderr).not.toMatch(STACK);
    expect(server.seen.requests).toBe(0);
  });

  it('an unknown option: exit 2, nothing sent', async () => {
    dir = makeTempDir();
    const file = writeProfile(dir, 'good', ['name: good', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 1s, rate: 10 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n'));
    const run = await runCli(['run', file, '--rps', '10', '--out', join(dir, 'out')], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('--rps');
    expect(server.seen.requests).toBe(0);
  });
});

describe('outputs checked before the load (built CLI)', () => {
  const good = ['name: good', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 2s, rate: 5 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n');

  it.each([
    ['an --out that cannot be created', '/proc/nope/out', /--out \/proc\/nope\/out: cannot create the folder/],
    ['an --out that cannot be written', '/proc', /--out \/proc: the folder cannot be written/],
  ])('%s: exit 2 before any request reaches the service', async (_name, out, message) => {
    dir = makeTempDir();
    writeProfile(dir, 'good', good);
    const run = await runCli(['run', 'good.yaml', '--out', out], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.seen.requests, 'nothing may be sent').toBe(0);
  });

  it('a second run into an --out another run is writing: exit 2 at once, naming the other run', async () => {
    dir = makeTempDir();
    writeProfile(dir, 'good', good);
    // a server of its own: the other tests here count what reaches theirs
    const own = await startTestServer();
    const first = runCli(['run', 'good.yaml', '--out', 'shared'], { cwd: dir, env: { TARGET_URL: own.url } });
    // the first run holds the lock once it has started its load
    const started = Date.now();
    while (!existsSync(join(dir, 'shared', '.perfctl.lock')) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    const second = await runCli(['run', 'good.yaml', '--out', 'shared'], { cwd: dir, env: { TARGET_URL: own.url } });
    expect(second.code, describeRun(second)).toBe(2);
    expect(second.stderr).toMatch(/another perfctl run \(pid \d+\) is writing into this folder/);
    const done = await first;
    expect(done.code, describeRun(done)).not.toBe(2);
    expect(existsSync(join(dir, 'shared', '.perfctl.lock'))).toBe(false);
    expect(existsSync(join(dir, 'shared', 'result.json'))).toBe(true);
    expect(own.seen.requests).toBe(10);
    await own.close();
  });
});

describe('perfctl validate (built CLI)', () => {
  it('accepts a good profile (exit 0) and reports every problem of a bad one (exit 2), sending nothing', async () => {
    dir = makeTempDir();
    writeProfile(dir, 'good', ['name: good', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 10s, rate: 10 }', 'requests:', '  - { name: ping, path: /ping }', 'targets:', '  - { name: All, p95: 100ms, errorRate: 1% }', ''].join('\n'));
    const badYaml = ['name: bad', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 10, rate: 10 }', 'requests:', '  - { name: ping, path: /ping, wieght: 2 }', ''].join('\n');
    writeProfile(dir, 'bad', badYaml);

    const good = await runCli(['validate', 'good.yaml'], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(good.code, describeRun(good)).toBe(0);
    expect(good.stdout).toContain('good.yaml');
    expect(good.stderr).toBe('');

    const bad = await runCli(['validate', 'bad.yaml'], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(bad.code, describeRun(bad)).toBe(2);
    const lines = issueLines(bad.stderr + bad.stdout);
    expect(lines, describeRun(bad)).toHaveLength(2);
    expect(lines.some((l) => l.startsWith(`bad.yaml:${position(badYaml, 4, '10,')}: stages.0.duration: `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`bad.yaml:${position(badYaml, 6, 'wieght')}: requests.0.wieght: `) && /weight/.test(l))).toBe(true);
    expect(bad.stderr + bad.stdout).not.toMatch(STACK);

    // both at once: exit 2, the good one still said to be fine
    const both = await runCli(['validate', 'good.yaml', 'bad.yaml'], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(both.code, describeRun(both)).toBe(2);
    expect(server.seen.requests).toBe(0);
  });
});
