import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asCheckpoint, CheckpointWriter } from '../../src/app/checkpoint.js';
import { InlineSink } from '../../src/app/checkpoint-sink.js';
import { buildMeasured } from '../../src/result/build-result.js';
import { validateResult } from '../../src/result/validate-result.js';
import { buildPlan } from '../../src/engine/plan.js';
import { createCell } from '../../src/metrics/cell.js';
import { recordMicros } from '../../src/metrics/histogram.js';
import type { SecondTick } from '../../src/engine/run-load.js';
import type { Profile } from '../../src/config/types.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const stages = [{ name: 'main', durationMs: 60_000, fromLevel: 10, toLevel: 10 }];
const plan = buildPlan('open', stages, {});
const profile = { name: 'p', source: 'builtin', model: 'open', stages, requests: [], targets: [], secrets: [] } as unknown as Profile;
const cell = createCell('ping', 0);

function tick(t: number): SecondTick {
  cell.requests += 10;
  for (let i = 0; i < 10; i++) recordMicros(cell.latency, 5000 + i * 100);
  return { elapsedMs: t * 1000, point: { t, requests: 10, errors: 0, rps: 10, p50: 5, p95: 6, p99: 6, level: 10 }, stageIndex: 0, level: 10, requests: cell.requests, errors: 0, inFlight: 0, cells: () => [cell] };
}

const measure = (outcome: Parameters<typeof buildMeasured>[0]['outcome']) =>
  buildMeasured({ profile, plan, outcome, baseUrl: 'http://127.0.0.1:1', toolVersion: '0.0.0', environment: { node: 'v20', os: 'linux', cpus: 2, host: 'h', git: null } });

describe('CheckpointWriter', () => {
  it('writes every interval (one at a time), a valid result with status running and the timeline so far', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-cp-'));
    const path = join(dir, 'result.json');
    const warnings: string[] = [];
    const writer = new CheckpointWriter({ intervalMs: 3000, sink: new InlineSink(path), measure, warn: (m) => warnings.push(m) });
    for (let t = 1; t <= 7; t++) {
      writer.onSecond(tick(t));
      // let the write finish before the next second, as a real second would
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer.onFinish();
    expect(warnings).toEqual([]);
    // at 3 s and 6 s
    expect(writer.stats.written).toBe(2);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(validateResult(written)).toEqual([]);
    expect(written.status).toBe('running');
    expect(written.timeline.map((p: { t: number }) => p.t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(written.totals.requests).toBe(60);
    expect(written.durationMs).toBe(6000);
    expect(writer.stats.lastBytes).toBe(Buffer.byteLength(readFileSync(path, 'utf8')));
  });

  it('no checkpoint in the plan\'s last second (the final result.json follows at once)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-cp-'));
    const path = join(dir, 'result.json');
    const writer = new CheckpointWriter({ intervalMs: 3000, sink: new InlineSink(path), measure, warn: () => undefined, plannedMs: 6000 });
    for (let t = 1; t <= 6; t++) {
      writer.onSecond(tick(t));
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer.onFinish();
    // at 3 s, not at 6 s
    expect(writer.stats.written).toBe(1);
    expect(JSON.parse(readFileSync(path, 'utf8')).timeline.map((p: { t: number }) => p.t)).toEqual([1, 2, 3]);
  });

  it('carries the rows judged so far and the service monitor\'s samples on their seconds', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-cp-'));
    const path = join(dir, 'result.json');
    const rows = [
      { name: 'API', requests: null, phase: null, abortOnFail: false, checks: [{ metric: 'p50' as const, limit: 2 }, { metric: 'p95' as const, limit: 50 }, { metric: 'cpu' as const, limit: 0.5 }] },
    ];
    // samples at 0.9 s, 2.0 s and 3.5 s (the last is a second still to come at the 3 s checkpoint)
    const samples = [{ atMs: 900, cpuPercent: 10, memoryMB: 40 }, { atMs: 2000, cpuPercent: 20, memoryMB: 41 }, { atMs: 3500, cpuPercent: 30, memoryMB: 42 }];
    const writer = new CheckpointWriter({ intervalMs: 3000, sink: new InlineSink(path), measure, warn: () => {}, rows, serviceSamples: () => samples });
    for (let t = 1; t <= 3; t++) {
      writer.onSecond(tick(t));
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer.onFinish();
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(validateResult(written)).toEqual([]);
    expect(written.timeline.map((p: { t: number; cpuPercent?: number; memoryMB?: number }) => [p.t, p.cpuPercent, p.memoryMB])).toEqual([
      [1, 10, 40],
      [2, 20, 41],
      [3, undefined, undefined],
    ]);
    // latencies are 5.0-5.9 ms: p50 < 2 ms has failed so far, p95 < 50 ms has not; cpu waits for the end of the run
    const states = Object.fromEntries(written.targets.map((c: { metric: string; state: string }) => [c.metric, c.state]));
    expect(states['p50']).toBe('fail');
    expect(states['p95']).not.toBe('fail');
    expect(states['cpu']).toBe('uncertain');
    expect(written.targets.find((c: { metric: string }) => c.metric === 'cpu').message).toMatch(/judged on the whole run once it is over/);
    expect(written.verdict).toBe('inconclusive');
    expect(written.reason).toMatch(/^running: a checkpoint written while the run was still going on; so far 1 of 3 checks failed: API p50/);
  });

  it('a checkpoint that cannot be written is warned about once, and the run goes on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-cp-'));
    writeFileSync(join(dir, 'file'), 'not a directory');
    const warnings: string[] = [];
    const writer = new CheckpointWriter({ intervalMs: 1000, sink: new InlineSink(join(dir, 'file', 'result.json')), measure, warn: (m) => warnings.push(m) });
    for (let t = 1; t <= 4; t++) {
      writer.onSecond(tick(t));
      await new Promise((r) => setTimeout(r, 20));
    }
    await writer.onFinish();
    expect(writer.stats.written).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^perfctl: checkpoint: .*the run goes on/);
  });

  it('asCheckpoint: status running, verdict inconclusive with its reason, no time blocks', () => {
    const checkpoint = asCheckpoint({ ...measure({ status: 'completed', startedAt: new Date(0), endedAt: new Date(1000), durationMs: 1000, cells: [], timeline: [], health: null, maxLoopLagMs: 0, firstSendAt: null, timeBlocks: new Map() }) });
    expect(checkpoint).toMatchObject({ status: 'running', verdict: 'inconclusive' });
    expect(checkpoint.reason).toMatch(/^running: a checkpoint/);
    expect(checkpoint.timeBlocks).toBeUndefined();
  });
});
