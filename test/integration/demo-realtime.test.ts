// The demo's real-time endpoints measured by perfctl: WebSocket edits counted the same on both
// sides with round trips near the demo's latency, and the streamed tutor's first chunk before its end.
import { afterEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { requestCells, sumCells, type Cell } from '../../src/metrics/cell.js';
import { summariseMs } from '../../src/metrics/histogram.js';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { runOnce } from '../../src/engine/run-once.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let demo: DemoServer | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});
const group = (cells: Cell[], name: string): Cell => sumCells(cells.filter((cell) => cell.group === name), name);

async function runExample(file: string, model: 'open' | 'closed', level: number, seconds: number) {
  demo = await startDemoServer({ seed: 3 });
  const profile = await loadProfile(file, { cwd: process.cwd(), env: { PERFCTL_BASE_URL: demo.url }, builtinDir: 'scenarios' });
  return startLoad({
    plan: buildPlan(model, [{ name: 'hold', durationMs: seconds * 1000, fromLevel: level, toLevel: level }]),
    baseUrl: demo.url,
    requests: profile.requests,
    timeoutMs: profile.timeoutMs,
    maxInFlight: 1000,
    thinkTime: { minMs: 0, maxMs: 0 },
  }).finished;
}

describe('demo real-time endpoints', () => {
  it('collaboration over WebSocket: every edit acknowledged, counts equal on both sides, p50 near the demo’s 8 ms', async () => {
    const outcome = await runExample('examples/realtime/collab.yaml', 'closed', 20, 3);
    const collab = group(outcome.cells, 'collab');
    const stats = demo!.stats().realtime;
    expect(group(outcome.cells, 'collab.connect').requests).toBe(20);
    expect(stats.socketsOpened).toBe(20);
    expect(collab.counters?.['ws.sent']).toBe(stats.edits);
    expect(collab.requests).toBe(stats.edits);
    expect(collab.errors).toBe(stats.droppedEdits);
    // rooms of four: each edit comes back as an ack to its sender and a broadcast to three others
    expect(collab.counters?.['ws.received']).toBe(stats.sent);
    // (but for the last few, broadcast to a roommate that had already closed)
    expect(stats.sent).toBeLessThanOrEqual(4 * (stats.edits - stats.droppedEdits));
    expect(stats.sent).toBeGreaterThan(3.9 * (stats.edits - stats.droppedEdits));
    const latency = summariseMs(collab.latency);
    expect(latency.p50).toBeGreaterThan(5);
    expect(latency.p50).toBeLessThan(30);
  });

  it('the AI tutor over SSE: tutor.first and tutor recorded, first well before the whole answer, events as the demo sent them', async () => {
    const outcome = await runExample('examples/realtime/tutor.yaml', 'open', 5, 2);
    const whole = group(outcome.cells, 'tutor');
    const first = group(outcome.cells, 'tutor.first');
    const stats = demo!.stats().realtime;
    expect(whole.requests).toBe(10);
    expect(first.requests).toBe(stats.streams - stats.brokenStreams);
    expect(whole.counters?.['sse.events']).toBe(stats.streamEvents);
    // one stream is one request, as the demo counts it: tutor.first is a measurement inside it
    expect(sumCells(requestCells(outcome.cells)).requests).toBe(stats.streams);
    expect(summariseMs(first.latency).p50).toBeGreaterThan(150);
    expect(summariseMs(whole.latency).p50).toBeGreaterThan(1000);
    expect(summariseMs(first.latency).max).toBeLessThan(summariseMs(whole.latency).p50);
  });

  it('ws: and sse: steps in setup: run once before the load, one line each, the demo saw them', async () => {
    demo = await startDemoServer({ seed: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'perfctl-setup-streams-'));
    try {
      writeFileSync(join(dir, 'p.yaml'), `baseUrl: \${PERFCTL_BASE_URL}
setup:
  - name: warm-room
    ws: /ws/collab/room-1
    hold: 1s
    messages: { rate: 5, send: { json: { id: "{{ seq }}" } }, reply: { json: { "$.id": "{{ seq }}", "$.ack": true } } }
  - name: tutor-once
    sse: /api/tutor/stream
    until: { event: done }
stages: [ { duration: 1s, rate: 1 } ]
requests: [ { path: /health } ]
`);
      const profile = await loadProfile(join(dir, 'p.yaml'), { cwd: dir, env: { PERFCTL_BASE_URL: demo.url }, builtinDir: 'scenarios' });
      const outcome = await runOnce(profile.setup!, { baseUrl: demo.url, timeoutMs: 5000 });
      expect(outcome.failed).toBeUndefined();
      expect(outcome.steps.map((step) => step.name)).toEqual(['warm-room.connect', 'warm-room', 'tutor-once.first', 'tutor-once']);
      expect(outcome.steps[0]!.status).toBe(101);
      const stats = demo.stats().realtime;
      expect(stats.socketsOpened).toBe(1);
      expect(stats.edits).toBeGreaterThanOrEqual(4);
      expect(stats.streams).toBe(1);
      expect(outcome.steps[2]!.latencyMs!).toBeLessThan(outcome.steps[3]!.latencyMs!);
      // held 1 s, then the tutor's whole answer (~1-3 s)
      expect(outcome.durationMs).toBeGreaterThan(1900);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
