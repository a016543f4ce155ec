// The HTTP client layer (redirects, compression, cookies, TLS, proxies, absolute URLs) over both
// transports, against real servers the tests start: nginx-light with gzip and a redirect chain,
// Python's http.server speaking HTTP/1.0, a self-signed HTTPS listener (openssl), a CONNECT proxy.
// perfctl's numbers are checked against what the servers saw.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { CookieJar } from '../../src/engine/cookie-jar.js';
import { prepareExpect } from '../../src/engine/expectations.js';
import { HttpClient } from '../../src/engine/http-client.js';
import { HttpTransport } from '../../src/engine/http-transport.js';
import { RawTransport } from '../../src/engine/raw-transport.js';
import { ACCEPT_ENCODING } from '../../src/engine/prepare-requests.js';
import type { PreparedRequest, SendContext, SendResult, Transport, TransportOptions } from '../../src/engine/transport.js';
import { startConnectProxy, type TestProxy } from '../helpers/connect-proxy.js';
import { NGINX, PAGE, startNginx, type TestNginx } from '../helpers/nginx.js';
import { startPythonHttp10 } from '../helpers/python-http10.js';
import { makeSelfSignedCertificate, type TestCertificate } from '../helpers/tls-cert.js';

const kinds = {
  raw: (origin: string, options: TransportOptions): Transport => new RawTransport(origin, options, monotonicClock),
  undici: (origin: string, options: TransportOptions): Transport => new HttpTransport(origin, options, monotonicClock),
};

const clients: HttpClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
});

function clientFor(kind: keyof typeof kinds, origin: string, extra: Partial<TransportOptions> = {}): HttpClient {
  const client = new HttpClient(origin, (o) => kinds[kind](o, { connections: 4, timeoutMs: 3000, ...extra }));
  clients.push(client);
  return client;
}

const request = (path: string, extra: Partial<PreparedRequest> = {}): PreparedRequest => ({
  name: path, method: 'GET', path, headers: { 'accept-encoding': ACCEPT_ENCODING }, body: undefined, expectStatus: null, redirects: 10, cookies: true, ...extra,
});
const send = (client: Transport, r: PreparedRequest, context?: SendContext): Promise<SendResult> => new Promise((resolve) => client.send(r, resolve, context));

describe.skipIf(NGINX === undefined && process.env['CI'] === undefined)('against nginx-light', () => {
  let nginx: TestNginx;
  beforeAll(async () => {
    nginx = await startNginx();
  });
  afterAll(() => nginx?.stop());

  for (const kind of ['raw', 'undici'] as const) {
    it(`${kind}: a gzip page passes expect.body.contains on the decoded body; bytes received are the compressed size nginx sent`, async () => {
      const client = clientFor(kind, nginx.url);
      const tag = `gzip-${kind}`;
      const result = await send(client, request(`/page.html?tag=${tag}`, { collect: true, expect: prepareExpect({ body: { contains: 'nginx-gzip-ok' } }) }));
      expect(result).toMatchObject({ status: 200, errorKind: null });
      expect(result.response?.headers['content-encoding']).toEqual(['gzip']);
      expect(result.response?.body).toBe(PAGE);
      const served = await nginx.entriesTagged(tag, 1);
      expect(served).toHaveLength(1);
      expect(served[0]!.bytes).toBeLessThan(PAGE.length / 5);
      if (kind === 'raw') expect(result.wireBytes).toBe(served[0]!.bytes); // exact, head included
      else expect(Math.abs(result.wireBytes! - served[0]!.bytes)).toBeLessThan(300); // undici: head re-counted, chunk framing not seen
      // a miss is an error of kind expect, named
      const miss = await send(client, request('/page.html', { collect: true, expect: prepareExpect({ body: { contains: 'not on the page' } }) }));
      expect(miss).toMatchObject({ status: 200, errorKind: 'expect:body.contains' });
    });

    it(`${kind}: a chain of 3 redirects is followed to the 200, the hops counted, latency to the final answer; redirects: 0 gives the 302`, async () => {
      const client = clientFor(kind, nginx.url);
      // this request's own entries: nginx logs each just after its answer, so an earlier test's
      // last entry can land after a count of the log taken here
      const tag = `chain-${kind}`;
      const result = await send(client, request(`/r1?tag=${tag}`, { expectStatus: new Set([200]) }));
      expect(result).toMatchObject({ status: 200, errorKind: null, redirects: 3 });
      expect((await nginx.entriesTagged(tag, 4)).map((e) => `${e.status} ${e.uri}`)).toEqual(['302 /r1', '302 /r2', '302 /r3', '200 /page.html']);
      expect(result.endedAtMs).toBeGreaterThanOrEqual(result.sentAtMs);
      const stopped = await send(client, request('/r1', { redirects: undefined }));
      expect(stopped).toMatchObject({ status: 302, errorKind: null });
      expect(stopped.redirects).toBeUndefined();
      // two hops allowed: the third 302 is the answer
      expect(await send(client, request('/r1', { redirects: 2 }))).toMatchObject({ status: 302, redirects: 2 });
    });

    it(`${kind}: a login that sets a cookie, then a page that needs it: 200 with the jar, 401 without cookies`, async () => {
      const client = clientFor(kind, nginx.url);
      const context = { jar: new CookieJar() };
      expect((await send(client, request('/login'), context)).status).toBe(200);
      expect(await send(client, request('/private'), context)).toMatchObject({ status: 200, errorKind: null });
      // another user has its own jar
      expect((await send(client, request('/private'), { jar: new CookieJar() })).status).toBe(401);
      // cookies: false
      const off = { jar: new CookieJar() };
      await send(client, request('/login', { cookies: undefined }), off);
      expect((await send(client, request('/private', { cookies: undefined }), off)).status).toBe(401);
    });
  }
});

