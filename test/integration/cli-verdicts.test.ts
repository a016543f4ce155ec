// The verdicts of SPEC §3 tried as a user would, against a local test server: perfctl's check
// values agree with what the server was made to do.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
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

const profile = (name: string, stages: string, targets: string): string =>
  [`name: ${name}`, 'baseUrl: http://127.0.0.1:1', 'stages:', stages, 'requests:', '  - { name: ping, path: /ping }', 'timeout: 5s', targets, ''].join('\n');

describe('verdicts (built CLI)', () => {
  // (limits of 250 ms keep a busy machine's own slowness out of `before`; judge-run.test.ts holds the same data to 50 ms)
  it('a 1 s stall in stage 2 of 2: `during` fails near 900 ms, `before` does not fail, exit 1', { retry: 1 }, async () => {
    // 150 requests each stage at 50/s; from the first request of stage 2 the server stalls for 1 s:
    // every answer due in that second waits for its end
    let stallEndsAt = 0;
    server = await startTestServer((_req, n) => {
      if (n === 150) stallEndsAt = Date.now() + 1000;
      const wait = stallEndsAt - Date.now();
      return n >= 150 && wait > 0 ? { delayMs: wait } : { delayMs: 1 };
    });
    const file = writeProfile(
      dir,
      'stall.yaml',
      profile('stall', '  - { name: before, duration: 3s, rate: 50 }\n  - { name: during, duration: 3s, rate: 50 }', 'targets:\n  - { name: Before, phase: before, p99: 250ms }\n  - { name: During, phase: during, p99: 250ms }'),
    );
    const run = await runCli(['run', file, '-u', server.url, '--out', join(dir, 'stall'), '--quiet']);
    expect(run.code, describeRun(run)).toBe(1);
    const result = readResultFile(join(dir, 'stall'));
    const [before, during] = result.targets;
    expect(during).toMatchObject({ row: 'During', state: 'fail' });
    expect(during!.actual!).toBeGreaterThan(500);
    expect(before!.state).not.toBe('fail');
    console.log(`[cli-verdicts] stall: before ${before!.state} p99 ${before!.actual} ms (${before!.samples}), during ${during!.state} p99 ${during!.actual} ms (${during!.samples})`);
  });

  // the limit is generous so that a busy machine's slowest answers stay under it: the point is the evidence
  it('150 fast samples against p99 < 250 ms and nothing else: exit 4, saying how long a run would judge it', { retry: 1 }, async () => {
    server = await startTestServer(() => ({ delayMs: 1 }));
    const file = writeProfile(dir, 'short.yaml', profile('short', '  - { name: main, duration: 3s, rate: 50 }', 'targets:\n  - { name: API, p99: 250ms }'));
    const run = await runCli(['run', file, '-u', server.url, '--out', join(dir, 'short'), '--quiet']);
    expect(run.code, describeRun(run)).toBe(4);
    expect(run.stdout).toMatch(/uncertain: 150 samples cannot show it under the limit \(about \d+ would\); a run about [\d.]+× as long \(-d \w+\) or at [\d.]+× the load/);
    expect(server.seen.requests).toBe(150);
    // all under the limit (a quiet machine): the least a p99 can be shown from, 299, in twice the time
    const [check] = readResultFile(join(dir, 'short')).targets;
    if (check!.actual! < 10 && Math.max(...server.seen.durationsMs) < 200) expect(run.stdout).toContain('(about 299 would); a run about 2× as long (-d 6s)');
  });

  it('no targets, every request answered 500: verdict none, no PASS anywhere, the error rate in red', async () => {
    server = await startTestServer(() => ({ status: 500 }));
    const file = writeProfile(dir, 'broken.yaml', profile('broken', '  - { name: main, duration: 2s, rate: 50 }', ''));
    const out = join(dir, 'broken');
    const run = await runCli(['run', file, '-u', server.url, '--out', out, '--format', 'json,html,junit,md', '--no-progress'], { env: { FORCE_COLOR: '1' } });
    expect(run.code, describeRun(run)).toBe(0);
    const result = readResultFile(out);
    expect(result.verdict).toBe('none');
    expect(result.totals.errors).toBe(server.seen.requests);
    for (const text of [run.stdout, readFileSync(join(out, 'report.html'), 'utf8'), readFileSync(join(out, 'summary.md'), 'utf8'), readFileSync(join(out, 'junit.xml'), 'utf8')]) {
      expect(text).not.toMatch(/\bPASS\b/);
    }
    expect(run.stdout).toMatch(/NONE.*no targets/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/class="figure bad" data-field="error-rate"/);
  });

  it('p95: { warn: 20ms, fail: 200ms } against a 30 ms service: exit 0, verdict warn, amber in HTML', async () => {
    server = await startTestServer(() => ({ delayMs: 30 }));
    const file = writeProfile(dir, 'warn.yaml', profile('warn', '  - { name: main, duration: 3s, rate: 40 }', 'targets:\n  - { name: API, p95: { warn: 20ms, fail: 200ms } }'));
    const out = join(dir, 'warn');
    const run = await runCli(['run', file, '-u', server.url, '--out', out, '--format', 'json,html,junit', '--quiet']);
    expect(run.code, describeRun(run)).toBe(0);
    const result = readResultFile(out);
    expect(result.verdict).toBe('warn');
    expect(result.targets.map((t) => [t.severity, t.state])).toEqual([
      ['warn', 'fail'],
      ['fail', 'pass'],
    ]);
    expect(run.stdout).toMatch(/^▲ WARN/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<div class="verdict warn"');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<property name="warning" value="p95 \d+\.\d ms &gt; 20 ms"\/>/);
  });

  it('cpu and memory rows are judged on the service monitor\'s samples (--demo monitors the demo process); without a monitor they are exit 2', async () => {
    const rows = 'targets:\n  - { name: Service, cpu: 150%, memory: 2GB }\n  - { name: Tiny, memory: 1MB }';
    const file = writeProfile(dir, 'resources.yaml', profile('resources', '  - { name: main, duration: 5s, rate: 40 }', rows));
    const bare = await runCli(['run', file, '-u', 'http://127.0.0.1:1']);
    expect(bare.code, describeRun(bare)).toBe(2);
    expect(bare.stderr).toMatch(/resources\.yaml:\d+:\d+: targets\.0\.cpu: cpu is read from the service monitor/);
    const out = join(dir, 'resources');
    const run = await runCli(['run', file, '--demo', '--out', out, '--quiet']);
    const result = readResultFile(out);
    const resources = result.analysis?.resources;
    expect(resources?.samples, describeRun(run)).toBeGreaterThanOrEqual(2);
    const [cpu, memory, tiny] = result.targets;
    const sampled = result.timeline.filter((p) => p.cpuPercent !== undefined);
    expect(cpu).toMatchObject({ metric: 'cpu', state: 'pass', unit: 'ratio', samples: sampled.length });
    expect(cpu!.actual!).toBeCloseTo(sampled.reduce((a, p) => a + p.cpuPercent!, 0) / sampled.length / 100, 6);
    expect(memory).toMatchObject({ metric: 'memory', state: 'pass', unit: 'MB', actual: resources!.peakMemoryMB });
    expect(tiny).toMatchObject({ metric: 'memory', state: 'fail', actual: resources!.peakMemoryMB });
    // (4 only when this busy machine kept perfctl from delivering the load)
    expect([1, 4]).toContain(run.code);
  });

  it('validate --targets checks a table exactly as run --targets would (exit 2 naming the rows a profile cannot have)', async () => {
    const file = writeProfile(dir, 'plain.yaml', profile('plain', '  - { name: main, duration: 3s, rate: 50 }', ''));
    const table = writeProfile(dir, 'table.yaml', 'targets:\n  - { name: Login, requests: [login], p95: 200ms }\n  - { name: Spike, phase: spike, errorRate: 5% }\n');
    expect((await runCli(['validate', table])).code).toBe(0);
    const run = await runCli(['validate', file, '--targets', table]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/table\.yaml:2:\d+: targets\.0\.requests\.0: no request is named "login"/);
    expect(run.stderr).toMatch(/table\.yaml:3:\d+: targets\.1\.phase: no stage is named "spike"/);
    const ran = await runCli(['run', file, '-u', 'http://127.0.0.1:1', '--targets', table]);
    expect(ran.code).toBe(2);
  });
});
