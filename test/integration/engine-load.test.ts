import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import type { RequestSpec, StageSpec } from '../../src/config/types.js';

const get = (name: string, path: string): RequestSpec => ({ name, method: 'GET', path, headers: {}, expectStatus: null, weight: 1 });
const stage = (name: string, seconds: number, fromLevel: number, toLevel: number): StageSpec => ({ name, durationMs: seconds * 1000, fromLevel, toLevel });

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(transport: 'raw' | 'undici', model: 'open' | 'closed', stages: StageSpec[], requests = [get('ping', '/ping')], thinkMs = 0) {
  const run = startLoad({
    plan: buildPlan(model, stages),
    baseUrl: server!.url,
    requests,
    timeoutMs: 5000,
    maxInFlight: 10_000,
    thinkTime: { minMs: thinkMs, maxMs: thinkMs },
    transport,
  });
  const outcome = await run.finished;
  return { outcome, total: sumCells(outcome.cells) };
}

describe.each(['raw', 'undici'] as const)('load against a real server on 127.0.0.1 (%s transport)', (transport) => {
  it('open model: 200/s for 5 s reaches the service as 1000 requests, and perfctl counts what it saw', async () => {
    server = await startTestServer(() => ({ delayMs: 2 }));
    const { outcome, total } = await runAgainst(transport, 'open', [stage('hold', 5, 200, 200)]);
    expect(outcome.status).toBe('completed');
    expect(server.seen.requests).toBeGreaterThanOrEqual(980);
    expect(server.seen.requests).toBeLessThanOrEqual(1020);
    expect(total.requests).toBe(server.seen.requests);
    expect(total.errors).toBe(0);
  });

  it('open model: 100/s then an instant jump to 400/s shows 100, 100, 400, 400 per second at the service', async () => {
    server = await startTestServer();
    await runAgainst(transport, 'open', [stage('low', 2, 100, 100), stage('jump', 0, 400, 400), stage('high', 2, 400, 400)]);
    const perSecond = server.seen.perSecond.slice(0, 4);
    expect(perSecond[0]).toBeGreaterThan(90);
    expect(perSecond[0]).toBeLessThan(110);
    expect(perSecond[1]).toBeLessThan(130);
    expect(perSecond[2]).toBeGreaterThan(360);
    expect(perSecond[3]).toBeGreaterThan(360);
  });

  it('closed model: 10 users against a 20 ms service give p50 20-25 ms, ~480 rps, never more than 10 in flight', async () => {
    server = await startTestServer(() => ({ delayMs: 20 }));
    const { outcome, total } = await runAgainst(transport, 'closed', [stage('hold', 3, 10, 10)]);
    const latency = summariseMs(total.latency);
    expect(server.seen.maxInFlight).toBeLessThanOrEqual(10);
    expect(total.requests).toBe(server.seen.requests);
    expect(latency.p50).toBeGreaterThanOrEqual(20);
    expect(latency.p50).toBeLessThan(25);
    const rps = total.requests / (outcome.durationMs / 1000);
    expect(rps).toBeGreaterThan(400);
    expect(rps).toBeLessThan(500);
  });

  it('counts a service answering 10% of requests with 500 as an error rate of 0.10', async () => {
    server = await startTestServer((_req, n) => ({ status: n % 10 === 9 ? 500 : 200 }));
    const { total } = await runAgainst(transport, 'open', [stage('hold', 2, 250, 250)]);
    expect(total.requests).toBe(500);
    expect(total.errors).toBe(50);
    expect(total.statusCodes).toEqual({ '200': 450, '500': 50 });
    expect(total.errorKinds).toEqual({ status: 50 });
  });
});