describe('against Python http.server (HTTP/1.0, close-delimited)', () => {
  for (const kind of ['raw', 'undici'] as const) {
    it(`${kind}: reads bodies framed by the close, a new connection each time`, async () => {
      const python = await startPythonHttp10();
      try {
        const client = clientFor(kind, python.url);
        for (let i = 0; i < 3; i++) {
          const result = await send(client, request(`/item/${i}`, { collect: true }));
          expect(result).toMatchObject({ status: 200, errorKind: null });
          expect(result.response?.body).toBe(`python http/1.0 close-delimited /item/${i}`);
        }
        expect(python.served()).toBe(3);
      } finally {
        await python.stop();
      }
    });
  }
});

describe('absolute URLs go to their own origin', () => {
  it('a path that is an absolute URL reaches that host, not the base URL', async () => {
    const hits = { base: 0, other: 0 };
    const base = http.createServer((_q, s) => { hits.base++; s.end('base'); });
    const other = http.createServer((_q, s) => { hits.other++; s.end('other'); });
    await Promise.all([base, other].map((srv) => new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))));
    try {
      const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      for (const kind of ['raw', 'undici'] as const) {
        const client = clientFor(kind, `http://127.0.0.1:${(base.address() as AddressInfo).port}`);
        const result = await send(client, request('/x', { origin: otherUrl, collect: true }));
        expect(result.response?.body).toBe('other');
      }
      expect(hits).toEqual({ base: 0, other: 2 });
    } finally {
      for (const srv of [base, other]) { srv.closeAllConnections(); srv.close(); }
    }
  });
});

describe('a self-signed HTTPS service', () => {
  let cert: TestCertificate;
  let server: https.Server;
  let url: string;
  let proxy: TestProxy;
  beforeAll(async () => {
    cert = makeSelfSignedCertificate();
    server = https.createServer({ cert: cert.cert, key: cert.key }, (_q, s) => s.end('secure'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await proxy.close();
    cert.remove();
  });

  for (const kind of ['raw', 'undici'] as const) {
    it(`${kind}: fails with error kind tls by default; passes with insecure, and with the certificate as ca`, async () => {
      expect(await send(clientFor(kind, url), request('/'))).toMatchObject({ status: null, errorKind: 'tls' });
      expect(await send(clientFor(kind, url, { tls: { insecure: true } }), request('/', { collect: true }))).toMatchObject({ status: 200, response: { body: 'secure' } });
      expect(await send(clientFor(kind, url, { tls: { ca: cert.cert } }), request('/', { collect: true }))).toMatchObject({ status: 200, response: { body: 'secure' } });
    });

    it(`${kind}: goes through a CONNECT proxy`, async () => {
      const before = proxy.seen.length;
      const result = await send(clientFor(kind, url, { tls: { ca: cert.cert }, proxy: proxy.url }), request('/', { collect: true }));
      expect(result).toMatchObject({ status: 200, response: { body: 'secure' } });
      expect(proxy.seen.slice(before)).toEqual([`CONNECT ${new URL(url).host}`]);
    });
  }

  it('plain http goes through the proxy (raw: in absolute form)', async () => {
    const target = http.createServer((_q, s) => s.end('via proxy'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      for (const kind of ['raw', 'undici'] as const) {
        const before = proxy.seen.length;
        const result = await send(clientFor(kind, targetUrl, { proxy: proxy.url }), request('/p?q=1', { collect: true }));
        expect(result).toMatchObject({ status: 200, response: { body: 'via proxy' } });
        // raw sends absolute form; undici's ProxyAgent tunnels plain http too
        expect(proxy.seen.slice(before)).toEqual([kind === 'raw' ? `GET ${targetUrl}/p?q=1` : `CONNECT ${new URL(targetUrl).host}`]);
      }
    } finally {
      target.closeAllConnections();
      target.close();
    }
  });
});
