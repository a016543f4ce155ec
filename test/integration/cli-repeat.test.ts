// run --repeat and several runs a side through the built CLI: 3 runs into one folder, then 3
// runs against a slower service compared with that folder as the baseline (the change must
// hold across runs), and compare / history over the folders.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import type { Comparison, Result } from '../../src/result/types.js';

let fast: TestServer;
let slow: TestServer;
let dir: string;
let profileFile: string;

beforeAll(async () => {
  assertBuilt();
  fast = await startTestServer(() => ({ delayMs: 5 }));
  slow = await startTestServer(() => ({ delayMs: 15 }));
  dir = makeTempDir();
  profileFile = writeProfile(dir, 'rep', ['name: rep', 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 3s, rate: 100 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n'));
});
afterAll(async () => {
  await fast?.close();
  await slow?.close();
  removeTempDir(dir);
});

const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('run --repeat and several runs a side (built CLI)', () => {
  it('3 runs into one folder, then 3 runs of a 3x slower service against them: exit 1, the change holds across runs', { timeout: 120_000 }, async () => {
    const base = await runCli(['run', profileFile, '--repeat', '3', '--out', join(dir, 'base'), '--quiet'], { cwd: dir, env: { TARGET_URL: fast.url }, timeoutMs: 60_000 });
    expect([0, 4], describeRun(base)).toContain(base.code);
    for (const file of ['result-1.json', 'result-2.json', 'result-3.json', 'report-1.html', 'report.html', 'summary.md']) expect(existsSync(join(dir, 'base', file)), file).toBe(true);
    expect(existsSync(join(dir, 'base', '.run-1'))).toBe(false);
    expect(base.stdout).toMatch(/3 runs of rep/);
    expect(base.stdout).toMatch(/^median\s+\d+/m);
    const requests = [1, 2, 3].map((i) => read<Result>(join(dir, 'base', `result-${i}.json`)).totals.requests);
    expect(fast.seen.requests).toBe(requests.reduce((a, b) => a + b, 0));

    const cur = await runCli(['run', profileFile, '--repeat', '3', '--baseline', join(dir, 'base'), '--out', join(dir, 'cur'), '--quiet'], { cwd: dir, env: { TARGET_URL: slow.url }, timeoutMs: 60_000 });
    const comparison = read<Comparison>(join(dir, 'cur', 'comparison.json'));
    expect(comparison.method).toMatchObject({ baselineRuns: 3, currentRuns: 3, runAlpha: 0.05 });
    const p50 = comparison.entries.find((e) => e.scope === 'total' && e.metric === 'p50')!;
    expect(p50.state, JSON.stringify(p50)).toBe('regression');
    expect(cur.code, describeRun(cur)).toBe(1);
    expect(cur.stdout).toMatch(/against 3 results in .*base/);

    const compare = await runCli(['compare', join(dir, 'base'), join(dir, 'cur')], { cwd: dir });
    expect(compare.code, describeRun(compare)).toBe(1);
    expect(compare.stdout).toMatch(/3 baseline and 3 current runs/);

    const history = await runCli(['history', join(dir, 'base'), join(dir, 'cur'), '--metric', 'p50', '--out', join(dir, 'hist')], { cwd: dir });
    expect([0, 1], describeRun(history)).toContain(history.code);
    expect(history.stdout).toMatch(/History of rep: 6 runs/);
    expect(readFileSync(join(dir, 'hist', 'history.html'), 'utf8')).toContain('href="../base/report-1.html"');
  });
});
