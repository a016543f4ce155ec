// When a run warms its hot paths before t = 0 (a busy first second), and that the warm-up
// itself records nothing anywhere a run could see.
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { monotonicClock } from '../../src/engine/clock.js';
import { createPacer } from '../../src/engine/pacer.js';
import { buildPlan } from '../../src/engine/plan.js';
import { promoteHeadStartObjects, socketWarmUpFits, wantsWarmUp, warmUp, type SocketWarmUpCase } from '../../src/engine/warm-up.js';

const open = (from: number, to: number, durationMs = 5000) => buildPlan('open', [{ name: 's', durationMs, fromLevel: from, toLevel: to }]);
const closed = (users: number) => buildPlan('closed', [{ name: 's', durationMs: 5000, fromLevel: users, toLevel: users }]);

describe('wantsWarmUp', () => {
  const cases: Array<[string, ReturnType<typeof buildPlan>, number, boolean, number?]> = [
    ['20,000/s', open(20_000, 20_000), 1, true],
    ['2,000/s, exactly the threshold', open(2000, 2000), 1, true],
    ['1,999/s', open(1999, 1999), 1, false],
    ['500/s', open(500, 500), 1, false],
    ['a ramp from 0 to 1,000/s over 5 s (few arrivals in the first second)', open(0, 1000), 1, false],
    ['20,000/s over 4 worker threads (5,000/s each)', open(20_000, 20_000), 4, true],
    ['20,000/s over 16 worker threads (1,250/s each)', open(20_000, 20_000), 16, false],
    ['50 users without think time (up to 10,000/s)', closed(50), 1, true],
    ['10 users without think time (up to 2,000/s)', closed(10), 1, true],
    ['5 users without think time', closed(5), 1, false],
    ['100 users thinking 1 s (about 100/s)', closed(100), 1, false, 1000],
    ['5,000 users thinking 1 s (about 5,000/s)', closed(5000), 1, true, 1000],
  ];
  it.each(cases)('%s', (_name, plan, sliceCount, expected, thinkMs) => {
    const pacer = plan.model === 'open' ? createPacer(plan, { index: 0, count: sliceCount }) : null;
    expect(wantsWarmUp(plan, pacer, sliceCount, thinkMs)).toBe(expected);
  });
});

describe('socketWarmUpFits', () => {
  const get = { name: 'root', method: 'GET', path: '/', headers: {}, expectStatus: null, weight: 1 };
  const base: SocketWarmUpCase = { origin: 'http://127.0.0.1:8080', transport: undefined, httpVersion: undefined, proxied: false, requests: [get], flows: 0, leadMs: undefined, neededMs: 600 };
  const cases: Array<[string, Partial<SocketWarmUpCase>, boolean]> = [
    ['plain HTTP/1.1 over the raw client, starting itself', {}, true],
    ['the raw client named', { transport: 'raw' }, true],
    ['--start-at with time to spare', { leadMs: 5000 }, true],
    ['--start-at too soon for it (the load workers\' shared start)', { leadMs: 50 }, false],
    ['https (the sink speaks no TLS)', { origin: 'https://127.0.0.1:8443' }, false],
    ['the undici client', { transport: 'undici' }, false],
    ['http.version given', { httpVersion: '2' }, false],
    ['behind a proxy', { proxied: true }, false],
    ['with flows', { flows: 1 }, false],
    ['no plain requests', { requests: [] }, false],
    ['a request to an absolute URL (another host)', { requests: [get, { ...get, path: 'http://127.0.0.2:9000/x' }] }, false],
    ['a request with its own http.version', { requests: [{ ...get, http: { version: '2' } }] }, false],
    ['a WebSocket', { requests: [{ ...get, stream: { kind: 'ws' } as never }] }, false],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    expect(socketWarmUpFits({ ...base, ...change })).toBe(expected);
  });
});

describe('warmUp', () => {
  it('runs on scratch objects: the pacer is only read, and it returns without a service', () => {
    const plan = open(20_000, 20_000);
    const pacer = createPacer(plan);
    const before = [pacer.total, pacer.dueMs(0), pacer.dueMs(999)];
    warmUp(plan, pacer, ['root'], monotonicClock);
    warmUp(closed(50), null, [], monotonicClock);
    expect([pacer.total, pacer.dueMs(0), pacer.dueMs(999)]).toEqual(before);
  });
});

describe('promoteHeadStartObjects', () => {
  const used = (space: string): number => getHeapSpaceStatistics().find((s) => s.space_name === space)!.space_used_size;

  it('moves what is alive in the young generation to the old one, so the first scavenges under load need not copy it', () => {
    // each attempt starts from an empty young generation (what the tests before left there
    // would otherwise fill it) and makes objects like the head start's: alive at t = 0, and
    // young (~0.4 MB: within the smallest young generation V8 keeps). A scavenge of V8's own
    // while they are made (the suite runs beside other files) promotes them early: then they
    // are made again, at most 5 times.
    let alive: Array<{ i: number; name: string }> = [];
    let youngBefore = 0;
    for (let attempt = 0; attempt < 5 && youngBefore <= 200_000; attempt++) {
      promoteHeadStartObjects();
      alive = Array.from({ length: 5_000 }, (_, i) => ({ i, name: `connection ${i}` }));
      youngBefore = used('new_space');
    }
    expect(youngBefore).toBeGreaterThan(200_000);
    promoteHeadStartObjects();
    expect(used('new_space')).toBeLessThan(youngBefore / 10);
    expect(alive[4_999]!.name).toBe('connection 4999');
  });
});
