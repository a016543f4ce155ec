// perfctl run against nginx with HTTP/2 over TLS (`http.version: auto`): ALPN picks h2, the result
// records h2 per group, and the request counts match nginx's access log line for line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { nginxAvailable, startNginxH2, type NginxH2 } from '../helpers/nginx-h2.js';

const available = nginxAvailable();
let nginx: NginxH2 | undefined;
let dir = '';

beforeAll(async () => {
  if (!available) return;
  assertBuilt();
  nginx = await startNginxH2();
  dir = makeTempDir();
});
afterAll(async () => {
  await nginx?.close();
  if (dir) removeTempDir(dir);
});

describe.skipIf(!available)('HTTP/2 against nginx (TLS, ALPN)', () => {
  it('http.version auto: h2 recorded, the counts equal the access log, the Protocols table says h2', async () => {
    writeProfile(
      dir,
      'h2',
      `baseUrl: ${nginx!.url}
http: { version: auto }
stages: [ { duration: 2s, rate: 200 } ]
requests:
  - { name: items, path: /api/items, weight: 3 }
  - { name: item, path: /api/items/7, weight: 1 }
`,
    );
    const run = await runCli(['run', 'h2.yaml', '--out', join(dir, 'out')], { cwd: dir, env: { NODE_EXTRA_CA_CERTS: nginx!.certFile } });
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')) as {
      groups: Record<string, { requests: number; errors: number; counters?: Record<string, number> }>;
    };
    await nginx!.close();
    const lines = nginx!.accessLog();
    nginx = undefined;
    const h2Lines = (path: string): number => lines.filter((line) => line === `HTTP/2.0 200 ${path}`).length;
    expect(result.groups['items']!.errors).toBe(0);
    expect(result.groups['items']!.counters).toEqual({ 'protocol.h2': result.groups['items']!.requests });
    expect(result.groups['item']!.counters).toEqual({ 'protocol.h2': result.groups['item']!.requests });
    expect(result.groups['items']!.requests).toBe(300);
    expect(h2Lines('/api/items')).toBe(300);
    expect(h2Lines('/api/items/7')).toBe(100);
    expect(lines.length).toBe(400);
    expect(run.stdout).toMatch(/│ items\s+│ h2\s+│/);
  });
});
