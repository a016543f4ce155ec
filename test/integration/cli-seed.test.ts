// --seed: two runs with one seed send byte-identical requests in the same order (the server's
// log is the evidence); another seed sends others (issue 14, "Done when").
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { join } from 'node:path';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { listenOnLoopback } from '../helpers/listen.js';

let dir: string | undefined;
let close: (() => Promise<void>) | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await close?.();
  close = undefined;
  removeTempDir(dir);
  dir = undefined;
});

/** a server that logs each request as `METHOD url body` in arrival order */
async function loggingServer(): Promise<{ url: string; log: string[] }> {
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      log.push(`${req.method} ${req.url} ${req.headers['x-request-id'] ?? ''} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"o-1"}');
    });
  });
  const listening = await listenOnLoopback(server);
  close = listening.close;
  return { url: listening.url, log };
}

const journey = [
  'name: seeded',
  'baseUrl: ${TARGET_URL}',
  'stages: [ { duration: 30s, vus: 1 } ]',
  'requests:',
  '  - { name: browse, path: "/items/{{ randomInt(1, 1000) }}?size={{ randomItem(S, M, L) }}", weight: 2 }',
  'flows:',
  '  - name: order',
  '    steps:',
  '      - { name: create, method: POST, path: /orders, headers: { x-request-id: "{{ uuid() }}" }, json: { item: "{{ randomItem(a, b, c, d) }}", note: "{{ randomString(8) }}", n: "{{ iteration }}" } }',
  '      - { name: show, path: "/orders/{{ user }}/{{ randomInt(1, 9) }}" }',
  '',
].join('\n');

describe('--seed', () => {
  it('the same seed: the same request sequence, byte for byte; another seed: another one', async () => {
    const server = await loggingServer();
    dir = makeTempDir();
    const file = writeProfile(dir, 'seeded', journey);
    const run = async (seed: string): Promise<string[]> => {
      server.log.length = 0;
      const out = join(dir!, `out-${seed}-${Math.random()}`);
      const done = await runCli(['run', file, '-n', '60', '--seed', seed, '--out', out, '--quiet'], { cwd: dir, env: { TARGET_URL: server.url } });
      expect(done.code, describeRun(done)).toBe(0);
      expect(readResultFile(out).run?.options['seed']).toBe(Number(seed));
      return [...server.log];
    };
    const first = await run('7');
    const again = await run('7');
    const other = await run('8');
    // 60 iterations of the mix: 40 browse requests and 20 orders of two steps
    expect(first).toHaveLength(80);
    expect(again).toEqual(first);
    expect(other).toHaveLength(80);
    expect(other).not.toEqual(first);
    expect(new Set(first.filter((line) => line.startsWith('GET /items/'))).size).toBeGreaterThan(20);
    expect(first.find((line) => line.startsWith('POST'))).toMatch(/^POST \/orders [0-9a-f-]{36} \{"item":"[abcd]","note":"[A-Za-z0-9]{8}","n":"\d+"\}$/);
  });
});
