// WebSocket sessions measured truthfully: round trips from each message's scheduled send (a
// stalled server's queue shows), counts that agree with what the server saw, errors by kind.
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells, type Cell } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import type { RequestSpec, WsSpec } from '../../src/config/types.js';
import { startWsEchoServer, type WsEchoServer } from '../helpers/ws-echo-server.js';

let server: WsEchoServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const text = (value: string) => ({ source: value, parts: [{ kind: 'text' as const, text: value }], encoding: 'none' as const });
const seqTemplate = (before: string, after: string, encoding: 'none' | 'json' = 'none') => ({
  source: `${before}{{ seq }}${after}`,
  parts: [{ kind: 'text' as const, text: before }, { kind: 'seq' as const }, { kind: 'text' as const, text: after }],
  encoding,
});

function wsRequest(ws: Partial<WsSpec> & Pick<WsSpec, 'messages'>, name = 'echo'): RequestSpec {
  const stream: WsSpec = { kind: 'ws', url: text('/echo'), headers: {}, holdMs: null, ...ws };
  return { name, method: 'GET', path: '/echo', headers: {}, expectStatus: null, weight: 1, stream };
}

const jsonEcho = (rate: number, timeoutMs: number | null = null): WsSpec['messages'] => ({
  rate,
  send: seqTemplate('{"id":"', '","op":"edit"}', 'json'),
  reply: { kind: 'json', fields: [{ expression: '$.id', path: ['id'], value: seqTemplate('', '') }] },
  timeoutMs,
});

function run(model: 'open' | 'closed', level: number, seconds: number, requests: RequestSpec[], timeoutMs = 5000) {
  return startLoad({
    plan: buildPlan(model, [{ name: 'hold', durationMs: seconds * 1000, fromLevel: level, toLevel: level }]),
    baseUrl: server!.httpUrl,
    requests,
    timeoutMs,
    maxInFlight: 10_000,
    thinkTime: { minMs: 0, maxMs: 0 },
  }).finished;
}

const group = (cells: Cell[], name: string): Cell => sumCells(cells.filter((cell) => cell.group === name), name);

describe('WebSocket sessions', () => {
  it('closed model: each user holds one socket, messages at the rate, every one answered and counted on both sides', async () => {
    server = await startWsEchoServer();
    const outcome = await run('closed', 20, 3, [wsRequest({ messages: jsonEcho(10) })]);
    const connect = group(outcome.cells, 'echo.connect');
    const echo = group(outcome.cells, 'echo');
    expect(connect.requests).toBe(20);
    expect(connect.errors).toBe(0);
    expect(server.seen.connections).toBe(20);
    expect(server.seen.maxOpen).toBe(20);
    // 20 sockets × 10/s × 3 s
    expect(echo.requests).toBeGreaterThan(540);
    expect(echo.requests).toBeLessThanOrEqual(620);
    expect(echo.errors).toBe(0);
    expect(echo.requests).toBe(server.seen.messages);
    expect(echo.counters?.['ws.sent']).toBe(server.seen.messages);
    expect(echo.counters?.['ws.received']).toBe(server.seen.echoed);
    expect(summariseMs(echo.latency).p50).toBeLessThan(20);
    // the timeline shows the sockets held
    expect(Math.max(...outcome.timeline.map((point) => point.sockets ?? 0))).toBe(20);
  });

  it('a 2 s stall at 100 messages/s shows in the round trips (p99 ≥ 1.5 s), and both sides count the same messages', async () => {
    server = await startWsEchoServer();
    const s = server;
    setTimeout(() => s.stallFor(2000), 2000);
    const outcome = await run('closed', 10, 6, [wsRequest({ messages: jsonEcho(10, 5000) })], 10_000);
    const echo = group(outcome.cells, 'echo');
    const latency = summariseMs(echo.latency);
    console.log(`[ws stall] ${echo.requests} round trips, server saw ${server.seen.messages} and echoed ${server.seen.echoed}; p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);
    expect(echo.errors).toBe(0);
    expect(echo.requests).toBe(server.seen.messages);
    expect(server.seen.echoed).toBe(server.seen.messages);
    expect(echo.requests).toBeGreaterThan(560);
    expect(latency.p50).toBeLessThan(50);
    expect(latency.p99).toBeGreaterThanOrEqual(1500);
    expect(latency.max).toBeGreaterThanOrEqual(1900);
  });

  it('a reply that never matches: every message is a timeout, measured at the timeout', async () => {
    server = await startWsEchoServer();
    const never = { ...jsonEcho(5, 300)!, reply: { kind: 'json' as const, fields: [{ expression: '$.nope', path: ['nope'], value: seqTemplate('', '') }] } };
    const outcome = await run('closed', 2, 2, [wsRequest({ messages: never })]);
    const echo = group(outcome.cells, 'echo');
    expect(echo.requests).toBeGreaterThan(15);
    expect(echo.errors).toBe(echo.requests);
    expect(echo.errorKinds['timeout']).toBe(echo.requests);
    expect(summariseMs(echo.latency).p50).toBeGreaterThanOrEqual(299);
    expect(summariseMs(echo.latency).max).toBeLessThan(320);
  });

  it('a refused upgrade is ws-handshake with its status; a server close is ws-closed with the code counted', async () => {
    server = await startWsEchoServer({ reject: 403 });
    const refused = await run('closed', 2, 1, [wsRequest({ messages: jsonEcho(5) })]);
    const connect = group(refused.cells, 'echo.connect');
    expect(connect.errorKinds['ws-handshake']).toBe(connect.requests);
    // (a few upgrades may see the server's close before its answer)
    expect(connect.statusCodes['403']).toBeGreaterThan(connect.requests * 0.95);
    await server.close();

    server = await startWsEchoServer();
    const s = server;
    setTimeout(() => s.closeAll(1011), 1000);
    const closed = await run('closed', 3, 2, [wsRequest({ messages: jsonEcho(5) })]);
    const echo = group(closed.cells, 'echo');
    expect(echo.errorKinds['ws-closed']).toBeGreaterThanOrEqual(3);
    expect(echo.counters?.['ws.close.1011']).toBeGreaterThanOrEqual(3);
  });

  it('open model: arrivals open sockets held for `hold`, and fire-and-forget messages are counted as sent', async () => {
    server = await startWsEchoServer();
    const fireAndForget = { rate: 10, send: text('tick'), reply: null, timeoutMs: null };
    const outcome = await run('open', 10, 2, [wsRequest({ holdMs: 500, messages: fireAndForget })]);
    const connect = group(outcome.cells, 'echo.connect');
    const echo = group(outcome.cells, 'echo');
    expect(connect.requests).toBe(20);
    expect(server.seen.connections).toBe(20);
    // each socket: messages due at 0, 100, ..., 400 ms of its 500 ms hold, but no socket outlives
    // the plan: the arrivals of its last 0.5 s send fewer
    expect(echo.requests).toBe(server.seen.messages);
    expect(echo.requests).toBeGreaterThan(80);
    expect(echo.requests).toBeLessThan(100);
    expect(echo.counters?.['ws.sent']).toBe(echo.requests);
    expect(echo.errors).toBe(0);
  });
});
