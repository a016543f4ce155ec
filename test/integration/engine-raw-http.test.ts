// The raw HTTP/1.1 client against real servers on 127.0.0.1: every framing a load test meets.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { RawTransport } from '../../src/engine/raw-transport.js';
import type { PreparedRequest, SendResult } from '../../src/engine/transport.js';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

async function serve(handler: http.RequestListener): Promise<{ url: string; connections: () => number }> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

const get = (path: string, extra: Partial<PreparedRequest> = {}): PreparedRequest => ({
  name: path, method: 'GET', path, headers: {}, body: undefined, expectStatus: null, ...extra,
});

function send(transport: RawTransport, request: PreparedRequest): Promise<SendResult> {
  return new Promise((resolve) => transport.send(request, resolve));
}

function transportFor(url: string, timeoutMs = 2000): RawTransport {
  const transport = new RawTransport(url, { connections: 4, timeoutMs }, monotonicClock);
  closers.push(() => transport.destroy());
  return transport;
}

describe('raw HTTP/1.1 client', () => {
  it('reads content-length, chunked, empty and HEAD responses, and reuses one kept-alive connection', async () => {
    const { url, connections } = await serve((req, res) => {
      if (req.url === '/length') res.writeHead(200, { 'content-length': '5' }).end('hello');
      else if (req.url === '/chunked') { res.write('a'.repeat(10_000)); setTimeout(() => res.end('end'), 5); }
      else if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(200, { 'content-length': '3' }).end(req.method === 'HEAD' ? undefined : 'abc');
    });
    const transport = transportFor(url);
    for (const path of ['/length', '/chunked', '/empty', '/length', '/chunked']) {
      const result = await send(transport, get(path, { collect: true }));
      expect(result.errorKind, path).toBeNull();
      expect(result.status).toBe(path === '/empty' ? 204 : 200);
      if (path === '/length') expect(result.response?.body).toBe('hello');
      if (path === '/chunked') expect(result.response?.body).toBe(`${'a'.repeat(10_000)}end`);
      expect(result.endedAtMs).toBeGreaterThanOrEqual(result.sentAtMs);
    }
    const head = await send(transport, get('/x', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(connections()).toBe(1);
  });

  it('sends method, headers and body as given, and keeps response headers when asked', async () => {
    let seen: { method?: string; auth?: string; body?: string } = {};
    const { url } = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, auth: req.headers.authorization, body };
        res.writeHead(201, { 'set-cookie': ['a=1', 'b=2'], 'content-length': '2' }).end('{}');
      });
    });
    const result = await send(transportFor(url), get('/p', { method: 'POST', headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json' }, body: '{"a":"é"}', collect: true }));
    expect(seen).toEqual({ method: 'POST', auth: 'Bearer t0k3n', body: '{"a":"é"}' });
    expect(result.status).toBe(201);
    expect(result.response?.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('counts an unexpected status as an error of kind status', async () => {
    const { url } = await serve((_req, res) => res.writeHead(500, { 'content-length': '0' }).end());
    const result = await send(transportFor(url), get('/'));
    expect([result.status, result.errorKind]).toEqual([500, 'status']);
  });

  it('reads a response framed by the end of the connection', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil-close'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const transport = transportFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    for (let i = 0; i < 2; i++) {
      const result = await send(transport, get('/', { collect: true }));
      expect(result.status).toBe(200);
      expect(result.response?.body).toBe('until-close');
    }
  });

  it('reports a timeout, a refused connection and a reset as errors, and recovers', async () => {
    let n = 0;
    const { url } = await serve((req, res) => {
      n++;
      if (req.url === '/slow') return; // never answers
      if (req.url === '/reset') return req.socket.destroy();
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    const transport = transportFor(url, 300);
    expect((await send(transport, get('/slow'))).errorKind).toBe('timeout');
    expect((await send(transport, get('/reset'))).errorKind).toMatch(/ECONNRESET|socket/);
    expect((await send(transport, get('/fine'))).status).toBe(200);
    expect(n).toBe(3);
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    expect((await send(transportFor(`http://127.0.0.1:${port}`), get('/'))).errorKind).toBe('ECONNREFUSED');
  });

  it('queues beyond its connection cap instead of opening more', async () => {
    let inFlight = 0;
    let most = 0;
    const { url, connections } = await serve((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => { inFlight--; res.writeHead(200, { 'content-length': '0' }).end(); }, 20);
    });
    const transport = transportFor(url);
    const results = await Promise.all(Array.from({ length: 12 }, () => send(transport, get('/'))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(most).toBeLessThanOrEqual(4);
    expect(connections()).toBe(4);
  });
});
