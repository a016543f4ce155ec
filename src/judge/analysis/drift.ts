// Soak drift (pure): an early window against a late window of the same steady span.
//
//   span    the stage analysed (see stages.ts findDriftSpan), e.g. the soak's long hold
//   early   after the first 10% of the span (warm-up: connection pools, JIT, caches), the next 20%
//   late    the last 20% of the span
//   change  late / early - 1 for p50, p95, p99 and throughput; late - early (percentage points)
//           for the error rate
//
// With the windows' cells (histograms captured at the window boundaries during the run, see
// drift-capture.ts) every figure is exact and a row can be scoped to some requests. Without
// them (a result from elsewhere) the per-second timeline points are weighted by requests.
//
// Sampling noise: a percentile of n samples is uncertain; its 95% confidence interval is the
// values at ranks n·q ± 1.96·sqrt(n·q·(1-q)). `changeLow`..`changeHigh` is the change's interval
// (late's low bound against early's high bound, and the reverse). A `drift` check fails only
// when even changeLow exceeds its limit, and never for a change under 1 ms (as compare does).
import { matchesGlob } from '../../config/glob.js';
import { createCell, addCellInto, requestCells, sumCells, type Cell } from '../../metrics/cell.js';
import { percentilesMs, sampleCount, subtractFrom, type LatencyHistogram } from '../../metrics/histogram.js';
import { sentRequests } from '../../metrics/stats.js';
import type { DriftAnalysis, DriftMetric } from '../../result/analysis-types.js';
import type { ResultCell, TimelinePoint } from '../../result/types.js';
import { decodeCell } from '../../metrics/cell-codec.js';
import type { DriftWindows } from '../../config/stage-shape.js';

/** A latency change smaller than this is never called drift (SPEC §7's floor for regressions). */
export const DRIFT_MIN_CHANGE_MS = 1;
const Z95 = 1.96;

