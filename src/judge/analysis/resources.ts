// Service resources (pure): the CPU and memory samples that `monitor` put on the timeline,
// summarised. Memory is compared between the same early and late windows as drift (after
// warm-up, as a service's memory grows while it warms up), each the mean of its samples so
// that a garbage collector's sawtooth does not pass for growth or hide it.
import type { ResourcesAnalysis } from '../../result/analysis-types.js';
import type { TimelinePoint } from '../../result/types.js';
import type { ResourceSample } from '../../engine/monitor.js';

export type { ResourceSample };
import { DRIFT_WARMUP_SHARE, DRIFT_WINDOW_SHARE, type DriftWindows } from '../../config/stage-shape.js';


const round1 = (x: number): number => Math.round(x * 10) / 10;
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * The samples on the timeline: each on the point of the second it was taken in (a point
 * covers (t-1, t] s; a later sample in the same second replaces an earlier one). Returns a new
 * timeline; points without a sample are the same objects.
 */
export function attachResourceSamples(timeline: TimelinePoint[], samples: ResourceSample[]): TimelinePoint[] {
  if (samples.length === 0 || timeline.length === 0) return timeline;
  const byT = new Map<number, ResourceSample>();
  const lastT = timeline[timeline.length - 1]!.t;
  for (const sample of samples) {
    const t = Math.min(lastT, Math.max(1, Math.ceil(sample.atMs / 1000)));
    byT.set(t, { ...byT.get(t), ...sample });
  }
  return timeline.map((point) => {
    const sample = byT.get(point.t);
    if (!sample) return point;
    const next = { ...point };
    if (sample.cpuPercent !== undefined) next.cpuPercent = round1(sample.cpuPercent);
    if (sample.memoryMB !== undefined) next.memoryMB = round1(sample.memoryMB);
    return next;
  });
}

export interface ResourcesInput {
  timeline: TimelinePoint[];
  /** `pid 1234` or the URL */
  source: string;
  intervalMs: number;
  /** the drift windows when the run has a steady span; else the run's own 10% / 20% / last 20% */
  windows: DriftWindows | null;
  runDurationMs: number;
  problem?: string;
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

export function analyseResources(input: ResourcesInput): ResourcesAnalysis {
  const memory = input.timeline.filter((p) => p.memoryMB !== undefined).map((p) => ({ atMs: p.t * 1000, value: p.memoryMB! }));
  const cpu = input.timeline.filter((p) => p.cpuPercent !== undefined).map((p) => p.cpuPercent!);
  const samples = input.timeline.filter((p) => p.memoryMB !== undefined || p.cpuPercent !== undefined).length;
  const lengthMs = input.runDurationMs;
  const early = input.windows?.early ?? {
    startMs: lengthMs * DRIFT_WARMUP_SHARE,
    endMs: lengthMs * (DRIFT_WARMUP_SHARE + DRIFT_WINDOW_SHARE),
  };
  const late = input.windows?.late ?? { startMs: lengthMs * (1 - DRIFT_WINDOW_SHARE), endMs: lengthMs };
  const inWindow = (w: { startMs: number; endMs: number }): number[] =>
    memory.filter((m) => m.atMs > w.startMs && m.atMs <= w.endMs + 1000).map((m) => m.value);
  // with too few samples for the windows, the first and the last sample stand in
  const start = mean(inWindow(early)) ?? memory[0]?.value ?? null;
  const end = mean(inWindow(late)) ?? memory[memory.length - 1]?.value ?? null;
  const meanCpu = mean(cpu);
  const result: ResourcesAnalysis = {
    source: input.source,
    samples,
    intervalMs: input.intervalMs,
    startMemoryMB: start === null ? null : round1(start),
    endMemoryMB: end === null ? null : round1(end),
    peakMemoryMB: memory.length === 0 ? null : round1(Math.max(...memory.map((m) => m.value))),
    memoryGrowth: start === null || end === null || start <= 0 ? null : round4(end / start - 1),
    meanCpuPercent: meanCpu === null ? null : round1(meanCpu),
    peakCpuPercent: cpu.length === 0 ? null : round1(Math.max(...cpu)),
  };
  const problem = input.problem ?? (samples === 0 ? 'no sample could be read' : undefined);
  return problem === undefined ? result : { ...result, problem };
}
