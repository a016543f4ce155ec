// --export prometheus and ndjson end to end: the built CLI against a real server on 127.0.0.1,
// /metrics scraped while it runs (and during --export-linger), the NDJSON file read back line
// by line; every count held against result.json and what the server saw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const PROFILE = [
  'name: live',
  'stages:',
  '  - { name: main, duration: 4s, rate: 100 }',
  'requests:',
  '  - { name: fast, path: /fast, weight: 3 }',
  '  - { name: slow, path: /slow, weight: 1 }',
  'timeout: 5s',
  '',
].join('\n');

/** name{labels} -> value */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

const sumOf = (m: Map<string, number>, prefix: string): number => [...m].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);

describe('--export prometheus and ndjson', () => {
  it('/metrics counts what the server saw, by group and status, and NDJSON has a line a second that adds up', { retry: 1 }, async () => {
    server = await startTestServer((req) => (req.url?.startsWith('/slow') ? { delayMs: 30 } : { delayMs: 1 }));
    dir = makeTempDir();
    const file = writeProfile(dir, 'live', PROFILE);
    const port = await closedPort();
    const out = join(dir, 'out');
    const scrapes: string[] = [];
    let done = false;
    const scraper = (async () => {
      while (!done) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/metrics`);
          expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
          scrapes.push(await response.text());
        } catch {
          // not up yet, or closed
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const run = await runCli(
      ['run', file, '--base-url', server.url, '--out', out, '--no-progress', '--export', `prometheus=127.0.0.1:${port}`, '--export', `ndjson=${join(dir, 'live.ndjson')}`, '--export-linger', '1500ms'],
      { cwd: dir },
    );
    done = true;
    await scraper;
    // 4 (perfctl fell behind its schedule) on a busy machine is not what this test is about
    expect([0, 4], describeRun(run)).toContain(run.code);
    expect(run.stderr).toContain(`serving http://127.0.0.1:${port}/metrics`);
    const result = readResultFile(out);
    expect(result.totals.requests).toBe(server.seen.requests);

    // scraped while running: counters only grow
    const running = scrapes.map(samples).filter((m) => m.get('perfctl_running') === 1);
    expect(running.length).toBeGreaterThanOrEqual(5);
    const totals = running.map((m) => sumOf(m, 'perfctl_requests_total{'));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(running.some((m) => (m.get('perfctl_planned_rate') ?? 0) >= 99)).toBe(true);

    // the linger's scrape sees the end exactly
    const last = samples(scrapes[scrapes.length - 1]!);
    expect(last.get('perfctl_running')).toBe(0);
    expect(sumOf(last, 'perfctl_requests_total{')).toBe(result.totals.requests);
    expect(last.get('perfctl_requests_total{group="fast",status="200"}')).toBe(server.seen.byPath['/fast']);
    expect(last.get('perfctl_requests_total{group="slow",status="200"}')).toBe(server.seen.byPath['/slow']);
    expect(last.get('perfctl_latency_seconds_count{group="slow"}')).toBe(result.groups['slow']!.requests);
    // every slow request took at least 30 ms: none at or below 25 ms
    expect(last.get('perfctl_latency_seconds_bucket{group="slow",le="0.025"}')).toBe(0);
    expect(last.get('perfctl_latency_seconds_bucket{group="slow",le="+Inf"}')).toBe(result.groups['slow']!.requests);

    const lines = readFileSync(join(dir, 'live.ndjson'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    const seconds = lines.filter((l) => !l.final);
    expect(seconds.map((l) => l.t)).toEqual(result.timeline.map((p) => p.t));
    expect(seconds.reduce((s, l) => s + l.requests, 0)).toBe(result.totals.requests);
    expect(seconds.reduce((s, l) => s + l.groups.slow.requests, 0)).toBe(result.groups['slow']!.requests);
    expect(lines[lines.length - 1]).toMatchObject({ final: true, totalRequests: result.totals.requests });
  }, 30_000);

  it('a port already taken is exit 2 before anything is sent', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'live', PROFILE);
    const taken = new URL(server.url).port;
    const run = await runCli(['run', file, '--base-url', server.url, '--out', join(dir, 'out'), '--export', `prometheus=127.0.0.1:${taken}`], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/--export prometheus: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    expect(server.seen.requests).toBe(0);
  });
});
