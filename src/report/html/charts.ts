// The report's three charts, drawn as inline SVG from a finished Result: throughput and
// errors over time (planned level dashed, stages shaded), latency percentiles over time,
// and the latency distribution as a percentile curve on a log percentile axis.
import { decodeHistogram, percentileCurve, type PercentilePoint } from '../../metrics/histogram.js';
import type { Result, TimelinePoint } from '../../result/types.js';
import { formatClock, formatMsWithUnit, formatRps } from './format.js';
import { analysisMarks } from './analysis-marks.js';
import {
  bands,
  bottomAxis,
  CHART_WIDTH,
  clipMarker,
  el,
  emptyNote,
  hoverColumns,
  hoverDots,
  innerTicks,
  legend,
  linearScale,
  niceTicks,
  seriesPath,
  stepArea,
  svgRoot,
  tickLabel,
  type Band,
  type LegendItem,
  type PlotArea,
  type TrustedSvg,
  type XTick,
  valueAxis,
} from './svg.js';

const WIDTH = CHART_WIDTH;
/** More points than this are binned: a 4-hour soak would otherwise draw 14,400 per line. */
const MAX_POINTS = 900;
/** Room above the highest value, so that no line runs along the top edge of a plot. */
const HEADROOM = 1.06;

export const SERIES = {
  rps: '#1f6feb',
  level: '#57606a',
  errors: '#cf222e',
  p50: '#2da44e',
  p95: '#d4a72c',
  p99: '#cf222e',
  current: '#1f6feb',
  baseline: '#8c959f',
} as const;

// ---------------------------------------------------------------- time axis and binning

interface TimeUnit {
  seconds: number;
  name: string;
}

function timeUnit(durationS: number): TimeUnit {
  if (durationS <= 300) return { seconds: 1, name: 's' };
  if (durationS <= 3 * 3600) return { seconds: 60, name: 'min' };
  return { seconds: 3600, name: 'h' };
}

function timeTicks(durationS: number, unit: TimeUnit, target: number): XTick[] {
  const ticks = innerTicks(durationS / unit.seconds, target);
  return ticks.values.map((v) => ({ value: v * unit.seconds, label: tickLabel(v, ticks.step) }));
}

