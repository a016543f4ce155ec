// Builds a valid, internally consistent Result from synthetic latencies, for tests of
// targets, compare and reports that need no real run.
import { createCell, addCount, type Cell } from '../../src/metrics/cell.js';
import { createHistogram, recordMicros, type LatencyHistogram } from '../../src/metrics/histogram.js';
import { encodeBlockViews, phaseBlockKey } from '../../src/metrics/cell-codec.js';
import { PHASE_TIME_BLOCKS, TIME_BLOCKS } from '../../src/metrics/recorder.js';
import { buildViews, encodeCells, type PhaseWindow } from '../../src/result/cells.js';
import type { Result, TimelinePoint } from '../../src/result/types.js';

export interface SyntheticCell {
  group: string;
  /** phase name; must be one of `phases` */
  phase: string;
  /** latencies of the answered requests, ms */
  latenciesMs: number[];
  /** how many of the answered requests failed with a 500 */
  statusErrors?: number;
  /** failures with no answer, by kind (timeout, ECONNREFUSED, dropped...) */
  otherErrors?: Record<string, number>;
}

export interface SyntheticRun {
  profileName?: string;
  model?: 'open' | 'closed';
  phases?: PhaseWindow[];
  cells: SyntheticCell[];
  durationMs?: number;
  startedAt?: string;
}

export function makeResult(run: SyntheticRun): Result {
  const phases = run.phases ?? [{ name: 'main', startMs: 0, endMs: run.durationMs ?? 10_000 }];
  const durationMs = run.durationMs ?? phases[phases.length - 1]!.endMs;
  const model = run.model ?? 'open';
  // a stationary run: each cell's latencies spread evenly over the time blocks
  const timeBlocks = new Map<string, LatencyHistogram[]>();
  const cells: Cell[] = run.cells.map((sc) => {
    if (!timeBlocks.has(sc.group)) timeBlocks.set(sc.group, Array.from({ length: TIME_BLOCKS }, () => createHistogram(true)));
    sc.latenciesMs.forEach((ms, i) => recordMicros(timeBlocks.get(sc.group)![i % TIME_BLOCKS]!, ms * 1000));
    const phaseIndex = phases.findIndex((p) => p.name === sc.phase);
    if (phaseIndex < 0) throw new Error(`unknown phase ${sc.phase}`);
    // and over the phase's own time blocks
    const phaseKey = phaseBlockKey(phaseIndex, sc.group);
    if (!timeBlocks.has(phaseKey)) timeBlocks.set(phaseKey, Array.from({ length: PHASE_TIME_BLOCKS }, () => createHistogram(true)));
    sc.latenciesMs.forEach((ms, i) => recordMicros(timeBlocks.get(phaseKey)![i % PHASE_TIME_BLOCKS]!, ms * 1000));
    const cell = createCell(sc.group, phaseIndex);
    const statusErrors = sc.statusErrors ?? 0;
    sc.latenciesMs.forEach((ms, i) => {
      cell.requests++;
      recordMicros(cell.latency, ms * 1000);
      recordMicros(cell.service, ms * 1000);
      const failed = i < statusErrors;
      addCount(cell.statusCodes, failed ? '500' : '200');
      if (failed) {
        cell.errors++;
        addCount(cell.errorKinds, 'status');
      }
    });
    for (const [kind, n] of Object.entries(sc.otherErrors ?? {})) {
      cell.requests += n;
      cell.errors += n;
      addCount(cell.errorKinds, kind, n);
    }
    return cell;
  });
  const views = buildViews(cells, phases, durationMs, model === 'open');
  const startedAt = run.startedAt ?? '2026-01-01T00:00:00.000Z';
  const seconds = Math.ceil(durationMs / 1000);
  const perSecond = Math.round(views.totals.requests / Math.max(1, seconds));
  const timeline: TimelinePoint[] = Array.from({ length: seconds }, (_, i) => ({
    t: i + 1,
    requests: perSecond,
    errors: 0,
    rps: perSecond,
    p50: views.totals.latencyMs.p50,
    p95: views.totals.latencyMs.p95,
    p99: views.totals.latencyMs.p99,
    level: perSecond,
  }));
  return {
    schemaVersion: 1,
    tool: { name: 'perfctl', version: '0.1.0' },
    profile: {
      name: run.profileName ?? 'synthetic',
      source: 'builtin',
      model,
      stages: phases.map((p) => ({ name: p.name, durationMs: p.endMs - p.startMs, fromLevel: 10, toLevel: 10 })),
    },
    baseUrl: 'http://127.0.0.1:8080',
    startedAt,
    endedAt: new Date(Date.parse(startedAt) + durationMs).toISOString(),
    durationMs,
    status: 'completed',
    verdict: 'pass',
    totals: views.totals,
    groups: views.groups,
    phases: views.phases,
    timeline,
    histograms: views.histograms,
    cells: encodeCells(cells, phases),
    ...encodeBlockViews(timeBlocks, phases.map((p) => p.name)),
    targets: [],
    environment: { node: process.version, os: 'linux', cpus: 2, host: 'test', git: null },
  };
}

/** n latencies spread evenly between lo and hi ms (deterministic). */
export function spread(n: number, loMs: number, hiMs: number): number[] {
  return Array.from({ length: n }, (_, i) => loMs + ((hiMs - loMs) * i) / Math.max(1, n - 1));
}
