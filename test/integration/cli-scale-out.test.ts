// Beyond one event loop: --workers splits the schedule across threads, --shard across
// machines, and `merge` adds the shards back together exactly.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assertBuilt, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let dir: string;
let server: TestServer | undefined;
beforeAll(() => {
  assertBuilt();
  dir = makeTempDir();
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const profile = (model: 'rate' | 'vus', a: number, b: number): string => `
name: scale-out
baseUrl: http://127.0.0.1:1
stages:
  - { name: low, duration: 2s, ${model}: ${a} }
  - { name: jump, duration: 0s, ${model}: ${b} }
  - { name: high, duration: 2s, ${model}: ${b} }
requests:
  - { name: ping, path: /ping }
targets:
  - { name: Whole API, errorRate: 1% }
  - { name: High, phase: high, p95: 500ms }
`;

describe('scaling out', () => {
  it('--workers 2 sends exactly the planned requests and adds the threads up exactly', async () => {
    server = await startTestServer(() => ({ delayMs: 2 }));
    const file = writeProfile(dir, 'workers.yaml', profile('rate', 200, 400));
    const out = join(dir, 'workers');
    const run = await runCli(['run', file, '-u', server.url, '--workers', '2', '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const result = readResultFile(out);
    expect(server.seen.requests).toBe(1200);
    expect(result.totals.requests).toBe(1200);
    expect(result.phases.map((p) => p.requests)).toEqual([400, 0, 800]);
    const timelineTotal = result.timeline.reduce((sum, p) => sum + p.requests, 0);
    expect(timelineTotal).toBe(1200);
    // the combined timeline has one point per second with the planned level of both threads
    expect(result.timeline.slice(0, 4).map((p) => p.planned)).toEqual([200, 200, 400, 400]);
  });

  it('--workers 2 in the closed model keeps the planned number of users', async () => {
    server = await startTestServer(() => ({ delayMs: 20 }));
    const file = writeProfile(dir, 'workers-closed.yaml', profile('vus', 4, 10));
    const out = join(dir, 'workers-closed');
    const run = await runCli(['run', file, '-u', server.url, '--workers', '2', '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(server.seen.maxInFlight).toBeLessThanOrEqual(10);
    expect(server.seen.maxInFlight).toBeGreaterThanOrEqual(9);
    expect(readResultFile(out).totals.requests).toBe(server.seen.requests);
  });

  it('two shards add up to the whole plan, and merge re-evaluates the targets on the merged data', async () => {
    server = await startTestServer(() => ({ delayMs: 2 }));
    const file = writeProfile(dir, 'shards.yaml', profile('rate', 100, 300));
    const [a, b] = await Promise.all(
      ['1/2', '2/2'].map((shard, i) => runCli(['run', file, '-u', server!.url, '--shard', shard, '--out', join(dir, `shard-${i}`), '--quiet'])),
    );
    expect(a!.code, a!.stderr).toBe(0);
    expect(b!.code, b!.stderr).toBe(0);
    expect(server.seen.requests).toBe(800);
    const shardTotals = [0, 1].map((i) => readResultFile(join(dir, `shard-${i}`)).totals.requests);
    expect(shardTotals[0]! + shardTotals[1]!).toBe(800);
    const merged = await runCli(['merge', join(dir, 'shard-0', 'result.json'), join(dir, 'shard-1', 'result.json'), '--out', join(dir, 'merged')]);
    expect(merged.code, `${merged.stdout}${merged.stderr}`).toBe(0);
    const result = readResultFile(join(dir, 'merged'));
    expect(result.totals.requests).toBe(800);
    expect(result.targets.map((t) => [t.row, t.metric, t.pass])).toEqual([
      ['Whole API', 'errorRate', true],
      ['High', 'p95', true],
    ]);
    expect(result.shard).toBeUndefined();
  });

  it('merge refuses results of different profiles', async () => {
    const merged = await runCli(['merge', join(dir, 'shard-0', 'result.json'), join(dir, 'workers', 'result.json'), '--out', join(dir, 'bad')]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/only shards of one run can be merged/);
  });
});
