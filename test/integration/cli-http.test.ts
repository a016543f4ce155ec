// The HTTP behaviour of `perfctl run`, tried as a new user would (the "done when"), with
// (closed-model runs: a 1 s open-model run on a loaded machine can be inconclusive, exit 4, for perfctl's own lag)
// the built CLI against servers the tests start; perfctl's counts are checked against theirs.
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { NGINX, startNginx } from '../helpers/nginx.js';
import { makeSelfSignedCertificate } from '../helpers/tls-cert.js';

let cleanups: Array<() => unknown> = [];
beforeAll(() => assertBuilt());
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function serve(handler: http.RequestListener, server: http.Server = http.createServer()): Promise<string> {
  server.on('request', handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const secure = server instanceof https.Server;
  return `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function tempDir(): string {
  const dir = makeTempDir('perfctl-cli-http-');
  cleanups.push(() => removeTempDir(dir));
  return dir;
}

async function run(dir: string, profile: string, env: Record<string, string>, args: string[] = [], signalAfterMs?: number) {
  const file = writeProfile(dir, 'p', profile);
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  // the banner (not --quiet) tells when the load starts, for the signal
  const quiet = signalAfterMs === undefined ? ['--quiet'] : [];
  const cli = await runCli(['run', file, '--out', out, '--format', 'json', ...quiet, ...args], {
    cwd: dir,
    env,
    timeoutMs: 40_000,
    ...(signalAfterMs !== undefined ? { signalAfterMs: { signal: 'SIGINT' as const, ms: signalAfterMs, from: 'stdout' as const } } : {}),
  });
  return { cli, result: existsSync(join(out, 'result.json')) ? readResultFile(out) : (null as never) };
}

describe('perfctl run: HTTP behaviour', () => {
  it('103 Early Hints before every 200: every request is a success with status 200', async () => {
    let served = 0;
    const url = await serve((_req, res) => {
      served++;
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    const { cli, result } = await run(tempDir(), `baseUrl: \${URL}\nstages: [ { duration: 1s, vus: 2 } ]\nrequests: [ { path: / } ]\n`, { URL: url });
    expect(cli.code, describeRun(cli)).toBe(0);
    expect(result.totals.statusCodes).toEqual({ 200: served });
    expect(result.totals.errors).toBe(0);
  });

  for (const transport of ['raw', 'undici']) {
    it(`--transport ${transport}: requests in flight at Ctrl-C are counted as interrupted`, async () => {
      let arrived = 0;
      const url = await serve((_req, res) => {
        arrived++;
        setTimeout(() => res.writeHead(200, { 'content-length': '0' }).end(), 4000);
      });
      const { cli, result } = await run(tempDir(), `baseUrl: \${URL}\nstages: [ { duration: 10s, vus: 5 } ]\nrequests: [ { path: / } ]\n`, { URL: url }, ['--transport', transport], 1000);
      expect(cli.code, describeRun(cli)).toBe(130);
      expect(result.status).toBe('interrupted');
      // the 5 users' requests were in flight (4 s answers, 3 s drain): none lost, none answered
      expect(arrived).toBe(5);
      expect(result.totals.requests).toBe(5);
      expect(result.totals.errorKinds).toEqual({ interrupted: 5 });
    });
  }

  it('a CSV field with CR/LF used in a header: those requests fail with kind header, the server never sees it', async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(JSON.stringify(req.headers));
      res.writeHead(200, { 'content-length': '0' }).end();
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'rows.csv'), 'token\ngood-1\n"x\r\nEvil: 1"\ngood-2\n');
    const { cli, result } = await run(
      dir,
      `baseUrl: \${URL}\nstages: [ { duration: 1s, vus: 2 } ]\nflows:\n  - name: f\n    steps:\n      - { name: call, path: /, headers: { x-token: "{{ row.token }}" } }\ndata:\n  row: { csv: rows.csv }\n`,
      { URL: url },
    );
    expect(cli.code, describeRun(cli)).toBe(0);
    const call = result.groups['call']!;
    expect(call.errorKinds['header']).toBeGreaterThan(5);
    // every third row is the bad one
    expect(Math.abs(call.errorKinds['header']! - call.requests / 3)).toBeLessThanOrEqual(1);
    expect(seen.length).toBe(call.requests - call.errorKinds['header']!);
    expect(seen.join('\n')).not.toMatch(/evil/i);
  });

  it('a chain of 3 redirects: success, latency to the final answer, 3 hops counted; redirects: 0 gives the 302', async () => {
    const hits: Record<string, number> = {};
    const url = await serve((req, res) => {
      hits[req.url!] = (hits[req.url!] ?? 0) + 1;
      const next: Record<string, string> = { '/r1': '/r2', '/r2': '/r3', '/r3': '/final' };
      if (next[req.url!]) return res.writeHead(302, { location: next[req.url!], 'content-length': '0' }).end();
      setTimeout(() => res.writeHead(200, { 'content-length': '2' }).end('ok'), 30);
    });
    const dir = tempDir();
    const profile = (extra: string) => `baseUrl: \${URL}\nstages: [ { duration: 1s, vus: 2 } ]\n${extra}requests: [ { path: /r1, expect: { status: [200] } } ]\n`;
    const followed = await run(dir, profile(''), { URL: url });
    expect(followed.cli.code, describeRun(followed.cli)).toBe(0);
    const n = followed.result.totals.requests;
    expect(followed.result.totals.statusCodes).toEqual({ 200: n });
    expect(followed.result.totals.counters?.['http.redirects']).toBe(3 * n);
    expect(hits).toEqual({ '/r1': n, '/r2': n, '/r3': n, '/final': n });
    // the final answer takes 30 ms: the latency runs to it
    expect(followed.result.totals.latencyMs.p50).toBeGreaterThanOrEqual(30);

    const stopped = await run(dir, `baseUrl: \${URL}\nhttp: { redirects: 0 }\nstages: [ { duration: 1s, vus: 2 } ]\nrequests: [ { path: /r1 } ]\n`, { URL: url });
    expect(stopped.result.totals.statusCodes).toEqual({ 302: stopped.result.totals.requests });
    expect(stopped.result.totals.counters?.['http.redirects']).toBeUndefined();
  });

  it.skipIf(NGINX === undefined && process.env['CI'] === undefined)('nginx with gzip: expect.body.contains passes on the decoded body; bytes received are the compressed size nginx sent', async () => {
    const nginx = await startNginx();
    cleanups.push(() => nginx.stop());
    const { cli, result } = await run(
      tempDir(),
      `baseUrl: \${URL}\nstages: [ { duration: 1s, vus: 2 } ]\nrequests: [ { path: /page.html, expect: { body: { contains: nginx-gzip-ok } } } ]\n`,
      { URL: nginx.url },
    );
    expect(cli.code, describeRun(cli)).toBe(0);
    expect(result.totals.errors).toBe(0);
    const log = await nginx.logOf(result.totals.requests);
    expect(log.length).toBe(result.totals.requests);
    const received = result.totals.counters?.['http.bytesReceived'] ?? 0;
    expect(received).toBe(log.reduce((sum, entry) => sum + entry.bytes, 0));
    expect(received / result.totals.requests).toBeLessThan(2000); // the page is 20 kB uncompressed
  });

  it('a self-signed HTTPS service: a clear TLS error by default (exit 3); passes with tls.insecure, --insecure and tls.ca', async () => {
    const cert = makeSelfSignedCertificate();
    cleanups.push(() => cert.remove());
    const url = await serve((_req, res) => res.end('secure'), https.createServer({ cert: cert.cert, key: cert.key }));
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.pem'), cert.cert);
    const profile = (http: string) => `baseUrl: \${URL}\n${http}stages: [ { duration: 1s, vus: 2 } ]\nrequests: [ { path: / } ]\n`;
    const plain = await run(dir, profile(''), { URL: url });
    // refused before any load: exit 3, one clear line, nothing sent
    expect(plain.cli.code, describeRun(plain.cli)).toBe(3);
    expect(plain.cli.stderr).toMatch(/TLS with https:\/\/127\.0\.0\.1:\d+ failed: self-signed certificate .*nothing was sent/);
    expect(plain.cli.stderr).toMatch(/--insecure/);
    for (const [http, args] of [['http: { tls: { insecure: true } }\n', []], ['', ['--insecure']], ['http: { tls: { ca: ca.pem } }\n', []]] as const) {
      const { cli, result } = await run(dir, profile(http), { URL: url }, [...args]);
      expect(cli.code, `${http}${args.join(' ')}\n${describeRun(cli)}`).toBe(0);
      expect(result.totals.statusCodes).toEqual({ 200: result.totals.requests });
      // no SNI for an IP address: Node's DEP0123 warning never reaches the user
      expect(cli.stderr).not.toMatch(/DEP0123|Warning/);
    }
  });

  it('a login that sets a cookie, then a page that needs it: no 401 with cookies on, 401 with cookies: false', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/login') {
        const session = Math.random().toString(36).slice(2);
        return res.writeHead(200, { 'set-cookie': `session=${session}; Path=/; HttpOnly`, 'content-length': '0' }).end();
      }
      const ok = /(?:^|; )session=\w+/.test(req.headers.cookie ?? '');
      res.writeHead(ok ? 200 : 401, { 'content-length': '0' }).end();
    });
    const dir = tempDir();
    const profile = (http: string) => `baseUrl: \${URL}\n${http}stages: [ { duration: 1s, vus: 2 } ]\nflows:\n  - name: journey\n    steps:\n      - { name: login, method: POST, path: /login }\n      - { name: page, path: /page }\n`;
    const on = await run(dir, profile(''), { URL: url });
    expect(on.result.groups['page']!.statusCodes).toEqual({ 200: on.result.groups['page']!.requests });
    const off = await run(dir, profile('http: { cookies: false }\n'), { URL: url });
    expect(off.result.groups['page']!.statusCodes).toEqual({ 401: off.result.groups['page']!.requests });
  });
});
