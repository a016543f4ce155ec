// The request lifecycle, the same on both transports: interim answers skipped, one deadline for
// the whole request, requests in flight at a stop counted as interrupted, run-time header values
// checked before anything is sent.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { HttpTransport } from '../../src/engine/http-transport.js';
import { RawTransport } from '../../src/engine/raw-transport.js';
import type { PreparedRequest, SendResult, Transport } from '../../src/engine/transport.js';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function serveRaw(onConnection: (socket: net.Socket) => void): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (path: string, extra: Partial<PreparedRequest> = {}): PreparedRequest => ({
  name: path, method: 'GET', path, headers: {}, body: undefined, expectStatus: null, ...extra,
});
const send = (transport: Transport, request: PreparedRequest): Promise<SendResult> => new Promise((resolve) => transport.send(request, resolve));

const kinds = {
  raw: (url: string, timeoutMs: number) => new RawTransport(url, { connections: 4, timeoutMs }, monotonicClock),
  undici: (url: string, timeoutMs: number) => new HttpTransport(url, { connections: 4, timeoutMs }, monotonicClock),
};

for (const [kind, make] of Object.entries(kinds)) {
  const transportFor = (url: string, timeoutMs = 2000): Transport => {
    const transport = make(url, timeoutMs);
    closers.push(() => transport.destroy());
    return transport;
  };

  describe(`${kind} transport lifecycle`, () => {
    it('skips 103 Early Hints: the final answer is the response', async () => {
      const url = await serve((_req, res) => {
        res.writeEarlyHints({ link: '</a.css>; rel=preload' });
        setTimeout(() => res.writeHead(200, { 'content-length': '2' }).end('ok'), 5);
      });
      const transport = transportFor(url);
      for (let i = 0; i < 3; i++) expect(await send(transport, get('/hints'))).toMatchObject({ status: 200, errorKind: null });
    });

    it('times out a response that trickles in: one deadline for the whole request', async () => {
      const url = await serveRaw((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n');
          const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('x')), 50);
          socket.on('close', () => clearInterval(drip));
        });
      });
      const transport = transportFor(url, 400);
      const started = monotonicClock.nowMs();
      const result = await send(transport, get('/'));
      const tookMs = monotonicClock.nowMs() - started;
      expect(result.errorKind).toBe('timeout');
      expect(tookMs).toBeGreaterThanOrEqual(380);
      expect(tookMs).toBeLessThan(1500); // well before the 5 s the drip would take
    });

    it('times out a head that never ends', async () => {
      const url = await serveRaw((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\n');
          const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('x-a: b\r\n')), 20);
          socket.on('close', () => clearInterval(drip));
        });
      });
      const result = await send(transportFor(url, 300), get('/'));
      expect(result.errorKind).toBe('timeout');
    });

    it('counts requests in flight when the transport is destroyed as interrupted', async () => {
      let arrived = 0;
      const url = await serve(() => void arrived++); // never answers
      const transport = make(url, 10_000);
      const pending = Array.from({ length: 6 }, () => send(transport, get('/'))); // 4 on connections, 2 waiting
      while (arrived < 4) await new Promise((resolve) => setTimeout(resolve, 5));
      await transport.destroy();
      const results = await Promise.all(pending);
      expect(results.map((r) => r.errorKind)).toEqual(Array(6).fill('interrupted'));
      expect(results.every((r) => r.status === null)).toBe(true);
    });

    it('never sends a header value or path with CR/LF: error kind header', async () => {
      const seen: string[] = [];
      const url = await serve((req, res) => {
        seen.push(`${req.url} ${JSON.stringify(req.headers)}`);
        res.writeHead(200, { 'content-length': '0' }).end();
      });
      const transport = transportFor(url);
      const smuggled = 'x\r\nEvil: 1';
      expect((await send(transport, get('/a', { headers: { 'x-token': smuggled } }))).errorKind).toBe('header');
      expect((await send(transport, get('/b', { headers: { 'x-token': 'ok\nGET /smuggled HTTP/1.1' } }))).errorKind).toBe('header');
      expect((await send(transport, get('/c\r\nEvil: 1')))).toMatchObject({ errorKind: 'header', status: null });
      // a runaway value (a captured blob) is refused rather than sent as a 100 KB head
      expect((await send(transport, get('/big', { headers: { 'x-blob': 'b'.repeat(100_000) } }))).errorKind).toBe('header');
      expect(await send(transport, get('/fine', { headers: { 'x-name': 'Zoë' } }))).toMatchObject({ status: 200 });
      expect(seen).toHaveLength(1);
      expect(seen[0]).not.toMatch(/evil|smuggled/i);
      expect(seen[0]).toContain('/fine');
    });
  });
}

describe('raw transport only', () => {
  it('prewarmed connections that failed give their place back: later requests still go out', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const transport = new RawTransport(`http://127.0.0.1:${port}`, { connections: 2, timeoutMs: 1000 }, monotonicClock);
    closers.push(() => transport.destroy());
    await transport.prewarm(2);
    const results = await Promise.all(Array.from({ length: 4 }, () => send(transport, get('/'))));
    expect(results.map((r) => r.errorKind)).toEqual(Array(4).fill('ECONNREFUSED'));
  });

  // undici refuses a 100 it did not ask for ("bad response"); RFC 9110 §15.2 wants it skipped
  it('skips a 100 Continue, asked for or not', async () => {
    const url = await serve((req, res) => {
      if (req.headers.expect === undefined) res.writeContinue();
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-length': '0' }).end());
    });
    const transport = new RawTransport(url, { connections: 1, timeoutMs: 1000 }, monotonicClock);
    closers.push(() => transport.destroy());
    const post = get('/', { method: 'POST', body: '{}', headers: { expect: '100-continue' } });
    for (const request of [post, get('/')]) expect(await send(transport, request)).toMatchObject({ status: 201, errorKind: null });
  });

  it('sends a user-given host header instead of the URL host', async () => {
    let host = '';
    const url = await serve((req, res) => {
      host = req.headers.host ?? '';
      res.writeHead(200, { 'content-length': '0' }).end();
    });
    const transport = new RawTransport(url, { connections: 1, timeoutMs: 1000 }, monotonicClock);
    closers.push(() => transport.destroy());
    expect((await send(transport, get('/', { headers: { Host: 'api.example' } }))).status).toBe(200);
    expect(host).toBe('api.example');
  });

  it('closes a connection that gets bytes nobody asked for, and counts it', async () => {
    let connections = 0;
    const url = await serveRaw((socket) => {
      connections++;
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
    });
    const transport = new RawTransport(url, { connections: 1, timeoutMs: 1000 }, monotonicClock);
    closers.push(() => transport.destroy());
    for (let i = 0; i < 3; i++) expect((await send(transport, get('/'))).status).toBe(200);
    expect(connections).toBe(3);
    expect(transport.strays).toBe(3);
  });

  it('honours keep-alive: timeout= by not reusing a connection past it', async () => {
    let connections = 0;
    const url = await serveRaw((socket) => {
      connections++;
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nkeep-alive: timeout=1\r\ncontent-length: 0\r\n\r\n'));
    });
    const transport = new RawTransport(url, { connections: 1, timeoutMs: 1000 }, monotonicClock);
    closers.push(() => transport.destroy());
    // timeout=1 s less the 1 s margin: every request takes a fresh connection
    for (let i = 0; i < 3; i++) expect((await send(transport, get('/'))).status).toBe(200);
    expect(connections).toBe(3);
  });
});
