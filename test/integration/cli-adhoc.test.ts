// `perfctl run <URL>` and the run overrides, end to end: the built CLI against a real server on
// 127.0.0.1, its counts held against what the server saw (issue 14, "Done when").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

describe('perfctl run <URL>', () => {
  it('-c 10 -n 1000: the server sees exactly 1000 requests, never more than 10 at once; tables and result.json written', async () => {
    server = await startTestServer(() => ({ delayMs: 2 }));
    dir = makeTempDir();
    const out = join(dir, 'out');
    const run = await runCli(['run', `${server.url}/items`, '-c', '10', '-n', '1000', '--out', out], { cwd: dir });

    expect(run.code, describeRun(run)).toBe(0);
    expect(server.seen.requests).toBe(1000);
    expect(server.seen.maxInFlight).toBeLessThanOrEqual(10);
    expect(server.seen.byPath).toEqual({ '/items': 1000 });
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.totals.requests).toBe(1000);
    expect(result.profile.model).toBe('closed');
    expect(result.profile.source).toBe(`${server.url}/items`);
    // the plan is what ran: one stage that ended with the 1000th answer
    expect(result.profile.stages).toHaveLength(1);
    expect(result.profile.stages[0]!.durationMs).toBe(result.durationMs);
    expect(result.run?.options).toMatchObject({ vus: '10', requests: '1000' });
    expect(run.stdout).toMatch(/│ GET \/items\s+│\s+1000 │/);
  });

  it('-R 200 -d 5s: the server sees 1000 ± 1%', { retry: 1 }, async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const out = join(dir, 'out');
    const run = await runCli(['run', `${server.url}/items`, '-R', '200', '-d', '5s', '--out', out, '--quiet'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(server.seen.requests).toBeGreaterThanOrEqual(990);
    expect(server.seen.requests).toBeLessThanOrEqual(1010);
    expect(readResultFile(out).totals.requests).toBe(server.seen.requests);
  });

  it('-m, -H, -b @file, -T reach the server as given; --print-profile prints a profile that runs the same', async () => {
    const seen: Array<{ method: string; headers: Record<string, unknown>; body: string }> = [];
    server = await startTestServer((req) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => seen.push({ method: req.method ?? '', headers: req.headers, body }));
    });
    dir = makeTempDir();
    writeFileSync(join(dir, 'register.json'), '{"email":"a@b.c"}');
    const args = [`${server.url}/api/register`, '-m', 'PUT', '-H', 'X-Trace: t-1', '-H', 'Authorization: Bearer sekret', '-b', '@register.json', '-T', 'application/json', '-n', '5', '-c', '1'];
    const printed = await runCli(['run', ...args, '--print-profile'], { cwd: dir });
    expect(printed.code, describeRun(printed)).toBe(0);
    expect(server.seen.requests).toBe(0); // printing sends nothing
    expect(printed.stdout).toContain('method: PUT');
    expect(printed.stdout).not.toContain('sekret');
    const file = writeProfile(dir, 'printed', printed.stdout);

    const out = join(dir, 'out');
    const run = await runCli(['run', ...args, '--out', out, '--quiet'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    const again = await runCli(['run', file, '-n', '5', '--out', join(dir, 'again'), '--quiet'], { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(seen).toHaveLength(10);
    for (const request of seen) {
      expect(request).toMatchObject({ method: 'PUT', body: '{"email":"a@b.c"}' });
      expect(request.headers).toMatchObject({ 'x-trace': 't-1', 'content-type': 'application/json' });
    }
    // the secret is sent, but the printed profile holds it redacted
    expect(seen.slice(0, 5).map((request) => request.headers['authorization'])).toEqual(Array(5).fill('Bearer sekret'));
    expect(seen.slice(5).map((request) => request.headers['authorization'])).toEqual(Array(5).fill('***'));
    const result = readResultFile(out);
    expect(JSON.stringify(result)).not.toContain('sekret');
    expect(result.run?.options['header']).toEqual(['X-Trace: t-1', 'Authorization: ***']);
  });
});

describe('run overrides on a profile', () => {
  const profile = [
    'name: ov',
    'baseUrl: ${TARGET_URL}',
    'stages:',
    '  - { name: warm, duration: 1s, rate: 5 }',
    '  - { name: main, duration: 1s, rate: 5 }',
    'requests:',
    '  - { name: ping, path: "/${PING_PATH}" }',
    '',
  ].join('\n');

  it('-c, -n, -e beats the environment, --env-file, --label and --meta: recorded in result.json', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'ov', profile);
    writeFileSync(join(dir, '.env'), '# the service\nexport TARGET_URL=http://127.0.0.1:1\nPING_PATH="from-file"\nAPI_TOKEN=hidden\n');
    const out = join(dir, 'out');
    const run = await runCli(
      ['run', file, '--env-file', '.env', '-e', `TARGET_URL=${server.url}`, '-e', 'API_TOKEN=s3cr3t', '-c', '3', '-n', '30', '--label', 'rc-2', '--meta', 'commit=abc123', '--meta', 'by=ci', '--meta', 'note=a\u001b[2Jb', '--seed', '7', '--out', out],
      { cwd: dir, env: { PING_PATH: 'from-env' } },
    );
    expect(run.code, describeRun(run)).toBe(0);
    expect(server.seen.byPath).toEqual({ '/from-env': 30 });
    expect(server.seen.maxInFlight).toBeLessThanOrEqual(3);
    expect(run.stdout).toContain('label: rc-2');
    // a control character in a meta value is shown, never sent to the terminal
    expect(run.stdout).toContain('note: a?[2Jb');
    expect(run.stdout).not.toContain('\u001b[2J');
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.profile.model).toBe('closed');
    expect(result.run).toEqual({
      options: expect.objectContaining({ vus: '3', requests: '30', envFile: '.env', env: { TARGET_URL: server.url, API_TOKEN: '***' }, seed: 7, label: 'rc-2' }),
      label: 'rc-2',
      meta: { commit: 'abc123', by: 'ci', note: 'a\u001b[2Jb' },
    });
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });

  it.each([
    [['-c', '5', '-R', '5'], /-c\/--vus and -R\/--rate cannot be used together/],
    [['-H', 'a: b'], /-H describe the request of an ad-hoc URL run/],
    [['--env-file', 'bad.env'], /bad\.env:2:1: expected NAME=value/],
  ])('%j: exit 2 with the reason, nothing sent', async (flags, message) => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'ov', profile);
    writeFileSync(join(dir, 'bad.env'), 'A=1\nnot a pair\n');
    const run = await runCli(['run', file, ...flags], { cwd: dir, env: { TARGET_URL: server.url, PING_PATH: 'p' } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.seen.requests).toBe(0);
  });

  // Node 20 itself reads `--env-file` anywhere in its argv: a missing file stops it (exit 9) before perfctl starts
  it('--env-file that does not exist: perfctl (or Node 20 before it) refuses, nothing sent', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'ov', profile);
    const run = await runCli(['run', file, '--env-file', 'missing.env'], { cwd: dir, env: { TARGET_URL: server.url, PING_PATH: 'p' } });
    expect([2, 9]).toContain(run.code);
    expect(run.stderr).toMatch(/missing\.env/);
    expect(server.seen.requests).toBe(0);
  });

  it('-R on users that think: exit 2', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'think', ['baseUrl: ${TARGET_URL}', 'stages: [ { duration: 1s, vus: 2 } ]', 'thinkTime: 1s', 'requests: [ { path: /p } ]', ''].join('\n'));
    const run = await runCli(['run', file, '-R', '10'], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/users that think 1s/);
  });
});
