// The socket warm-up of a busy run: perfctl's own loopback sink answers the warm-up, so the
// service sees exactly the run's requests; and where the sink would not speak what the service
// does, there is none.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad, type LoadRunOptions } from '../../src/engine/run-load.js';
import { startWarmUpSink } from '../../src/engine/warm-up-sink.js';
import { sumCells } from '../../src/metrics/cell.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ping = { name: 'ping', method: 'GET', path: '/', headers: {}, expectStatus: null, weight: 1 };

function hold(rate: number, ms: number, extra: Partial<LoadRunOptions> = {}) {
  let answered: number | undefined;
  const run = startLoad({
    plan: buildPlan('open', [{ name: 'hold', durationMs: ms, fromLevel: rate, toLevel: rate }]),
    baseUrl: server!.url,
    requests: [ping],
    timeoutMs: 5000,
    maxInFlight: 10_000,
    thinkTime: { minMs: 0, maxMs: 0 },
    onSocketWarmUp: (n) => (answered = n),
    ...extra,
  });
  return run.finished.then((outcome) => ({ outcome, answered }));
}

describe('the socket warm-up', () => {
  it('3,000/s for 1 s: the sink answers the warm-up, and the service sees exactly the 3,000 requests of the run', async () => {
    server = await startTestServer();
    const { outcome, answered } = await hold(3000, 1000);
    expect(answered).toBeGreaterThan(100);
    expect(server.seen.requests).toBe(3000);
    expect(sumCells(outcome.cells).requests).toBe(3000);
    // nothing reached the service before t = 0
    expect(outcome.firstSendAt!.getTime()).toBeGreaterThanOrEqual(outcome.startedAt.getTime());
  });

  it('a POST with a body is framed by the sink as one request each', async () => {
    server = await startTestServer();
    const post = { ...ping, name: 'post', method: 'POST', body: '{"id":1}\r\n\r\nnot a request', headers: { 'content-type': 'application/json' } };
    const { outcome, answered } = await hold(4000, 500, { requests: [post] });
    expect(answered).toBeGreaterThan(50);
    expect(server.seen.requests).toBe(2000);
    expect(sumCells(outcome.cells).errors).toBe(0);
  });

  it('stopped during the warm-up (Ctrl-C before t = 0): interrupted, 0 ms long, and nothing reached the service', async () => {
    server = await startTestServer();
    let answered: number | undefined;
    const run = startLoad({
      plan: buildPlan('open', [{ name: 'hold', durationMs: 2000, fromLevel: 5000, toLevel: 5000 }]),
      baseUrl: server.url,
      requests: [ping],
      timeoutMs: 5000,
      maxInFlight: 10_000,
      thinkTime: { minMs: 0, maxMs: 0 },
      onSocketWarmUp: (n) => (answered = n),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.stop('interrupted');
    const outcome = await run.finished;
    expect(outcome.status).toBe('interrupted');
    expect(outcome.durationMs).toBe(0);
    expect(server.seen.requests).toBe(0);
    expect(sumCells(outcome.cells).requests).toBe(0);
    // the sink was closed (it reports what it answered when it is)
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBeGreaterThan(0);
  });

  const none: Array<[string, number, Partial<LoadRunOptions>]> = [
    ['below 2,000/s', 1500, {}],
    ['over the undici client', 3000, { transport: 'undici' }],
    ['through a proxy', 3000, { env: { HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' } }],
  ];
  it.each(none)('none %s', async (_name, rate, extra) => {
    server = await startTestServer();
    // through a (dead) proxy nothing arrives at all: only whether the warm-up ran is asked
    const { answered } = await hold(rate, 300, { ...extra, ...(extra.env ? { timeoutMs: 500 } : {}) });
    expect(answered).toBeUndefined();
    if (!extra.env) expect(server.seen.requests).toBe(Math.round(rate * 0.3));
  });

  it('the sink answers pipelined requests one by one, and counts them', async () => {
    const sink = await startWarmUpSink();
    const { port } = new URL(sink.origin);
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const get = 'GET / HTTP/1.1\r\nhost: x\r\n\r\n';
    socket.write(get + get.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write(get.slice(10) + 'POST / HTTP/1.1\r\ncontent-length: 4\r\n\r\nab');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('cd');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.split('HTTP/1.1 200 OK').length - 1).toBe(3);
    // at rest (the run's time) its thread is at the lowest priority, and it still counts and closes
    if (process.platform === 'linux') expect(await sink.rest()).toBe(19);
    expect(await sink.close()).toBe(3);
    socket.destroy();
  });
});
