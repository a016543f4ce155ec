// Server-sent event streams: NAME.first before NAME, events counted as the server sent them,
// `until` ending the measurement early, and a broken stream counted as an error.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { sumCells, type Cell } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import type { MessageMatch, RequestSpec } from '../../src/config/types.js';
import { listenOnLoopback } from '../helpers/listen.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** /stream: 5 chunks 100 ms apart after a 50 ms think, the 4th named `done`; /broken: 2 chunks, then the socket is cut */
async function startSseServer(): Promise<{ url: string; sent: { events: number; streams: number } }> {
  const sent = { events: 0, streams: 0 };
  const server = http.createServer((req, res) => {
    if (req.url === '/missing') return res.writeHead(404).end();
    sent.streams++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const broken = req.url === '/broken';
    let n = 0;
    const next = (): void => {
      n++;
      sent.events++;
      res.write(`${n === 4 ? 'event: done\n' : ''}data: {"chunk":${n}}\n\n`);
      if (broken && n === 2) return void res.socket?.destroy();
      if (n === 5) return void res.end();
      setTimeout(next, 100);
    };
    setTimeout(next, 50);
  });
  const listening = await listenOnLoopback(server);
  close = listening.close;
  return { url: listening.url, sent };
}

const text = (value: string) => ({ source: value, parts: [{ kind: 'text' as const, text: value }], encoding: 'none' as const });
const sse = (name: string, path: string, until: MessageMatch | null = null): RequestSpec => ({
  name, method: 'GET', path, headers: {}, expectStatus: null, weight: 1, stream: { kind: 'sse', url: text(path), headers: {}, until },
});

function run(url: string, requests: RequestSpec[]) {
  return startLoad({
    plan: buildPlan('open', [{ name: 'hold', durationMs: 1000, fromLevel: 10, toLevel: 10 }]),
    baseUrl: url, requests, timeoutMs: 5000, maxInFlight: 1000, thinkTime: { minMs: 0, maxMs: 0 },
  }).finished;
}
const group = (cells: Cell[], name: string): Cell => sumCells(cells.filter((cell) => cell.group === name), name);

describe('SSE streams', () => {
  it('records NAME.first (~50 ms) and NAME (~450 ms, to the end), and counts every event', async () => {
    const server = await startSseServer();
    const outcome = await run(server.url, [sse('tutor', '/stream')]);
    const first = group(outcome.cells, 'tutor.first');
    const whole = group(outcome.cells, 'tutor');
    expect(whole.requests).toBe(10);
    expect(whole.errors).toBe(0);
    expect(first.requests).toBe(10);
    expect(whole.counters?.['sse.events']).toBe(server.sent.events);
    expect(server.sent.events).toBe(50);
    const firstMs = summariseMs(first.latency);
    const wholeMs = summariseMs(whole.latency);
    expect(firstMs.p50).toBeGreaterThanOrEqual(48);
    expect(firstMs.p50).toBeLessThan(150);
    expect(wholeMs.p50).toBeGreaterThanOrEqual(448);
    expect(wholeMs.p50).toBeLessThan(600);
  });

  it('`until` ends at the matching event; a cut stream is sse-broken; a 404 is status', async () => {
    const server = await startSseServer();
    const outcome = await run(server.url, [
      sse('done', '/stream', { kind: 'event', name: 'done' }),
      sse('cut', '/broken'),
      sse('missing', '/missing'),
    ]);
    const done = summariseMs(group(outcome.cells, 'done').latency);
    expect(done.p50).toBeGreaterThanOrEqual(348);
    expect(done.p50).toBeLessThan(440);
    const cut = group(outcome.cells, 'cut');
    expect(cut.errorKinds['sse-broken']).toBe(cut.requests);
    const missing = group(outcome.cells, 'missing');
    expect(missing.errorKinds['status']).toBe(missing.requests);
    expect(missing.statusCodes['404']).toBe(missing.requests);
  });
});
