// --export otlp and statsd end to end: the built CLI against a real server on 127.0.0.1, an
// OTLP/HTTP receiver that decodes what the OpenTelemetry SDK sent, and a UDP listener for StatsD;
// then every export pointed at ports where nothing answers: the run ends on schedule, one
// warning per export.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, closedPort, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { parseStatsdLine, startUdpListener, type UdpListener } from '../helpers/udp-listener.js';

let server: TestServer | undefined;
let receiver: OtlpReceiver | undefined;
let udp: UdpListener | undefined;
let silent: Server | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  await receiver?.close();
  await udp?.close();
  silent?.closeAllConnections();
  silent?.close();
  server = receiver = udp = silent = undefined;
  removeTempDir(dir);
  dir = undefined;
});

const PROFILE = [
  'name: pushed',
  'stages:',
  '  - { name: main, duration: 4s, rate: 80 }',
  'requests:',
  '  - { name: fast, path: /fast, weight: 3 }',
  '  - { name: slow, path: /slow, weight: 1 }',
  'timeout: 5s',
  '',
].join('\n');

describe('--export otlp and statsd', () => {
  it('the OTLP receiver and the StatsD listener count what the server saw', { retry: 1 }, async () => {
    server = await startTestServer((req) => (req.url?.startsWith('/slow') ? { delayMs: 30 } : { delayMs: 1 }));
    receiver = await startOtlpReceiver();
    udp = await startUdpListener();
    dir = makeTempDir();
    const file = writeProfile(dir, 'pushed', PROFILE);
    const out = join(dir, 'out');
    const run = await runCli(
      ['run', file, '--base-url', server.url, '--out', out, '--no-progress', '--label', 'rc-9', '--export', `otlp=${receiver.url}`, '--export', `statsd=127.0.0.1:${udp.port}`],
      { cwd: dir },
    );
    expect([0, 4], describeRun(run)).toContain(run.code);
    expect(run.stderr).not.toMatch(/export/);
    const result = readResultFile(out);
    expect(result.totals.requests).toBe(server.seen.requests);

    // OTLP: the last push (at the end) has the final counts, cumulative
    expect(receiver.pushes.length).toBeGreaterThanOrEqual(1);
    const last = receiver.pushes[receiver.pushes.length - 1]!;
    expect(last.resource).toMatchObject({ 'service.name': 'perfctl', 'perfctl.profile': 'pushed' });
    const requests = last.points.filter((p) => p.metric === 'perfctl.requests');
    expect(requests.reduce((s, p) => s + p.value!, 0)).toBe(result.totals.requests);
    expect(requests.find((p) => p.attributes['group'] === 'slow' && p.attributes['status'] === '200')?.value).toBe(server.seen.byPath['/slow']);
    const slow = last.points.find((p) => p.metric === 'perfctl.latency' && p.attributes['group'] === 'slow')!;
    expect(slow.count).toBe(result.groups['slow']!.requests);
    expect(slow.bucketCounts!.reduce((s, n) => s + n, 0)).toBe(slow.count);
    expect(slow.bucketCounts!.length).toBe(slow.explicitBounds!.length + 1);
    // every slow request took at least 30 ms: nothing in the buckets up to 25 ms
    const upTo25 = slow.explicitBounds!.filter((b) => b <= 0.025).length;
    expect(slow.bucketCounts!.slice(0, upTo25).reduce((s, n) => s + n, 0)).toBe(0);

    // StatsD: the counter increments add up to the total, with DogStatsD tags
    await new Promise((r) => setTimeout(r, 100));
    const lines = udp.lines.map(parseStatsdLine);
    const counted = lines.filter((l) => l.name === 'perfctl.requests' && l.type === 'c');
    expect(counted.reduce((s, l) => s + l.value, 0)).toBe(result.totals.requests);
    expect(counted.filter((l) => l.tags['group'] === 'slow').reduce((s, l) => s + l.value, 0)).toBe(server.seen.byPath['/slow']);
    expect(counted[0]!.tags).toMatchObject({ profile: 'pushed' });
    expect(lines.some((l) => l.name === 'perfctl.latency.p95_ms' && l.type === 'g' && l.tags['group'] === 'slow' && l.value >= 30)).toBe(true);
    expect(lines.some((l) => l.name === 'perfctl.in_flight' && l.type === 'g')).toBe(true);
  }, 30_000);

  it('every export pointed where nothing answers: the run ends on schedule, one warning per export', { retry: 1 }, async () => {
    server = await startTestServer();
    // an OTLP endpoint that accepts connections and never answers (slow, not refused)
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    dir = makeTempDir();
    const file = writeProfile(dir, 'pushed', PROFILE.replace('duration: 4s', 'duration: 12s'));
    const out = join(dir, 'out');
    const [otlpPort, statsdPort, promPort] = [await closedPort(), await closedPort(), await closedPort()];
    const run = await runCli(
      [
        'run', file, '--base-url', server.url, '--out', out, '--no-progress', '--export-linger', '0s',
        '--export', `otlp=http://127.0.0.1:${otlpPort}`,
        '--export', `otlp=http://127.0.0.1:${silentPort}`,
        '--export', `statsd=127.0.0.1:${statsdPort}`,
        '--export', `prometheus=127.0.0.1:${promPort}`,
      ],
      { cwd: dir, timeoutMs: 40_000 },
    );
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(result.status).toBe('completed');
    expect(result.totals.requests).toBe(server.seen.requests);
    expect(result.durationMs).toBeLessThan(12_500);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('perfctl: export '));
    expect(warnings.filter((l) => l.includes(`127.0.0.1:${otlpPort}`))).toHaveLength(1);
    expect(warnings.filter((l) => l.includes(`127.0.0.1:${silentPort}`))).toHaveLength(1);
    expect(warnings.filter((l) => l.includes(`statsd 127.0.0.1:${statsdPort}`))).toHaveLength(1);
    expect(warnings.every((l) => /the run goes on and the export is retried/.test(l))).toBe(true);
    // nobody scraped: no warning for the pull endpoint; the end (with its last pushes) is bounded
    expect(warnings.filter((l) => l.includes('prometheus'))).toHaveLength(0);
    expect(run.elapsedMs).toBeLessThan(12_000 + 15_000);
  }, 45_000);
});
