// Truthful numbers: a stalled service must show in the latencies (no coordinated omission),
// and a rate perfctl cannot deliver must be called out, not blamed on the service.
import { afterEach, describe, expect, it } from 'vitest';
import { judgeGeneratorHealth, loopLagOf } from '../../src/engine/generator-health.js';
import { LATE_START_MS } from '../../src/engine/open-executor.js';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import { medianMs, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ping = { name: 'ping', method: 'GET', path: '/', headers: {}, expectStatus: null, weight: 1 };

/** One open-model hold of `rate`/s for `seconds` against the test server; resolves to the outcome. */
function holdRate(rate: number, seconds: number, extra: { timeoutMs?: number; drainMs?: number } = {}) {
  const run = startLoad({
    plan: buildPlan('open', [{ name: 'hold', durationMs: seconds * 1000, fromLevel: rate, toLevel: rate }]),
    baseUrl: server!.url,
    requests: [ping],
    timeoutMs: extra.timeoutMs ?? 5000,
    maxInFlight: 10_000,
    thinkTime: { minMs: 0, maxMs: 0 },
    ...(extra.drainMs !== undefined ? { drainMs: extra.drainMs } : {}),
  });
  return run.finished;
}

describe('coordinated omission', () => {
  it('a 2 s stall under 200/s shows: p50 a few ms, p95 ≈ 1.5 s, p99 ≈ 1.9 s, and the service still sees every due request', async () => {
    let origin = 0;
    // the service answers at once, except that everything arriving in [3 s, 5 s) waits until 5 s
    server = await startTestServer(() => {
      const now = performance.now();
      if (origin === 0) origin = now;
      const t = now - origin;
      return t >= 3000 && t < 5000 ? { delayMs: 5000 - t } : undefined;
    });
    const outcome = await holdRate(200, 10, { timeoutMs: 10_000 });
    const total = sumCells(outcome.cells);
    const latency = summariseMs(total.latency);
    const service = summariseMs(total.service);
    expect(server.seen.requests).toBe(2000);
    expect(total.requests).toBe(2000);
    expect(latency.p50).toBeLessThan(10);
    expect(latency.p95).toBeGreaterThan(1300);
    expect(latency.p95).toBeLessThan(1700);
    expect(latency.p99).toBeGreaterThan(1750);
    expect(latency.p99).toBeLessThan(2100);
    // the schedule went on through the stall: the service saw ~200 arrivals in each stalled second
    expect(server.seen.perSecond[3]).toBeGreaterThan(180);
    expect(server.seen.perSecond[4]).toBeGreaterThan(180);
    // service time counts from the actual send; here the stall is in the service, so it shows too
    expect(service.p99).toBeGreaterThan(1500);
    expect(judgeGeneratorHealth(outcome.health, outcome.maxLoopLagMs, LATE_START_MS)).toBeNull();
  });

  it('a fixed 10 ms service at moderate load: p50 within 1.5 ms of what the service itself took', async () => {
    server = await startTestServer(() => ({ delayMs: 10 }));
    const outcome = await holdRate(300, 3);
    const latency = summariseMs(sumCells(outcome.cells).latency);
    // the server runs in this process, so its own timers are late too: compare with what it saw
    const serverP50 = medianMs(server.seen.durationsMs);
    expect(serverP50).toBeGreaterThan(9);
    expect(latency.p50).toBeGreaterThanOrEqual(serverP50);
    expect(latency.p50 - serverP50, `perfctl p50 ${latency.p50} ms, service p50 ${serverP50} ms`).toBeLessThan(1.5);
  });
});

describe('precise starts at a low rate', () => {
  it.each([
    // 2.5 ms between arrivals: a timer wakes the loop 2 ms early, the rest is slept after the answer
    [400, 1200],
    // 10 ms between arrivals: with nothing in flight the whole wait is slept, with no timer
    [100, 300],
  ])('%s/s for 3 s against a service that answers within the gap: each request leaves within a fraction of a ms of its due time', async (rate, requests) => {
    // (the helper thread is never needed)
    server = await startTestServer(() => undefined);
    const outcome = await holdRate(rate, 3);
    const total = sumCells(outcome.cells);
    const startLag = summariseMs(total.latency).p50 - summariseMs(total.service).p50;
    expect(server.seen.requests).toBe(requests);
    expect(startLag, `latency p50 − service time p50 = ${startLag.toFixed(3)} ms`).toBeLessThan(1);
    expect(startLag).toBeGreaterThanOrEqual(0);
  });
});

describe('generator health', () => {
  it('an impossible rate (200,000/s) is judged inconclusive with the reason, not blamed on the service', async () => {
    server = await startTestServer();
    const outcome = await holdRate(200_000, 1, { drainMs: 2000 });
    const reason = judgeGeneratorHealth(outcome.health, outcome.maxLoopLagMs, LATE_START_MS);
    expect(reason).toMatch(/perfctl (started only [\d.]+% of the planned requests on schedule|could not start \d+ of 200000 planned arrivals)/);
    // whatever perfctl could not start is its own shortfall, never the service's errors
    expect(outcome.cells.reduce((n, cell) => n + (cell.errorKinds['dropped'] ?? 0), 0)).toBe(0);
    expect(outcome.health!.due).toBe(200_000);
    // fewer started than were due: behind (late or never sent), or dropped at maxInFlight
    expect(outcome.health!.launched - outcome.health!.dropped).toBeLessThan(outcome.health!.due);
  });

  it.each([
    // [the sampler's longest delay, its period, the longest deliberate sleep, the lag]
    [50.4, 50, 0, 0.4],
    [61, 50, 9.8, 1.2],
    [58, 50, 9.9, 0],
    [90, 50, 2, 38],
    [40, 50, 0, 0],
  ])('loop lag: a delay of %s ms on a %s ms period with a %s ms sleep is %s ms', (delayMs, periodMs, sleptMs, lagMs) => {
    expect(loopLagOf(delayMs, periodMs, sleptMs)).toBeCloseTo(lagMs, 6);
  });

  it('names nothing when perfctl kept to its schedule', () => {
    expect(judgeGeneratorHealth({ due: 1000, launched: 1000, late: 10, dropped: 0, undelivered: 0 }, 5, LATE_START_MS)).toBeNull();
    expect(judgeGeneratorHealth({ due: 1000, launched: 1000, late: 60, dropped: 0, undelivered: 0 }, 80, LATE_START_MS)).toMatch(/94%/);
    // arrivals dropped at maxInFlight are perfctl's shortfall: more than 5% makes the run inconclusive
    expect(judgeGeneratorHealth({ due: 1000, launched: 1000, late: 0, dropped: 60, undelivered: 0 }, 0, LATE_START_MS)).toMatch(/could not start 60 of 1000 planned arrivals/);
    expect(judgeGeneratorHealth({ due: 1000, launched: 1000, late: 0, dropped: 40, undelivered: 0 }, 0, LATE_START_MS)).toBeNull();
  });
});
