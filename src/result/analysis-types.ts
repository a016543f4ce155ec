// The `analysis` block of result.json: verdicts on the shape of a run (spike recovery, soak
// drift, service resources, stress breaking point), computed once from the timeline and the
// cells by src/analysis/ and only rendered by the reports. schemas/result.schema.json
// (`$defs/analysis`) must agree with these types.
import type { ResultCell, TargetCheckResult } from './types.js';

/** How long after the spike the service was back near its pre-spike behaviour. */
export interface RecoveryAnalysis {
  /** the stage judged as the spike (named `spike`, a target row's `phase`, or detected) */
  spikePhase: string;
  /** the timed stage before the spike: what "recovered" is measured against */
  referencePhase: string;
  /** when the spike stage ended, ms since the start of the run */
  spikeEndMs: number;
  /** p95 of the requests due in the reference stage (exact, from its cells), ms */
  referenceP95Ms: number;
  /** errors / requests of the reference stage */
  referenceErrorRate: number;
  /** length of the sliding window of timeline points that must be back within tolerance, ms */
  windowMs: number;
  tolerance: {
    /** a window's p95 must be at most max(reference × p95Factor, reference + p95SlackMs) */
    p95Factor: number;
    p95SlackMs: number;
    /** a window's error rate must be at most reference + errorRatePoints (0.01 = 1 pp) */
    errorRatePoints: number;
    /** the resulting limits */
    p95LimitMs: number;
    errorRateLimit: number;
  };
  /** from the end of the spike to the start of the first window from which every window is within tolerance; null when not recovered */
  recoveryMs: number | null;
  /** spikeEndMs + recoveryMs, ms since the start of the run; null when not recovered */
  recoveredAtMs: number | null;
  recovered: boolean;
  /** why recovery could not be judged (e.g. the run ended with the spike) */
  note?: string;
}

/** One metric of an early and a late window. */
export interface DriftMetric {
  early: number;
  late: number;
  /**
   * latency and throughput: relative change (late / early - 1; 0.05 = +5%), null when early is 0;
   * error rate: absolute change as a ratio (0.01 = +1 percentage point)
   */
  change: number | null;
  /** latency only: the change's 95% confidence bounds (sampling noise), when known */
  changeLow?: number;
  changeHigh?: number;
}

export interface DriftWindow {
  /** ms since the start of the run */
  startMs: number;
  endMs: number;
  requests: number;
}

/** Did the service get slower (or faster) as the run went on? Early window against late window. */
export interface DriftAnalysis {
  /** the stage whose steady part is compared; null for the whole run */
  phase: string | null;
  /** the first part of the span that is left out as warm-up, ms */
  warmupMs: number;
  early: DriftWindow;
  late: DriftWindow;
  /** `cells`: exact, from histograms captured at the window boundaries; `timeline`: per-second points weighted by requests */
  source: 'cells' | 'timeline';
  p50: DriftMetric;
  p95: DriftMetric;
  p99: DriftMetric;
  errorRate: DriftMetric;
  rps: DriftMetric;
  /** the windows' exact data, one cell per (request, window), phase `early` or `late` (source `cells`) */
  windowCells?: ResultCell[];
  note?: string;
}

/** The service's own CPU and memory, sampled by `monitor` during the run. */
export interface ResourcesAnalysis {
  /** `pid 1234` or the metrics URL */
  source: string;
  samples: number;
  intervalMs: number;
  /** mean of the memory samples in the early window (after warm-up), MB */
  startMemoryMB: number | null;
  /** mean of the memory samples in the late window, MB */
  endMemoryMB: number | null;
  peakMemoryMB: number | null;
  /** endMemoryMB / startMemoryMB - 1 */
  memoryGrowth: number | null;
  meanCpuPercent: number | null;
  peakCpuPercent: number | null;
  /** why some or all samples are missing */
  problem?: string;
}

export interface BreakingStepFailure {
  row: string;
  metric: string;
  limit: number;
  actual: number | null;
  unit: TargetCheckResult['unit'];
  message: string;
}

export interface BreakingStep {
  phase: string;
  /** planned level of the step: requests/s (open) or users (closed) */
  level: number;
  /** achieved: requests sent per second of the step */
  rps: number;
  requests: number;
  /** every target held on this step's own data (checks with too few samples do not break a step) */
  pass: boolean;
  /** false when the run ended before the step did */
  complete: boolean;
  failed: BreakingStepFailure[];
  /** checks that had too few samples on this step */
  insufficient: number;
}

export interface BreakingPointStep {
  phase: string;
  level: number;
  rps: number;
}

/** A staircase's steps each judged against the targets on their own data. */
export interface BreakingPointAnalysis {
  steps: BreakingStep[];
  /** the last step before the first broken one at which every target held; null when the first step broke */
  lastGood: BreakingPointStep | null;
  /** the first step at which a target broke, with the checks that did; null when none broke */
  firstBroken: (BreakingPointStep & { failed: BreakingStepFailure[] }) | null;
  /** true when `stopOnBreak` ended the run at firstBroken */
  stoppedEarly: boolean;
  note?: string;
}

export interface Analysis {
  recovery?: RecoveryAnalysis;
  drift?: DriftAnalysis;
  resources?: ResourcesAnalysis;
  breakingPoint?: BreakingPointAnalysis;
}
