// --checkpoint end to end: the built CLI killed with SIGKILL mid-run leaves a result.json with
// status running that validates, counts what the server saw up to the checkpoint, and that
// `report` and `compare` read; a run that ends replaces it with the final result.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

const profile = (duration: string): string =>
  ['name: long', 'stages:', `  - { name: main, duration: ${duration}, rate: 100 }`, 'requests:', '  - { name: ping, path: /ping }', ''].join('\n');

describe('--checkpoint', () => {
  it('SIGKILL 4.5 s into a 20 s run leaves a checkpoint: status running, about 4 s of data, read by report and compare', { retry: 1 }, async () => {
    server = await startTestServer(() => ({ delayMs: 1 }));
    dir = makeTempDir();
    const file = writeProfile(dir, 'long', profile('20s'));
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--base-url', server.url, '--out', out, '--no-progress', '--checkpoint', '1s'], {
      cwd: dir,
      signalAfterMs: { signal: 'SIGKILL', ms: 4500, from: 'stdout' },
    });
    expect(run.signal, describeRun(run)).toBe('SIGKILL');
    const text = readFileSync(join(out, 'result.json'), 'utf8');
    const result = JSON.parse(text);
    expect(validateResult(result)).toEqual([]);
    expect(result.status).toBe('running');
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toMatch(/checkpoint/);
    // checkpoints at 1, 2, 3, 4 s (one may still be on its way when the kill lands)
    expect(result.durationMs).toBeGreaterThanOrEqual(2500);
    expect(result.durationMs).toBeLessThanOrEqual(4600);
    expect(result.timeline.length).toBe(Math.round(result.durationMs / 1000));
    expect(result.timeline.reduce((s: number, p: { requests: number }) => s + p.requests, 0)).toBe(result.totals.requests);
    // what it counts, the server saw (the server also saw what came after the checkpoint)
    expect(result.totals.requests).toBeGreaterThanOrEqual(Math.floor(result.durationMs / 10) - 20);
    expect(result.totals.requests).toBeLessThanOrEqual(server.seen.requests);
    expect(result.groups.ping.requests).toBe(result.totals.requests);

    const report = await runCli(['report', join(out, 'result.json'), '--out', join(dir, 'again')], { cwd: dir });
    expect(report.code, describeRun(report)).toBe(0);
    expect(readFileSync(join(dir, 'again', 'summary.md'), 'utf8')).toMatch(/running/);
    expect(readFileSync(join(dir, 'again', 'report.html'), 'utf8')).toMatch(/running/);
    const compare = await runCli(['compare', join(out, 'result.json'), join(out, 'result.json')], { cwd: dir });
    expect(compare.code, describeRun(compare)).toBe(0);
  }, 40_000);

  it('a run that ends replaces its checkpoint with the final result; --checkpoint off writes nothing before the end', { retry: 1 }, async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'long', profile('3s'));
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--base-url', server.url, '--out', out, '--no-progress', '--checkpoint', '1s'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    const result = readResultFile(out);
    expect(result.status).toBe('completed');
    expect(result.totals.requests).toBe(server.seen.requests);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const off = join(dir, 'off');
    const killed = await runCli(['run', file, '--base-url', server.url, '--out', off, '--no-progress', '--checkpoint', 'off'], {
      cwd: dir,
      signalAfterMs: { signal: 'SIGKILL', ms: 2500, from: 'stdout' },
    });
    expect(killed.signal, describeRun(killed)).toBe('SIGKILL');
    expect(existsSync(join(off, 'result.json'))).toBe(false);
  }, 40_000);
});
