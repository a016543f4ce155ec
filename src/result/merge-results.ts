// `perfctl merge`: the results of the shards of one run become one result, exactly: cells
// (histograms and counts) are added, never averaged, and the timelines are added second by second.
import { usageError } from '../errors.js';
import { combineCells, combineTimeBlocks, decodeTimeBlocks, encodeTimeBlocks } from '../metrics/cell-codec.js';
import { buildViews, decodeCells, encodeCells } from './cells.js';
import type { Cell } from '../metrics/cell.js';
import type { Result, TimelinePoint } from './types.js';

export function mergeShardResults(results: Result[], files: string[]): { merged: Result; cells: Cell[] } {
  const first = results[0]!;
  results.forEach((r, i) => {
    if (r.profile.name !== first.profile.name || (r.profile.hash && first.profile.hash && r.profile.hash !== first.profile.hash)) {
      throw usageError(`${files[i]}: profile "${r.profile.name}" (${r.profile.hash ?? 'no hash'}) differs from ${files[0]}'s "${first.profile.name}" (${first.profile.hash ?? 'no hash'}); only shards of one run can be merged`);
    }
  });
  const cells = combineCells(results.flatMap((r) => decodeCells(r)));
  const startedAt = Math.min(...results.map((r) => Date.parse(r.startedAt)));
  const endedAt = Math.max(...results.map((r) => Date.parse(r.endedAt)));
  const durationMs = Math.max(...results.map((r) => r.durationMs));
  const phases = first.phases.map(({ name, startMs, endMs }) => ({ name, startMs, endMs }));
  const views = buildViews(cells, phases, durationMs, first.profile.model === 'open');
  const statuses = results.map((r) => r.status);
  const merged: Result = {
    ...first,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs,
    status: statuses.find((s) => s !== 'completed') ?? 'completed',
    totals: views.totals,
    groups: views.groups,
    phases: views.phases,
    histograms: views.histograms,
    timeline: mergeTimelines(results.map((r) => r.timeline)),
    cells: encodeCells(cells, phases),
    timeBlocks: encodeTimeBlocks(combineTimeBlocks(results.map((r) => decodeTimeBlocks(r.timeBlocks ?? {})))),
    targets: [],
  };
  delete merged.shard;
  delete merged.comparison;
  return { merged, cells };
}

/**
 * Counts add up exactly; a second's percentiles cannot be rebuilt without its histogram, so
 * the merged point keeps the worst shard's value (an upper bound, never an average).
 */
export function mergeTimelines(timelines: TimelinePoint[][]): TimelinePoint[] {
  const byT = new Map<number, TimelinePoint>();
  for (const timeline of timelines) {
    for (const p of timeline) {
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
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
