// The service's CPU and memory over time (a monitored run: the timeline's cpuPercent and
// memoryMB samples), beside the latency charts, with the soak drift's early and late windows
// shaded so a leak and a slowdown can be read against the same stretch of time, and the same
// analysis marks (spike end, recovery, breaking step) as the other time charts. Built from
// svg.ts parts, so every text is escaped. No chart (null) for a run without samples.
import type { Result } from '../../result/types.js';
import { formatClock } from './format.js';
import { analysisMarks } from './analysis-marks.js';
import {
  bands,
  bottomAxis,
  CHART_WIDTH,
  innerTicks,
  legend,
  linearScale,
  niceTicks,
  seriesPath,
  svgRoot,
  tickLabel,
  valueAxis,
  type Band,
  type PlotArea,
  type TrustedSvg,
} from './svg.js';

const WIDTH = CHART_WIDTH;
const HEADROOM = 1.06;
export const SERVICE_SERIES = { cpu: '#8250df', memory: '#0969da' } as const;

export function hasServiceSamples(result: Result): boolean {
  return result.timeline.some((p) => p.cpuPercent !== undefined || p.memoryMB !== undefined);
}

/** The drift analysis's windows as shaded bands (x in seconds). */
function driftBands(result: Result): Band[] {
  const d = result.analysis?.drift;
  if (!d || d.note !== undefined) return [];
  return [
    { name: 'early', start: d.early.startMs / 1000, end: d.early.endMs / 1000, detail: `drift: early window ${formatClock(d.early.startMs)} – ${formatClock(d.early.endMs)}` },
    { name: 'late', start: d.late.startMs / 1000, end: d.late.endMs / 1000, detail: `drift: late window ${formatClock(d.late.startMs)} – ${formatClock(d.late.endMs)}` },
  ];
}

export function serviceChart(result: Result, id: string): TrustedSvg | null {
  if (!hasServiceSamples(result)) return null;
  const lastT = result.timeline.length > 0 ? result.timeline[result.timeline.length - 1]!.t : 0;
  const durationS = Math.max(1, result.durationMs / 1000, lastT);
  const unit = durationS <= 300 ? { seconds: 1, name: 's' } : durationS <= 3 * 3600 ? { seconds: 60, name: 'min' } : { seconds: 3600, name: 'h' };
  const top = 46;
  const plotH = 170;
  const height = top + plotH + 48;
  const area: PlotArea = { x: 66, y: top, w: WIDTH - 66 - 66, h: plotH };
  const x = linearScale(0, durationS, area.x, area.x + area.w);
  const cpu = result.timeline.filter((p) => p.cpuPercent !== undefined).map((p) => [p.t - 0.5, p.cpuPercent!] as const);
  const memory = result.timeline.filter((p) => p.memoryMB !== undefined).map((p) => [p.t - 0.5, p.memoryMB!] as const);
  const cpuMax = Math.max(0, ...cpu.map(([, v]) => v));
  const memMax = Math.max(0, ...memory.map(([, v]) => v));
  const cpuTicks = niceTicks(0, cpuMax > 0 ? cpuMax * HEADROOM : 100, 5);
  const memTicks = niceTicks(0, memMax > 0 ? memMax * HEADROOM : 1, 5);
  const yCpu = linearScale(0, cpuTicks.max, area.y + area.h, area.y);
  const yMem = linearScale(0, memTicks.max, area.y + area.h, area.y);
  const xTicks = innerTicks(durationS / unit.seconds, 6);

  const parts: string[] = [];
  parts.push(bands(x, area.y, area.y + area.h, driftBands(result)));
  parts.push(valueAxis(area, yCpu, cpuTicks, 'CPU (% of one core)', 'left'));
  parts.push(valueAxis(area, yMem, memTicks, 'memory (MB)', 'right', false));
  parts.push(bottomAxis(area, x, xTicks.values.map((v) => ({ value: v * unit.seconds, label: tickLabel(v, xTicks.step) })), `elapsed time (${unit.name})`));
  parts.push(seriesPath(cpu.map(([t, v]) => [x(t), yCpu(v)]), SERVICE_SERIES.cpu, { cls: 'series cpu' }));
  parts.push(seriesPath(memory.map(([t, v]) => [x(t), yMem(v)]), SERVICE_SERIES.memory, { cls: 'series memory' }));
  // the spike's end, the recovery and the breaking step, as on the latency chart
  parts.push(analysisMarks(result, x, area.y, area.y + area.h));
  parts.push(
    legend(area.x, 18, area.w, [
      { label: 'CPU', color: SERVICE_SERIES.cpu, kind: 'line' },
      { label: 'memory', color: SERVICE_SERIES.memory, kind: 'line' },
    ]),
  );
  return svgRoot(id, WIDTH, height, "The service's CPU and memory over time", parts);
}
