// HTTP/2 (h2c against a node:http2 server): streams multiplexed on few sessions within the
// server's stream limit, counts that match what the server saw, the protocol recorded per group,
// latency from the due time, and RST_STREAM / refused streams / GOAWAY counted by kind.
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } from '../../src/engine/h2-transport.js';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells, type Cell } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import type { HttpVersion, RequestSpec } from '../../src/config/types.js';
import { startH2cServer, type GoawayPlan, type H2cServer } from '../helpers/h2c-server.js';

let server: H2cServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = (name: string, path: string): RequestSpec => ({ name, method: 'GET', path, headers: {}, expectStatus: null, weight: 1 });
const group = (cells: Cell[], name: string): Cell => sumCells(cells.filter((cell) => cell.group === name), name);

function run(rate: number, seconds: number, requests: RequestSpec[], httpVersion: HttpVersion, maxInFlight = 10_000) {
  return startLoad({
    plan: buildPlan('open', [{ name: 'hold', durationMs: seconds * 1000, fromLevel: rate, toLevel: rate }]),
    baseUrl: server!.url,
    requests,
    timeoutMs: 5000,
    maxInFlight,
    thinkTime: { minMs: 0, maxMs: 0 },
    httpVersion,
  }).finished;
}

describe('HTTP/2 (h2c)', () => {
  it('500/s of 50 ms requests: every one answered, on a few sessions, never more streams than the server allows; h2c recorded', async () => {
    server = await startH2cServer({ maxConcurrentStreams: 20, slowMs: 50 });
    const outcome = await run(500, 2, [get('slow', '/slow')], '2');
    const slow = group(outcome.cells, 'slow');
    expect(slow.requests).toBe(1000);
    expect(slow.errors).toBe(0);
    expect(server.seen.streams).toBe(1000);
    // ~25 in flight at 500/s × 50 ms, 20 streams per session: a second session, not one per request
    expect(server.seen.sessions).toBeGreaterThanOrEqual(1);
    // (a burst on a busy machine may fill a few more before the first answers come)
    expect(server.seen.sessions).toBeLessThanOrEqual(16);
    expect(server.seen.maxConcurrent).toBeLessThanOrEqual(20 * server.seen.sessions);
    expect(slow.counters).toEqual({ 'protocol.h2c': 1000 });
    const latency = summariseMs(slow.latency);
    expect(latency.p50).toBeGreaterThanOrEqual(49);
    expect(latency.p50).toBeLessThan(80);
  });

  it('a session with 1 stream: requests queue for it, and the queue is in their latency (from the due time)', async () => {
    server = await startH2cServer({ maxConcurrentStreams: 1, slowMs: 20 });
    // 100/s for 1 s of 20 ms answers on one stream of one session (maxInFlight 100 → one session)
    const outcome = await run(100, 1, [get('slow', '/slow')], '2', 100);
    const slow = group(outcome.cells, 'slow');
    expect(server.seen.maxConcurrent).toBe(1);
    expect(server.seen.sessions).toBe(1);
    expect(slow.requests).toBe(100);
    expect(slow.errors).toBe(0);
    expect(server.seen.streams).toBe(100);
    // a request every 10 ms, served one at a time in 20+ ms: the last waits ~1 s, and it shows
    expect(summariseMs(slow.latency).p99).toBeGreaterThan(900);
    expect(summariseMs(slow.service).p50).toBeLessThan(40);
  });

  it('RST_STREAM REFUSED_STREAM is h2-refused, any other RST_STREAM h2-rst-stream', async () => {
    server = await startH2cServer();
    const outcome = await run(50, 1, [get('refuse', '/refuse'), get('reset', '/reset'), get('ok', '/ok')], '2');
    const refuse = group(outcome.cells, 'refuse');
    const reset = group(outcome.cells, 'reset');
    expect(refuse.requests).toBeGreaterThan(10);
    expect(refuse.errorKinds).toEqual({ 'h2-refused': refuse.requests });
    expect(reset.errorKinds).toEqual({ 'h2-rst-stream': reset.requests });
    expect(group(outcome.cells, 'ok').errors).toBe(0);
  });

  // 20 users at once on one session; the server's 12th stream sends GOAWAY naming its 6th as the
  // last it processes (streams 7-12 it has seen are dropped unanswered, as are any sent after)
  const goawayRun = async (code: number) => {
    const goaway: GoawayPlan = { atStream: 12, lastStream: 6, code };
    server = await startH2cServer({ slowMs: 100, goaway });
    const outcome = await startLoad({
      plan: buildPlan('closed', [{ name: 'hold', durationMs: 1000, fromLevel: 20, toLevel: 20 }]),
      baseUrl: server.url, requests: [get('slow', '/slow')], timeoutMs: 5000, maxInFlight: 100, thinkTime: { minMs: 0, maxMs: 0 }, httpVersion: '2',
    }).finished;
    return group(outcome.cells, 'slow');
  };

  it('a graceful GOAWAY (NO_ERROR): the streams above its last stream id are h2-refused, the rest answered; the counts add up to what the server answered', async () => {
    const slow = await goawayRun(http2.constants.NGHTTP2_NO_ERROR);
    expect(server!.seen.goaways).toBe(1);
    expect(Object.keys(slow.errorKinds)).toEqual(['h2-refused']);
    expect(slow.errorKinds['h2-refused']).toBeGreaterThanOrEqual(6);
    expect(slow.requests - slow.errors).toBe(server!.seen.answered);
    // the load went on over a new session
    expect(server!.seen.sessions).toBeGreaterThanOrEqual(2);
    expect(server!.seen.answered).toBeGreaterThan(100);
  });

  it('a GOAWAY with an error: the streams the server was processing are h2-goaway (as many as it had in service), the ones above its last stream id h2-refused', async () => {
    const slow = await goawayRun(http2.constants.NGHTTP2_INTERNAL_ERROR);
    expect(server!.seen.inServiceAtGoaway).toBe(6);
    expect(slow.errorKinds['h2-goaway']).toBe(server!.seen.inServiceAtGoaway);
    expect(slow.errorKinds['h2-refused']).toBeGreaterThanOrEqual(6);
    expect(slow.errors).toBe(slow.errorKinds['h2-goaway']! + slow.errorKinds['h2-refused']!);
    expect(slow.requests - slow.errors).toBe(server!.seen.answered);
  });

  it('a stop: requests still waiting for a stream are never sent (not requests of the run); those on the wire are answered', async () => {
    server = await startH2cServer({ maxConcurrentStreams: 1, slowMs: 200 });
    const load = startLoad({
      plan: buildPlan('open', [{ name: 'hold', durationMs: 5000, fromLevel: 100, toLevel: 100 }]),
      baseUrl: server.url, requests: [get('slow', '/slow')], timeoutMs: 10_000, maxInFlight: 100, thinkTime: { minMs: 0, maxMs: 0 }, httpVersion: '2',
    });
    setTimeout(() => load.stop('interrupted'), 700);
    const startedAt = performance.now();
    const slow = group((await load.finished).cells, 'slow');
    // ~70 queued behind one stream at the stop: not one of them reaches the server
    expect(slow.requests).toBe(server.seen.streams);
    expect(server.seen.streams).toBeLessThanOrEqual(6);
    expect(performance.now() - startedAt).toBeLessThan(2500);
  });

  it('auto on http:// is HTTP/1.1 (nothing to negotiate), and says so', async () => {
    const { startTestServer } = await import('../helpers/test-server.js');
    const h1 = await startTestServer();
    try {
      const outcome = await startLoad({
        plan: buildPlan('open', [{ name: 'hold', durationMs: 1000, fromLevel: 20, toLevel: 20 }]),
        baseUrl: h1.url, requests: [get('ping', '/')], timeoutMs: 5000, maxInFlight: 100, thinkTime: { minMs: 0, maxMs: 0 }, httpVersion: 'auto',
      }).finished;
      // (the HTTP/1.1 client also counts its wire bytes, http.bytesReceived)
      expect(group(outcome.cells, 'ping').counters).toMatchObject({ 'protocol.http/1.1': 20 });
      expect(h1.seen.requests).toBe(20);
    } finally {
      await h1.close();
    }
  });
});

describe("HTTP/2's error codes, as h2-transport.ts spells them (it does not load node:http2 to read them)", () => {
  it.each([
    ['NO_ERROR', NGHTTP2_NO_ERROR, 'NGHTTP2_NO_ERROR'],
    ['REFUSED_STREAM', NGHTTP2_REFUSED_STREAM, 'NGHTTP2_REFUSED_STREAM'],
    ['CANCEL', NGHTTP2_CANCEL, 'NGHTTP2_CANCEL'],
  ])('%s is node:http2 constants.%s', (_name, ours, constant) => {
    expect(ours).toBe((http2.constants as Record<string, number>)[constant]);
  });
});
