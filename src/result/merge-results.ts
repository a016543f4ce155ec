// `perfctl merge`: the results of the shards of one run become one result, exactly: cells
// (histograms and counts) are added, never averaged, and the timelines are added second by second.
import { combineCells, combineTimeBlocks, decodeBlockViews, encodeBlockViews } from '../metrics/cell-codec.js';
import { buildViews, decodeCells, encodeCells } from './cells.js';
import type { Cell } from '../metrics/cell.js';
import { buildScenarioViews, scenarioShapesOf } from './scenario-views.js';
import { actualStartMs } from './shard-set.js';
import type { GeneratorHealth, MeasuredResult, MergeRecord, Result, TimelinePoint } from './types.js';

export interface MergeOptions {
  /** results left out as duplicates of an index (recorded in the merged result) */
  dropped?: MergeRecord['dropped'];
  /** the refusals merge --force overrode (recorded, and shown first in every report) */
  forced?: string[];
}

/**
 * Adds up results already checked to be one shard set (shard-set.ts). Timelines are aligned on
 * the shards' actual starts: t = 0 of the merged run is the earliest, and a shard that started
 * later has its seconds shifted by its offset (to the nearest second).
 */
export function mergeShardResults(results: Result[], files: string[], options: MergeOptions = {}): { merged: MeasuredResult; cells: Cell[] } {
  const first = results[0]!;
  const starts = results.map(actualStartMs);
  const t0 = Math.min(...starts);
  const offsetsMs = starts.map((s) => s - t0);
  const cells = combineCells(results.flatMap((r) => decodeCells(r)));
  const startedAt = t0;
  const endedAt = Math.max(...results.map((r, i) => starts[i]! + r.durationMs));
  const durationMs = endedAt - startedAt;
  const phases = first.phases.map(({ name, startMs, endMs }) => ({ name, startMs, endMs }));
  const views = buildViews(cells, phases, durationMs, first.profile.model === 'open');
  const statuses = results.map((r) => r.status);
  // the shards' verdicts, checks and analyses judged slices: the merge is judged again
  const { verdict: _verdict, reason: _reason, targets: _targets, analysis: _analysis, comparison: _comparison, shard: _shard, generator: _generator, ...measured } = first;
  const generator = mergeGenerators(results);
  const merged: MeasuredResult = {
    ...measured,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs,
    status: statuses.find((s) => s !== 'completed') ?? 'completed',
    totals: views.totals,
    groups: views.groups,
    phases: views.phases,
    histograms: views.histograms,
    timeline: mergeTimelines(
      results.map((r) => r.timeline),
      offsetsMs.map((ms) => Math.round(ms / 1000)),
    ),
    start: mergedStart(results, t0),
    merge: {
      shards: results.map((r, i) => ({ file: files[i]!, index: r.shard?.index ?? null, count: r.shard?.count ?? null, actualStart: new Date(starts[i]!).toISOString(), offsetMs: offsetsMs[i]! })),
      dropped: options.dropped ?? [],
      skewMs: Math.max(...offsetsMs),
      ...(options.forced && options.forced.length > 0 ? { forced: options.forced } : {}),
    },
    cells: encodeCells(cells, phases),
    // the whole run's blocks and each phase's, added block by block
    ...encodeBlockViews(combineTimeBlocks(results.map((r) => decodeBlockViews(r, first.phases.map((p) => p.name)))), first.phases.map((p) => p.name)),
    ...(generator ? { generator } : {}),
    ...(first.scenarios ? { scenarios: buildScenarioViews(cells, phases, scenarioShapesOf(first.scenarios), durationMs, allCompleted(statuses)) } : {}),
  };
  return { merged, cells };
}

const allCompleted = (statuses: readonly string[]): boolean => statuses.every((s) => s === 'completed');

/**
 * Counts add up exactly; a second's percentiles cannot be rebuilt without its histogram, so
 * the merged point keeps the worst shard's value (an upper bound, never an average).
 */
export function mergeTimelines(timelines: TimelinePoint[][], shiftSeconds: number[] = []): TimelinePoint[] {
  const byT = new Map<number, TimelinePoint>();
  timelines.forEach((timeline, i) => {
    const shift = shiftSeconds[i] ?? 0;
    for (const point of timeline) {
      const p = shift === 0 ? point : { ...point, t: point.t + shift };
      const m = byT.get(p.t);
      if (!m) {
        byT.set(p.t, { ...p });
        continue;
      }
      m.requests += p.requests;
      m.errors += p.errors;
      m.rps += p.rps;
      m.level = Math.round((m.level + p.level) * 10) / 10;
      m.p50 = Math.max(m.p50, p.p50);
      m.p95 = Math.max(m.p95, p.p95);
      m.p99 = Math.max(m.p99, p.p99);
      if (p.planned !== undefined) m.planned = (m.planned ?? 0) + p.planned;
      if (p.loopLagMs !== undefined) m.loopLagMs = Math.max(m.loopLagMs ?? 0, p.loopLagMs);
      if (p.startLagMs !== undefined) m.startLagMs = Math.max(m.startLagMs ?? 0, p.startLagMs);
    }
  });
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** The merged run started when its first shard did; planned as the shards were (the earliest). */
function mergedStart(results: Result[], t0: number): NonNullable<Result['start']> {
  const earliest = (pick: (r: Result) => string | undefined): string | undefined => {
    const times = results.map(pick).filter((t): t is string => t !== undefined).map(Date.parse);
    return times.length === 0 ? undefined : new Date(Math.min(...times)).toISOString();
  };
  const firstRequest = earliest((r) => r.start?.firstRequest);
  const requested = results.find((r) => r.start?.requested)?.start?.requested;
  return {
    planned: earliest((r) => r.start?.planned) ?? new Date(t0).toISOString(),
    actual: new Date(t0).toISOString(),
    ...(firstRequest ? { firstRequest } : {}),
    ...(requested ? { requested } : {}),
  };
}

/**
 * The generators' health added up; a shard that could not deliver its slice makes the merged
 * run undelivered too (its problem, named by shard, is kept), whatever the others did.
 */
export function mergeGenerators(results: Array<Pick<Result, 'generator' | 'shard'>>): GeneratorHealth | undefined {
  const healths = results.map((r) => r.generator).filter((g): g is GeneratorHealth => g !== undefined);
  if (healths.length === 0) return undefined;
  const problems = results
    .map((r, i) => (r.generator?.problem ? `shard ${r.shard ? `${r.shard.index}/${r.shard.count}` : i + 1}: ${r.generator.problem}` : null))
    .filter((p): p is string => p !== null);
  return {
    due: healths.reduce((n, h) => n + h.due, 0),
    launched: healths.reduce((n, h) => n + h.launched, 0),
    dropped: healths.reduce((n, h) => n + (h.dropped ?? 0), 0),
    late: healths.reduce((n, h) => n + h.late, 0),
    undelivered: healths.reduce((n, h) => n + h.undelivered, 0),
    maxLoopLagMs: Math.max(...healths.map((h) => h.maxLoopLagMs)),
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  };
}
