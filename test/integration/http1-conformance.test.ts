// Conformance against an oracle: every response of the corpus is served by a tiny TCP server to
// perfctl's raw client and to Node's own http client (llhttp); they must agree on the status,
// the body length, success, and whether the connection carries the next request. Where perfctl
// deliberately differs, the corpus case says how and why.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { RawTransport } from '../../src/engine/raw-transport.js';
import type { PreparedRequest, SendResult } from '../../src/engine/transport.js';
import { corpus, type CorpusCase, type Outcome } from '../helpers/http1-corpus.js';

const TIMEOUT_MS = 700;
const emptyOk = 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n';

/** Serves the current case to the first request of the exchange, "200, empty" to later ones; notes each request's connection. */
class CorpusServer {
  current: CorpusCase | null = null;
  /** connection id of each request since the last reset */
  seen: number[] = [];
  private server = net.createServer((socket) => this.onConnection(socket));
  private connections = 0;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  reset(next: CorpusCase): void {
    for (const socket of this.sockets) socket.destroy();
    this.current = next;
    this.seen = [];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: net.Socket): void {
    const id = ++this.connections;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) >= 0) {
        pending = pending.slice(end + 4);
        this.seen.push(id);
        const first = this.seen.length === 1;
        const testCase = this.current!;
        if (first) void this.answer(socket, testCase);
        else socket.write(emptyOk);
      }
    });
  }

  private async answer(socket: net.Socket, testCase: CorpusCase): Promise<void> {
    const pieces = typeof testCase.response === 'string' ? [testCase.response] : testCase.response;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      if (!socket.destroyed) socket.write(Buffer.from(pieces[i]!, 'latin1'));
    }
    if (testCase.close === true) socket.end();
  }
}

const server = new CorpusServer();
beforeAll(() => server.listen());
afterAll(() => server.close());

async function perfctlOutcome(testCase: CorpusCase): Promise<Outcome> {
  server.reset(testCase);
  const transport = new RawTransport(`http://127.0.0.1:${server.port}`, { connections: 1, timeoutMs: TIMEOUT_MS }, monotonicClock);
  const request: PreparedRequest = { name: 'x', method: testCase.method ?? 'GET', path: '/first', headers: {}, body: undefined, expectStatus: null, collect: true };
  const send = (r: PreparedRequest): Promise<SendResult> => new Promise((resolve) => transport.send(r, resolve));
  const first = await send(request);
  const answered = first.status !== null;
  await send({ ...request, method: 'GET', path: '/second', collect: false });
  await transport.destroy();
  return {
    status: first.status,
    bodyLength: answered ? Buffer.byteLength(first.response?.body ?? '', 'utf8') : 0,
    success: answered,
    survives: server.seen.length === 2 && server.seen[0] === server.seen[1],
  };
}

async function nodeOutcome(testCase: CorpusCase): Promise<Outcome> {
  server.reset(testCase);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const exchange = (method: string, path: string): Promise<{ status: number | null; bodyLength: number; success: boolean }> =>
    new Promise((resolve) => {
      let status: number | null = null;
      let bodyLength = 0;
      let settled = false;
      const settle = (success: boolean): void => {
        if (settled) return;
        settled = true;
        resolve({ status: success ? status : null, bodyLength: success ? bodyLength : 0, success });
      };
      const req = http.request({ host: '127.0.0.1', port: server.port, method, path, agent }, (res) => {
        status = res.statusCode ?? null;
        res.on('data', (chunk: Buffer) => (bodyLength += chunk.length));
        res.on('end', () => settle(!res.aborted));
        res.on('aborted', () => settle(false));
        res.on('error', () => settle(false));
      });
      req.setTimeout(TIMEOUT_MS, () => {
        settle(false);
        req.destroy();
      });
      req.on('error', () => settle(false));
      req.end();
    });
  const first = await exchange(testCase.method ?? 'GET', '/first');
  // a kept-alive socket goes back to the agent once the response ended
  await new Promise((resolve) => setTimeout(resolve, 20));
  await exchange('GET', '/second');
  agent.destroy();
  return { ...first, survives: server.seen.length === 2 && server.seen[0] === server.seen[1] };
}

describe('HTTP/1.1 conformance: perfctl against llhttp (Node http)', () => {
  it('has a corpus of at least 40 responses', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  for (const testCase of corpus) {
    it(testCase.name, async () => {
      const node = await nodeOutcome(testCase);
      const perfctl = await perfctlOutcome(testCase);
      const expected = testCase.perfctl === undefined ? node : { ...node, ...testCase.perfctl.outcome };
      expect(perfctl, testCase.perfctl?.why ?? 'agrees with llhttp').toEqual(expected);
      if (testCase.perfctl !== undefined) {
        // a stated difference must be a real one
        expect(node, `llhttp is not different here: drop the stated difference (${testCase.perfctl.why})`).not.toEqual(perfctl);
      }
    });
  }
});
