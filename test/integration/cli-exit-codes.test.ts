// Exit codes of the built CLI when the service or the user gets in the way (SPEC §1, §9):
// 3 for a service refusing every connection, errors counted by kind when it dies mid-run,
// 130 with an `interrupted` result on SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, closedPort, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
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

const STACK = /^\s+at .+[:(]/m;

function profile(name: string, stage: string, extra: string[] = []): string {
  return [`name: ${name}`, 'baseUrl: ${TARGET_URL}', 'stages:', `  - { name: main, ${stage} }`, 'requests:', '  - { name: ping, path: /ping }', 'timeout: 2s', ...extra, ''].join('\n');
}

describe('perfctl run exit codes (built CLI)', () => {
  it('a service refusing every connection: exit 3 quickly, a clear message, no stack trace', async () => {
    const port = await closedPort();
    dir = makeTempDir();
    const file = writeProfile(dir, 'refused', profile('refused', 'duration: 10s, rate: 50'));
    const run = await runCli(['run', file, '--out', join(dir, 'out')], { cwd: dir, env: { TARGET_URL: `http://127.0.0.1:${port}` } });
    expect(run.code, describeRun(run)).toBe(3);
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
    expect(run.stderr).toMatch(/ECONNREFUSED|refused/i);
    expect(run.stderr).not.toMatch(STACK);
    // a short probe, not the 10 s profile
    expect(run.elapsedMs).toBeLessThan(8000);
  });

  // exit 1 needs the generator to keep its schedule (else 4, rightly): one retry on a busy shared machine
  it('a service that goes away mid-run: the run goes on, errors counted by kind, result.json written, exit 1 per its error-rate target', { retry: 1 }, async () => {
    let closing: Promise<void> | undefined;
    server = await startTestServer((_req, n) => {
      if (n === 0) {
        setTimeout(() => {
          closing = server!.close();
        }, 1500);
      }
      return { delayMs: 5 };
    });
    dir = makeTempDir();
    const file = writeProfile(dir, 'dies', profile('dies', 'duration: 4s, rate: 100', ['targets:', '  - { name: Whole API, errorRate: 1% }']));
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--out', out, '--format', 'json,junit,md'], { cwd: dir, env: { TARGET_URL: server.url } });
    await closing;
    server = undefined;

    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).not.toMatch(STACK);
    expect(existsSync(join(out, 'result.json'))).toBe(true);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.status).toBe('completed');
    expect(result.verdict).toBe('fail');
    // the whole schedule was due: 4 s x 100/s
    expect(result.totals.requests).toBeGreaterThanOrEqual(380);
    expect(result.totals.requests).toBeLessThanOrEqual(420);
    // about 2.5 s of the 4 s failed; every error is of a connection kind, and they add up
    const kinds = result.totals.errorKinds;
    const kindSum = Object.values(kinds).reduce((a, b) => a + b, 0);
    expect(kindSum).toBe(result.totals.errors);
    expect(result.totals.errors).toBeGreaterThan(150);
    expect(Object.keys(kinds).every((k) => /^(ECONNREFUSED|ECONNRESET|socket|EPIPE)$/.test(k)), JSON.stringify(kinds)).toBe(true);
    expect(kinds['ECONNREFUSED'] ?? 0).toBeGreaterThan(100);
    expect(result.totals.requests - result.totals.errors).toBe(result.totals.statusCodes['200']);
    expect(result.targets).toHaveLength(1);
    expect(result.targets[0]!.pass).toBe(false);
    console.log(`[cli-exit-codes] service closed after 1.5 s of 4 s: ${result.totals.requests} requests, ${result.totals.errors} errors ${JSON.stringify(kinds)}, 200s ${result.totals.statusCodes['200']}`);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} after ~1.5 s of a 10 s run: exit 130, result.json marked interrupted with what was measured`, async () => {
      server = await startTestServer(() => ({ delayMs: 2 }));
      dir = makeTempDir();
      const file = writeProfile(dir, 'long', profile('long', 'duration: 10s, rate: 100', ['targets:', '  - { name: Whole API, errorRate: 1% }']));
      const out = join(dir, 'out');
      const run = await runCli(['run', file, '--out', out, '--format', 'json,junit,md'], {
        cwd: dir,
        env: { TARGET_URL: server.url },
        signalAfterMs: { signal, ms: 1500, from: 'stdout' },
      });

      expect(run.signal, describeRun(run)).toBeNull();
      expect(run.code, describeRun(run)).toBe(130);
      expect(run.elapsedMs).toBeLessThan(8000);
      const result = readResultFile(out);
      expect(validateResult(result)).toEqual([]);
      expect(result.status).toBe('interrupted');
      expect(result.totals.requests).toBeGreaterThan(50);
      expect(result.totals.requests).toBeLessThan(400);
      expect(result.totals.requests).toBe(server.seen.requests);
      expect(result.totals.errors).toBe(0);
      expect(result.durationMs).toBeLessThan(5000);
      // every report asked for is still written
      expect(existsSync(join(out, 'junit.xml'))).toBe(true);
      expect(existsSync(join(out, 'summary.md'))).toBe(true);
      expect(run.stdout).toMatch(/interrupted/);
      console.log(`[cli-exit-codes] ${signal}: ${result.totals.requests} requests measured (server ${server.seen.requests}) in ${result.durationMs} ms, exit after ${Math.round(run.elapsedMs)} ms, verdict ${result.verdict}`);
    });
  }
});