export interface WindowCells {
  /** the window as actually captured (whole seconds), ms since the start of the run */
  startMs: number;
  endMs: number;
  /** one cell per request name (phases added together) */
  cells: Cell[];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

function relative(early: number, late: number): number | null {
  if (early === 0) return late === 0 ? 0 : null;
  return round6(late / early - 1);
}

/** The value at percentile q (0..100) and its 95% confidence bounds for this many samples. */
export function percentileWithBounds(h: LatencyHistogram, q: number): { value: number; low: number; high: number } {
  const n = sampleCount(h);
  if (n === 0) return { value: 0, low: 0, high: 0 };
  const p = q / 100;
  const half = Z95 * Math.sqrt((p * (1 - p)) / n);
  // low <= q <= high: one scan of the counts for the three
  const [low, value, high] = percentilesMs(h, [Math.max(0, p - half) * 100, q, Math.min(1, p + half) * 100]);
  return { value: value!, low: low!, high: high! };
}

/** Early against late for one percentile of two histograms, with the noise interval. */
export function latencyDrift(early: LatencyHistogram, late: LatencyHistogram, q: number): DriftMetric {
  const e = percentileWithBounds(early, q);
  const l = percentileWithBounds(late, q);
  const metric: DriftMetric = { early: e.value, late: l.value, change: relative(e.value, l.value) };
  if (e.high > 0 && e.low > 0) {
    metric.changeLow = round6(l.low / e.high - 1);
    metric.changeHigh = round6(l.high / e.low - 1);
  }
  return metric;
}

/**
 * Sums the window cells whose request name matches one of the patterns (null = all requests).
 * As in a target row's scope, a flow (whole iterations) counts only when a pattern names it exactly.
 */
export function scopeWindow(cells: Cell[], patterns: string[] | null): Cell {
  return sumCells(
    cells.filter((c) =>
      c.flow === true ? patterns !== null && patterns.includes(c.group) : patterns === null || patterns.some((p) => matchesGlob(c.group, p)),
    ),
  );
}

/** The window cells of a result's drift block (phase `early` or `late`), decoded. */
export function decodeWindow(cells: ResultCell[], phase: 'early' | 'late'): Cell[] {
  return cells.filter((rc) => rc.phase === phase).map(({ phase: _phase, ...rest }) => decodeCell({ ...rest, phaseIndex: -1 }));
}

/** Window cells per request name: `after` minus `before` (cumulative snapshots), phases added together. */
export function windowCells(before: Cell[], after: Cell[]): Cell[] {
  const byGroup = new Map<string, Cell>();
  const into = (source: Cell): Cell => {
    let cell = byGroup.get(source.group);
    if (!cell) byGroup.set(source.group, (cell = createCell(source.group, -1, source.flow === true)));
    return cell;
  };
  for (const cell of after) addCellInto(into(cell), cell);
  for (const cell of before) subtractCellFrom(into(cell), cell);
  return [...byGroup.values()].filter((c) => c.requests > 0);
}

function subtractCellFrom(target: Cell, source: Cell): void {
  target.requests -= source.requests;
  target.errors -= source.errors;
  for (const [k, v] of Object.entries(source.statusCodes)) target.statusCodes[k] = (target.statusCodes[k] ?? 0) - v;
  for (const [k, v] of Object.entries(source.errorKinds)) target.errorKinds[k] = (target.errorKinds[k] ?? 0) - v;
  for (const counts of [target.statusCodes, target.errorKinds]) {
    for (const [k, v] of Object.entries(counts)) if (v === 0) delete counts[k];
  }
  subtractFrom(target.latency, source.latency);
  subtractFrom(target.service, source.service);
}

function rateMetric(early: number, late: number): DriftMetric {
  return { early: round6(early), late: round6(late), change: round6(late - early) };
}

function baseOf(windows: DriftWindows): Pick<DriftAnalysis, 'phase' | 'warmupMs'> {
  return { phase: windows.span.phase, warmupMs: windows.warmupMs };
}

/** Exact drift of all requests from the windows' cells. */
export function analyseDriftFromCells(windows: DriftWindows, early: WindowCells, late: WindowCells): DriftAnalysis {
  const e = sumCells(requestCells(early.cells));
  const l = sumCells(requestCells(late.cells));
  const seconds = (w: WindowCells): number => Math.max(0.001, (w.endMs - w.startMs) / 1000);
  const eRps = sentRequests(e) / seconds(early);
  const lRps = sentRequests(l) / seconds(late);
  return {
    ...baseOf(windows),
    early: { startMs: early.startMs, endMs: early.endMs, requests: e.requests },
    late: { startMs: late.startMs, endMs: late.endMs, requests: l.requests },
    source: 'cells',
    p50: latencyDrift(e.latency, l.latency, 50),
    p95: latencyDrift(e.latency, l.latency, 95),
    p99: latencyDrift(e.latency, l.latency, 99),
    errorRate: rateMetric(e.requests === 0 ? 0 : e.errors / e.requests, l.requests === 0 ? 0 : l.errors / l.requests),
    rps: { early: round3(eRps), late: round3(lRps), change: relative(round3(eRps), round3(lRps)) },
  };
}

/** Points wholly inside [startMs, endMs]: a point covers (t-1, t] seconds. */
function pointsIn(timeline: TimelinePoint[], startMs: number, endMs: number): TimelinePoint[] {
  return timeline.filter((p) => (p.t - 1) * 1000 >= startMs - 1e-6 && p.t * 1000 <= endMs + 1e-6);
}

interface PointStats {
  mean: number;
  /** standard error of the mean over the points */
  se: number;
}

function weightedPercentile(points: TimelinePoint[], pick: (p: TimelinePoint) => number): PointStats {
  const answered = points.filter((p) => p.requests > 0 && pick(p) > 0);
  const weight = answered.reduce((s, p) => s + p.requests, 0);
  if (weight === 0) return { mean: 0, se: 0 };
  const mean = answered.reduce((s, p) => s + pick(p) * p.requests, 0) / weight;
  const k = answered.length;
  const variance = k > 1 ? answered.reduce((s, p) => s + (pick(p) - mean) ** 2, 0) / (k - 1) : 0;
  return { mean, se: Math.sqrt(variance / k) };
}

function pointDrift(early: TimelinePoint[], late: TimelinePoint[], pick: (p: TimelinePoint) => number): DriftMetric {
  const e = weightedPercentile(early, pick);
  const l = weightedPercentile(late, pick);
  const metric: DriftMetric = { early: round3(e.mean), late: round3(l.mean), change: relative(round3(e.mean), round3(l.mean)) };
  const eHigh = e.mean + Z95 * e.se;
  const eLow = e.mean - Z95 * e.se;
  if (eLow > 0) {
    metric.changeLow = round6((l.mean - Z95 * l.se) / eHigh - 1);
    metric.changeHigh = round6((l.mean + Z95 * l.se) / eLow - 1);
  }
  return metric;
}

/** Drift of all requests from the per-second points (when the windows' cells were not captured). */
export function analyseDriftFromTimeline(windows: DriftWindows, timeline: TimelinePoint[]): DriftAnalysis {
  const lastT = timeline.length > 0 ? timeline[timeline.length - 1]!.t : 0;
  const late = { ...windows.late, endMs: Math.min(windows.late.endMs, lastT * 1000) };
  const e = pointsIn(timeline, windows.early.startMs, windows.early.endMs);
  const l = pointsIn(timeline, late.startMs, late.endMs);
  const sum = (ps: TimelinePoint[], f: (p: TimelinePoint) => number): number => ps.reduce((s, p) => s + f(p), 0);
  const rate = (ps: TimelinePoint[]): number => {
    const requests = sum(ps, (p) => p.requests);
    return requests === 0 ? 0 : sum(ps, (p) => p.errors) / requests;
  };
  const rps = (ps: TimelinePoint[]): number => (ps.length === 0 ? 0 : round3(sum(ps, (p) => p.rps) / ps.length));
  const span = (ps: TimelinePoint[], fallback: { startMs: number; endMs: number }): { startMs: number; endMs: number } =>
    ps.length === 0 ? fallback : { startMs: (ps[0]!.t - 1) * 1000, endMs: ps[ps.length - 1]!.t * 1000 };
  return {
    ...baseOf(windows),
    early: { ...span(e, windows.early), requests: sum(e, (p) => p.requests) },
    late: { ...span(l, late), requests: sum(l, (p) => p.requests) },
    source: 'timeline',
    p50: pointDrift(e, l, (p) => p.p50),
    p95: pointDrift(e, l, (p) => p.p95),
    p99: pointDrift(e, l, (p) => p.p99),
    errorRate: rateMetric(rate(e), rate(l)),
    rps: { early: rps(e), late: rps(l), change: relative(rps(e), rps(l)) },
    ...(e.length === 0 || l.length === 0 ? { note: 'a window holds no complete second of the timeline' } : {}),
  };
}
