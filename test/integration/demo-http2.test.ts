// The demo service's HTTP/2: h2c (prior knowledge) and HTTP/1.1 on one clear-text port, and with
// `tls` h2 or HTTP/1.1 by ALPN behind a certificate it made at start-up, WebSocket and SSE included;
// perfctl's counts checked against what the demo saw. Then `run --demo --tls` as a user types it.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells, type Cell } from '../../src/metrics/cell.js';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import type { HttpVersion, RequestSpec } from '../../src/config/types.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';

let demo: DemoServer | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});
const group = (cells: Cell[], name: string): Cell => sumCells(cells.filter((cell) => cell.group === name), name);
const get = (name: string, path: string): RequestSpec => ({ name, method: 'GET', path, headers: {}, expectStatus: null, weight: 1 });

function run(requests: RequestSpec[], httpVersion: HttpVersion | undefined, rate = 100, seconds = 1) {
  return startLoad({
    plan: buildPlan('open', [{ name: 'hold', durationMs: seconds * 1000, fromLevel: rate, toLevel: rate }]),
    baseUrl: demo!.url,
    requests,
    timeoutMs: 5000,
    maxInFlight: 1000,
    thinkTime: { minMs: 0, maxMs: 0 },
    ...(httpVersion ? { httpVersion } : {}),
    insecure: true,
  }).finished;
}

describe('demo service over HTTP/2', () => {
  it('clear text: h2c with version 2 and HTTP/1.1 without, on the same port, every request counted by the demo', async () => {
    demo = await startDemoServer({ seed: 5, latencyScale: 0.2 });
    const h2c = group((await run([get('list', '/api/challenges')], '2')).cells, 'list');
    expect(h2c.requests).toBe(100);
    expect(h2c.errors).toBeLessThanOrEqual(2); // the demo's own small error rate
    expect(h2c.counters).toEqual({ 'protocol.h2c': 100 });
    const h1 = group((await run([get('one', '/api/challenges/3')], undefined)).cells, 'one');
    expect(h1.requests).toBe(100);
    expect(demo.stats().byRoute.listChallenges).toBe(100);
    expect(demo.stats().byRoute.getChallenge).toBe(100);
  });

  it('http.version per request and per step: h2c for the one that asks, HTTP/1.1 for the rest, each recorded as it went', async () => {
    demo = await startDemoServer({ seed: 5, latencyScale: 0.2 });
    const dir = makeTempDir();
    writeProfile(dir, 'mixed', `baseUrl: \${PERFCTL_BASE_URL}
stages: [ { duration: 1s, rate: 60 } ]
requests:
  - { name: plain, path: /api/challenges }
  - { name: on-h2, path: /api/challenges/4, http: { version: 2 } }
flows:
  - name: journey
    steps:
      - { name: step-h2, path: /api/challenges/5, http: { version: 2 } }
      - { name: step-old, path: /api/challenges/6, http: { version: "1.1" } }
`);
    const profile = await loadProfile(join(dir, 'mixed.yaml'), { cwd: dir, env: { PERFCTL_BASE_URL: demo.url }, builtinDir: 'scenarios' });
    removeTempDir(dir);
    const outcome = await startLoad({
      plan: buildPlan('open', [{ name: 'hold', durationMs: 1000, fromLevel: 60, toLevel: 60 }]),
      baseUrl: demo.url,
      requests: profile.requests,
      flows: profile.flows,
      timeoutMs: 5000,
      maxInFlight: 1000,
      thinkTime: { minMs: 0, maxMs: 0 },
    }).finished;
    const counters = (name: string) => group(outcome.cells, name).counters ?? {};
    expect(counters('on-h2')).toEqual({ 'protocol.h2c': 20 });
    expect(counters('step-h2')).toEqual({ 'protocol.h2c': 20 });
    expect(counters('step-old')).toMatchObject({ 'protocol.http/1.1': 20 });
    expect(counters('plain')).not.toHaveProperty('protocol.h2c');
    expect(counters('plain')).not.toHaveProperty('protocol.http/1.1');
    expect(group(outcome.cells, 'plain').requests).toBe(20);
    expect(demo.stats().byRoute.getChallenge).toBe(60);
  });

  it('tls: a certificate for 127.0.0.1 made at start-up; auto negotiates h2; WebSocket and SSE over TLS too', async () => {
    demo = await startDemoServer({ seed: 5, latencyScale: 0.2, tls: true });
    expect(demo.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certificate = new X509Certificate(demo.certificate!);
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.verify(certificate.publicKey)).toBe(true);

    const h2 = group((await run([get('list', '/api/challenges')], 'auto')).cells, 'list');
    expect(h2.counters).toEqual({ 'protocol.h2': 100 });
    expect(demo.stats().byRoute.listChallenges).toBe(100);

    const collab = await loadProfile('examples/realtime/collab.yaml', { cwd: process.cwd(), env: { PERFCTL_BASE_URL: demo.url }, builtinDir: 'scenarios' });
    const tutor = await loadProfile('examples/realtime/tutor.yaml', { cwd: process.cwd(), env: { PERFCTL_BASE_URL: demo.url }, builtinDir: 'scenarios' });
    const outcome = await run([...collab.requests, ...tutor.requests], undefined, 4, 2);
    const stats = demo.stats().realtime;
    expect(group(outcome.cells, 'collab.connect').errors).toBe(0);
    expect(stats.socketsOpened).toBe(group(outcome.cells, 'collab.connect').requests);
    expect(group(outcome.cells, 'collab').counters?.['ws.sent']).toBe(stats.edits);
    expect(stats.edits).toBeGreaterThan(0);
    expect(group(outcome.cells, 'tutor').requests).toBe(stats.streams);
    expect(group(outcome.cells, 'tutor').counters?.['sse.events']).toBe(stats.streamEvents);
  });
});

describe('run --demo --tls (built CLI)', () => {
  it('the demo over HTTPS, its certificate accepted: http.version auto records h2 for every request the demo counted', async () => {
    assertBuilt();
    const dir = makeTempDir();
    try {
      writeProfile(dir, 'h2demo', `baseUrl: http://127.0.0.1:8080
http: { version: auto }
stages: [ { duration: 2s, rate: 50 } ]
requests:
  - { name: list, path: /api/challenges }
`);
      const cli = await runCli(['run', 'h2demo.yaml', '--demo', '--tls', '--out', join(dir, 'out')], { cwd: dir });
      expect([0, 4], describeRun(cli)).toContain(cli.code);
      expect(cli.stdout).toMatch(/https:\/\/127\.0\.0\.1:\d+ \(demo service\)/);
      const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as { groups: Record<string, { requests: number; counters?: Record<string, number> }> };
      expect(result.groups['list']!.requests).toBe(100);
      expect(result.groups['list']!.counters).toEqual({ 'protocol.h2': 100 });
      const alone = await runCli(['run', 'h2demo.yaml', '--tls'], { cwd: dir });
      expect(alone.code).toBe(2);
      expect(alone.stderr).toMatch(/--tls goes with --demo/);
    } finally {
      removeTempDir(dir);
    }
  });
});