/** One plotted interval of the timeline, (t0, t1] in seconds. */
interface Bin {
  t0: number;
  t1: number;
  rps: number;
  errorsPerS: number;
  level: number;
  /** null when nothing was answered in the bin (no latency to draw) */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Bins of k seconds: rates averaged, errors summed per second, p95/p99 the worst (never hide a spike). */
export function binTimeline(timeline: TimelinePoint[], maxPoints = MAX_POINTS): { bins: Bin[]; secondsPerBin: number } {
  const k = Math.max(1, Math.ceil(timeline.length / maxPoints));
  const bins: Bin[] = [];
  for (let i = 0; i < timeline.length; i += k) {
    const chunk = timeline.slice(i, i + k);
    const first = chunk[0]!;
    const last = chunk[chunk.length - 1]!;
    const t0 = first.t - 1;
    const t1 = last.t;
    const span = Math.max(1, t1 - t0);
    const answered = chunk.filter((p) => p.requests > 0 && p.p99 > 0);
    const mean = (f: (p: TimelinePoint) => number): number => chunk.reduce((s, p) => s + f(p), 0) / chunk.length;
    bins.push({
      t0,
      t1,
      rps: mean((p) => p.rps),
      errorsPerS: chunk.reduce((s, p) => s + p.errors, 0) / span,
      level: last.level,
      p50: answered.length === 0 ? null : answered.reduce((s, p) => s + p.p50, 0) / answered.length,
      p95: answered.length === 0 ? null : Math.max(...answered.map((p) => p.p95)),
      p99: answered.length === 0 ? null : Math.max(...answered.map((p) => p.p99)),
    });
  }
  return { bins, secondsPerBin: k };
}

function runSeconds(result: Result): number {
  const lastT = result.timeline.length > 0 ? result.timeline[result.timeline.length - 1]!.t : 0;
  return Math.max(1, result.durationMs / 1000, lastT);
}

/**
 * The stages as shaded bands. Scenarios run side by side, so their stages overlap in time:
 * then only the first scenario's are shaded (the Stages table has every window).
 */
function stageBands(result: Result): Band[] {
  const first = result.scenarios === undefined ? undefined : Object.keys(result.scenarios)[0];
  const overlap = result.phases.some((p, i) => result.phases.some((q, j) => j > i && p.startMs < q.endMs && q.startMs < p.endMs));
  const shown = overlap && first !== undefined ? result.phases.filter((p) => p.name.startsWith(`${first}/`)) : result.phases;
  return shown.map((p) => ({
    name: p.name,
    start: p.startMs / 1000,
    end: p.endMs / 1000,
    detail: `stage ${p.name}: ${formatClock(p.startMs)} – ${formatClock(p.endMs)}`,
  }));
}

function binNote(secondsPerBin: number): string {
  return secondsPerBin > 1 ? ` (each point: ${secondsPerBin} s)` : '';
}

// ---------------------------------------------------------------- chart 1: throughput and errors

/** The stage a second of the run fell in (for a point's tooltip). */
function stageAt(result: Result, seconds: number): string {
  const ms = seconds * 1000;
  return result.phases.find((p) => ms > p.startMs && ms <= p.endMs)?.name ?? '';
}

/** `0:12 (spike)`: the end of a plotted interval, and its stage. */
function pointLabel(result: Result, b: Bin): string {
  const stage = stageAt(result, b.t1);
  const when = b.t1 - b.t0 > 1 ? `${formatClock(b.t0 * 1000)}–${formatClock(b.t1 * 1000)}` : formatClock(b.t1 * 1000);
  return stage === '' ? when : `${when} (${stage})`;
}

/** A flow run plans journeys (iterations) per second, not requests: never on the requests/s axis. */
function plansJourneys(result: Result): boolean {
  return result.cells.some((c) => c.flow === true);
}

export function throughputChart(result: Result, id: string): TrustedSvg {
  const closed = result.profile.model === 'closed';
  const journeys = !closed && plansJourneys(result);
  // the planned level has its own axis unless it is in requests/s too
  const levelAxis = closed ? 'planned users (VUs)' : journeys ? 'planned journeys/s' : null;
  // scenarios side by side: the run's level adds users to requests/s, so each is drawn on its own
  const scenarios = scenarioLevels(result);
  if (scenarios !== null) return scenarioThroughputChart(result, id, scenarios);

  const { bins, secondsPerBin } = binTimeline(result.timeline);
  const startLevel = result.profile.stages[0]?.fromLevel;
  const levelPoints: Array<[number, number]> = [];
  if (bins.length > 0 && startLevel !== undefined) levelPoints.push([0, startLevel]);
  for (const b of bins) levelPoints.push([b.t1, b.level]);
  const maxRps = Math.max(0, ...bins.map((b) => b.rps));
  const maxLevel = Math.max(0, ...levelPoints.map(([, l]) => l));
  const frame = throughputFrame(result, bins, secondsPerBin, levelAxis !== null, levelAxis !== null ? maxRps : Math.max(maxRps, maxLevel));
  const { main, x, y, parts } = frame;

  const items: LegendItem[] = [{ label: 'achieved req/s', color: SERIES.rps, kind: 'line' }];
  const levelUnit = closed ? ' users' : journeys ? ' journeys/s' : '/s';
  if (bins.length > 0) {
    if (levelAxis !== null) {
      const lTicks = niceTicks(0, Math.max(maxLevel * HEADROOM, 1), 5, closed);
      const ly = linearScale(0, lTicks.max, main.y + main.h, main.y);
      parts.push(valueAxisRight(main, ly, lTicks, levelAxis));
      parts.push(seriesPath(levelPoints.map(([t, l]) => [x(t), ly(l)]), SERIES.level, { dashed: true, cls: 'series level' }));
      items.push({ label: `${closed ? 'planned users' : 'planned journeys/s'} (right axis)`, color: SERIES.level, kind: 'dashed' });
    } else {
      parts.push(seriesPath(levelPoints.map(([t, l]) => [x(t), y(l)]), SERIES.level, { dashed: true, cls: 'series level' }));
      items.push({ label: 'planned rate (req/s)', color: SERIES.level, kind: 'dashed' });
    }
  }
  items.push({ label: 'errors/s', color: SERIES.errors, kind: 'area' });
  const hover = (b: Bin): string =>
    `${pointLabel(result, b)}: ${formatRps(b.rps)} req/s achieved, planned ${formatRps(b.level)}${levelUnit}, ${formatRps(b.errorsPerS)} errors/s`;
  return finishThroughput(result, id, frame, items, hover, 'Throughput, planned level and errors over time');
}

/** The throughput chart's frame: requests/s above, errors/s below, stage bands and both time axes. */
interface ThroughputFrame {
  main: PlotArea;
  err: PlotArea;
  x: ReturnType<typeof linearScale>;
  y: ReturnType<typeof linearScale>;
  ey: ReturnType<typeof linearScale>;
  height: number;
  bins: Bin[];
  parts: string[];
}

function throughputFrame(result: Result, bins: Bin[], secondsPerBin: number, rightAxis: boolean, yMax: number): ThroughputFrame {
  const durationS = runSeconds(result);
  const unit = timeUnit(durationS);
  const margin = { left: 66, right: rightAxis ? 66 : 20 };
  const top = 46;
  const mainH = 150;
  const gap = 12;
  const errH = 66;
  const bottom = 48;
  const height = top + mainH + gap + errH + bottom;
  const main: PlotArea = { x: margin.left, y: top, w: WIDTH - margin.left - margin.right, h: mainH };
  const err: PlotArea = { x: margin.left, y: top + mainH + gap, w: main.w, h: errH };
  const x = linearScale(0, durationS, main.x, main.x + main.w);
  const ticks = timeTicks(durationS, unit, 6);
  const yTicks = niceTicks(0, Math.max(yMax * HEADROOM, 1), 5, yMax === 0);
  const y = linearScale(0, yTicks.max, main.y + main.h, main.y);
  const maxErr = Math.max(0, ...bins.map((b) => b.errorsPerS));
  const eTicks = niceTicks(0, Math.max(maxErr * HEADROOM, 1), 2, maxErr === 0);
  const ey = linearScale(0, eTicks.max, err.y + err.h, err.y);
  const parts: string[] = [];
  parts.push(bands(x, main.y, err.y + err.h, stageBands(result)));
  parts.push(valueAxisFor(main, y, yTicks, 'requests/s'));
  parts.push(valueAxisFor(err, ey, eTicks, 'errors/s'));
  parts.push(bottomAxis(main, x, ticks, null, false));
  parts.push(bottomAxis(err, x, ticks, `elapsed time (${unit.name})${binNote(secondsPerBin)}`));
  return { main, err, x, y, ey, height, bins, parts };
}

/** The achieved rate and the errors drawn into the frame, then the marks, legend and hover columns. */
function finishThroughput(result: Result, id: string, frame: ThroughputFrame, items: LegendItem[], hover: (bin: Bin) => string, title: string): TrustedSvg {
  const { main, err, x, y, ey, bins, parts } = frame;
  if (bins.length === 0) {
    parts.push(emptyNote(main, 'no timeline recorded'));
  } else {
    parts.push(seriesPath(bins.map((b) => [x((b.t0 + b.t1) / 2), y(b.rps)]), SERIES.rps, { cls: 'series rps' }));
    const errorBins = bins.filter((b) => b.errorsPerS > 0);
    if (errorBins.length > 0) parts.push(stepArea(errorBins.map((b) => [x(b.t0), x(b.t1), ey(b.errorsPerS)]), ey(0), SERIES.errors));
    else parts.push(emptyNote(err, 'no errors'));
  }
  parts.push(analysisMarks(result, x, main.y, err.y + err.h));
  parts.push(legend(main.x, 18, main.w, items));
  parts.push(hoverColumns(bins.map((b) => ({ x0: x(b.t0), x1: x(b.t1), text: hover(b) })), main.y, err.y + err.h));
  return svgRoot(id, WIDTH, frame.height, title, parts);
}

interface ScenarioLevel {
  name: string;
  /** users (closed), journeys/s (open, flows) or requests/s (open) */
  unit: 'users' | 'journeys/s' | 'req/s';
  points: Array<[number, number]>;
}

/** Each scenario's planned level over the run's time, from its stages; null for a run without scenarios. */
function scenarioLevels(result: Result): ScenarioLevel[] | null {
  if (result.scenarios === undefined || Object.keys(result.scenarios).length === 0) return null;
  const flows = new Set(result.cells.filter((c) => c.flow === true).map((c) => c.group));
  return Object.entries(result.scenarios).map(([name, sc]) => {
    let t = sc.startAfterMs / 1000;
    const points: Array<[number, number]> = [];
    for (const st of sc.stages) {
      points.push([t, st.fromLevel]);
      t += st.durationMs / 1000;
      points.push([t, st.toLevel]);
    }
    const unit = sc.model === 'closed' ? 'users' : Object.keys(sc.groups).some((g) => flows.has(g)) ? 'journeys/s' : 'req/s';
    return { name, unit, points };
  });
}

const SCENARIO_DASHES = ['6 4', '2 3', '10 3 2 3', '1 2'];

/** Throughput of a run with scenarios: requests/s on the left (achieved, and open scenarios' plans), users on the right. */
function scenarioThroughputChart(result: Result, id: string, scenarios: ScenarioLevel[]): TrustedSvg {
  const { bins, secondsPerBin } = binTimeline(result.timeline);
  // the right axis: users if any scenario is closed, else journeys/s if any plans journeys; a
  // scenario in a third unit is named in the legend, not drawn on an axis of another unit
  const right: ScenarioLevel['unit'] | null = scenarios.some((sc) => sc.unit === 'users') ? 'users' : scenarios.some((sc) => sc.unit === 'journeys/s') ? 'journeys/s' : null;
  const openMax = Math.max(0, ...scenarios.filter((sc) => sc.unit === 'req/s').flatMap((sc) => sc.points.map(([, l]) => l)));
  const usersMax = Math.max(0, ...scenarios.filter((sc) => sc.unit === right).flatMap((sc) => sc.points.map(([, l]) => l)));
  const frame = throughputFrame(result, bins, secondsPerBin, right !== null, Math.max(openMax, ...bins.map((b) => b.rps)));
  const { main, x, y, parts } = frame;
  const items: LegendItem[] = [{ label: 'achieved req/s', color: SERIES.rps, kind: 'line' }];
  const lTicks = niceTicks(0, Math.max(usersMax * HEADROOM, 1), 5, right === 'users');
  const ly = linearScale(0, lTicks.max, main.y + main.h, main.y);
  if (right !== null) parts.push(valueAxisRight(main, ly, lTicks, right === 'users' ? 'planned users (VUs)' : 'planned journeys/s'));
  scenarios.forEach((sc, i) => {
    if (sc.unit !== 'req/s' && sc.unit !== right) {
      items.push({ label: `${sc.name}: ${sc.unit}, not drawn`, color: SERIES.level, kind: 'dashed' });
      return;
    }
    const scale = sc.unit === 'req/s' ? y : ly;
    const path = seriesPath(sc.points.map(([t, l]) => [x(t), scale(l)]), SERIES.level, { dashed: true, cls: `series level scenario` });
    // each scenario its own dash pattern
    parts.push(path.replace('stroke-dasharray="6 4"', `stroke-dasharray="${SCENARIO_DASHES[i % SCENARIO_DASHES.length]}"`));
    items.push({ label: `${sc.name} (${sc.unit})`, color: SERIES.level, kind: 'dashed' });
  });
  const hover = (b: Bin): string => `${pointLabel(result, b)}: ${formatRps(b.rps)} req/s achieved, ${formatRps(b.errorsPerS)} errors/s`;
  return finishThroughput(result, id, frame, items, hover, 'Throughput, each scenario’s planned level and errors over time');
}

function valueAxisFor(area: PlotArea, scale: ReturnType<typeof linearScale>, ticks: ReturnType<typeof niceTicks>, label: string): string {
  return valueAxis(area, scale, ticks, label, 'left');
}
function valueAxisRight(area: PlotArea, scale: ReturnType<typeof linearScale>, ticks: ReturnType<typeof niceTicks>, label: string): string {
  return valueAxis(area, scale, ticks, label, 'right', false);
}

// ---------------------------------------------------------------- chart 2: latency over time

/**
 * The top of the latency axis: the highest point, unless a few points (a start-up burst) stand
 * far above the rest; then the 95th percentile of the per-point peaks with room, and the points
 * above it are drawn on the top edge and marked.
 */
export function latencyAxisTop(peaks: number[]): { top: number; clipped: boolean } {
  const sorted = peaks.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  const max = sorted.length > 0 ? sorted[sorted.length - 1]! : 0;
  if (sorted.length < 10) return { top: max, clipped: false };
  const q95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
  const cut = q95 * 1.5;
  return max > cut * 1.5 ? { top: cut, clipped: true } : { top: max, clipped: false };
}

export function latencyChart(result: Result, id: string): TrustedSvg {
  const durationS = runSeconds(result);
  const unit = timeUnit(durationS);
  const { bins, secondsPerBin } = binTimeline(result.timeline);
  const top = 46;
  const plotH = 180;
  const bottom = 48;
  const height = top + plotH + bottom;
  const area: PlotArea = { x: 66, y: top, w: WIDTH - 66 - 20, h: plotH };
  const x = linearScale(0, durationS, area.x, area.x + area.w);
  const peaks = bins.map((b) => Math.max(b.p99 ?? 0, b.p95 ?? 0));
  const axis = latencyAxisTop(peaks);
  const maxMs = axis.top;
  const yTicks = niceTicks(0, maxMs > 0 ? maxMs * HEADROOM : 1, 5, maxMs === 0);
  const y = linearScale(0, yTicks.max, area.y + area.h, area.y);
  // a clipped value is drawn on the top edge
  const yc = (v: number): number => (v > yTicks.max ? area.y : y(v));

  const parts: string[] = [];
  parts.push(bands(x, area.y, area.y + area.h, stageBands(result)));
  parts.push(valueAxisFor(area, y, yTicks, 'latency (ms)'));
  parts.push(bottomAxis(area, x, timeTicks(durationS, unit, 6), `elapsed time (${unit.name})${binNote(secondsPerBin)}`));
  const items: LegendItem[] = [
    { label: 'p50', color: SERIES.p50, kind: 'line' },
    { label: 'p95', color: SERIES.p95, kind: 'line' },
    { label: 'p99', color: SERIES.p99, kind: 'line' },
  ];
  const mid = (b: Bin): number => x((b.t0 + b.t1) / 2);
  if (bins.every((b) => b.p50 === null)) {
    parts.push(emptyNote(area, bins.length === 0 ? 'no timeline recorded' : 'no request was answered'));
  } else {
    const line = (f: (b: Bin) => number | null): Array<[number, number] | null> =>
      bins.map((b) => {
        const v = f(b);
        return v === null ? null : [mid(b), yc(v)];
      });
    parts.push(seriesPath(line((b) => b.p50), SERIES.p50, { cls: 'series p50' }));
    parts.push(seriesPath(line((b) => b.p95), SERIES.p95, { cls: 'series p95' }));
    parts.push(seriesPath(line((b) => b.p99), SERIES.p99, { cls: 'series p99' }));
    if (axis.clipped) {
      const above = bins.filter((b) => Math.max(b.p99 ?? 0, b.p95 ?? 0) > yTicks.max);
      const worst = above.reduce((w, b) => ((b.p99 ?? 0) > (w.p99 ?? 0) ? b : w), above[0]!);
      parts.push(el('g', { class: 'clipped' }, above.map((b) => clipMarker(mid(b), area.y, SERIES.p99, `${pointLabel(result, b)}: p99 ${formatMsWithUnit(b.p99)} (above the axis)`))));
      items.push({ label: `above the axis: p99 up to ${formatMsWithUnit(worst.p99)}`, color: SERIES.p99, kind: 'marker' });
    }
  }
  parts.push(analysisMarks(result, x, area.y, area.y + area.h));
  parts.push(legend(area.x, 18, area.w, items));
  parts.push(
    hoverColumns(
      bins
        .filter((b) => b.p50 !== null)
        .map((b) => ({ x0: x(b.t0), x1: x(b.t1), text: `${pointLabel(result, b)}: p50 ${formatMsWithUnit(b.p50)}, p95 ${formatMsWithUnit(b.p95)}, p99 ${formatMsWithUnit(b.p99)}` })),
      area.y,
      area.y + area.h,
    ),
  );
  return svgRoot(id, WIDTH, height, axis.clipped ? 'Latency percentiles over time (axis cut above a start-up burst; marked)' : 'Latency percentiles over time', parts);
}

// ---------------------------------------------------------------- chart 3: percentile curve

const DECADE_LABELS = ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'];

const trimPercentile = (p: number): string => String(Number(p.toFixed(3)));

/** x of a percentile on the log axis: log10(1 / (1 - q)). */
export function percentileX(percentile: number): number {
  return Math.log10(1 / (1 - percentile / 100));
}

interface Curve {
  points: PercentilePoint[];
  count: number;
}

function readCurve(base64: string | undefined): Curve | null {
  if (base64 === undefined || base64 === '') return null;
  try {
    const h = decodeHistogram(base64);
    return { points: percentileCurve(h), count: h.totalCount };
  } catch {
    return null;
  }
}

export interface DistributionOptions {
  /** the baseline's total histogram (comparison), drawn dashed when present */
  baselineHistogram?: string;
  baselineLabel?: string;
}

export function distributionChart(result: Result, id: string, opts: DistributionOptions = {}): TrustedSvg {
  const current = readCurve(result.histograms.total);
  const baseline = readCurve(opts.baselineHistogram);
  const top = 36;
  const plotH = 190;
  const bottom = 48;
  const height = top + plotH + bottom;
  const area: PlotArea = { x: 66, y: top, w: WIDTH - 66 - 20, h: plotH };
  const parts: string[] = [];

  const maxCount = Math.max(current?.count ?? 0, baseline?.count ?? 0);
  // as far right as the samples can tell apart: 1,000 samples reach 99.9%
  const decades = Math.min(5, Math.max(2, Math.floor(Math.log10(Math.max(1, maxCount)))));
  const x = linearScale(0, decades, area.x, area.x + area.w);
  const inRange = (c: Curve | null): PercentilePoint[] =>
    c === null ? [] : c.points.filter((p) => p.percentile < 100 && percentileX(p.percentile) <= decades + 1e-9);
  const cur = inRange(current);
  const base = inRange(baseline);
  const maxMs = Math.max(0, ...cur.map((p) => p.valueMs), ...base.map((p) => p.valueMs));
  const yTicks = niceTicks(0, maxMs > 0 ? maxMs * HEADROOM : 1, 5, maxMs === 0);
  const y = linearScale(0, yTicks.max, area.y + area.h, area.y);

  const ticks: XTick[] = DECADE_LABELS.slice(0, decades + 1).map((label, i) => ({ value: i, label }));
  const decadePx = area.w / decades;
  const minor = [50, 75].filter(() => decadePx >= 120).map((p) => ({ value: percentileX(p), label: `${p}%` }));
  parts.push(valueAxisFor(area, y, yTicks, 'latency (ms)'));
  parts.push(bottomAxis(area, x, [...ticks, ...minor].sort((a, b) => a.value - b.value), 'percentile (log scale)', true, true));

  const items: LegendItem[] = [];
  if (cur.length === 0) {
    parts.push(emptyNote(area, 'no latency recorded'));
  } else {
    const toPoints = (ps: PercentilePoint[]): Array<[number, number]> => ps.map((p) => [x(percentileX(p.percentile)), y(p.valueMs)]);
    if (base.length > 0) {
      parts.push(seriesPath(toPoints(base), SERIES.baseline, { dashed: true, cls: 'series baseline' }));
    }
    parts.push(seriesPath(toPoints(cur), SERIES.current, { width: 2.5, cls: 'series current' }));
    const at = (ps: PercentilePoint[], q: number): string => formatMsWithUnit(ps.find((p) => p.percentile === q)?.valueMs ?? null);
    items.push({ label: `this run: p50 ${at(cur, 50)}, p99 ${at(cur, 99)}`, color: SERIES.current, kind: 'line' });
    if (base.length > 0) {
      items.push({ label: `${opts.baselineLabel ?? 'baseline'}: p50 ${at(base, 50)}, p99 ${at(base, 99)}`, color: SERIES.baseline, kind: 'dashed' });
    }
    const dots = (ps: PercentilePoint[], who: string): Array<{ x: number; y: number; text: string }> =>
      ps.map((p) => ({ x: x(percentileX(p.percentile)), y: y(p.valueMs), text: `${who}: p${trimPercentile(p.percentile)} ${formatMsWithUnit(p.valueMs)}` }));
    parts.push(hoverDots([...dots(base, opts.baselineLabel ?? 'baseline'), ...dots(cur, 'this run')]));
  }
  parts.push(legend(area.x, 18, area.w, items));
  return svgRoot(id, WIDTH, height, 'Latency distribution: percentile curve', parts);
}
