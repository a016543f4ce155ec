// The result.json contract (SPEC §5). schemas/result.schema.json must agree with these types.
import type { LoadModel, Severity, StageSpec } from '../config/types.js';
import type { Analysis } from './analysis-types.js';
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { StatsBlock } from '../metrics/stats.js';
import type { TimelinePoint } from '../metrics/recorder.js';

// the blocks the engine and metrics fill in, part of this contract
export type { LatencySummaryMs, StatsBlock, TimelinePoint };



export interface PhaseStats extends StatsBlock {
  name: string;
  startMs: number;
  endMs: number;
}

/** One scenario of a run with `scenarios` (result.json `scenarios.<name>`): its shape, totals, groups and phases. */
export interface ScenarioStats extends StatsBlock {
  model: LoadModel;
  /** when it started after the run's start (after -d) */
  startAfterMs: number;
  /** its own stages as planned (after -d and --scale) */
  stages: StageSpec[];
  groups: Record<string, StatsBlock>;
  /** its stages by their own names, windows in the run's time */
  phases: PhaseStats[];
}


/** pass: shown within its limit (its 95% bound is); fail: its value is beyond it; uncertain: neither */
export type CheckState = 'pass' | 'fail' | 'uncertain';

export interface TargetCheckResult {
  row: string;
  metric: string;
  limit: number;
  actual: number | null;
  /** MB: memory (a `memory` row); level: a staircase level (`breakingPoint`) */
  unit: 'ms' | 'ratio' | 'rps' | 'MB' | 'level';
  state: CheckState;
  severity: Severity;
  /** the one-sided 95% confidence bound of a percentile or error rate (null: too few samples for one) */
  bound?: number | null;
  /** samples in scope */
  samples?: number;
  /** uncertain: about how many samples would judge it, at the same behaviour */
  samplesNeeded?: number;
  /** state === 'pass' (kept for readers of the first results) */
  pass: boolean;
  /** results written before check states: true for a check with too few samples */
  insufficient?: boolean;
  phase?: string | null;
  /** a row of a run with scenarios that judged one scenario */
  scenario?: string;
  message?: string;
}

/**
 * regression: worse beyond the tolerance and beyond noise; noise: worse beyond the tolerance,
 * but not beyond noise; ok: judged and not worse beyond the tolerance; not-judged: the data
 * cannot tell (too few samples or blocks or runs), never shown as ok.
 */
export type ComparisonState = 'regression' | 'noise' | 'ok' | 'not-judged';

export interface ComparisonEntry {
  /** `total`, a group, `<phase> › total` or `<phase> › <group>` */
  scope: string;
  /** the phase of a per-phase entry (absent: the whole run) */
  phase?: string;
  /** the group (absent: all requests) */
  group?: string;
  metric: 'p50' | 'p95' | 'p99' | 'rps' | 'errorRate';
  baseline: number;
  current: number;
  /** relative change (0.1 = +10%); for errorRate the absolute change in percentage points / 100 */
  change: number;
  regression: boolean;
  /** absent only in results written before entries had one */
  state?: ComparisonState;
  /** the noise test's one-sided p-value, for a change beyond the tolerance */
  pValue?: number;
  /** the Holm level a regression's p-value was held to */
  level?: number;
  /** why a difference was or was not called a regression */
  note?: string;
}

export interface Comparison {
  baselineFile: string;
  baselineStartedAt: string;
  tolerance: { latency: number; throughput: number; errorRate: number };
  entries: ComparisonEntry[];
  regressions: number;
  /** how the noise was judged: Holm over the tested entries at alpha; runs a side */
  method?: { alpha: number; correction: 'holm'; tested: number; notJudged: number; baselineRuns: number; currentRuns: number; runAlpha?: number };
  /** phases and groups found on one side only: listed, not compared */
  onlyInBaseline?: string[];
  onlyInCurrent?: string[];
  /** the baseline's total latency histogram (HdrHistogram base64), to overlay its curve */
  baselineHistogram?: string;
}

export interface ResultCell {
  group: string;
  phase: string;
  requests: number;
  errors: number;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  /** HdrHistogram V2 compressed base64, microseconds */
  latency: string;
  service: string;
  /** a flow's cell: whole iterations (think time included), not requests; not in totals or phases */
  flow?: true;
  /** protocol counts (WebSocket messages, SSE events, HTTP versions), e.g. ws.sent, ws.received, sse.events, protocol.h2 */
  counters?: Record<string, number>;
}

export interface RunStart {
  /** the instant the load was to start: --start-at, or when it was scheduled without one */
  planned: string;
  /** t = 0 of this run's schedule and timeline: the planned instant, or later if perfctl was not ready */
  actual: string;
  /** when the first request left */
  firstRequest?: string;
  /** --start-at as given (`+30s` or an ISO time) */
  requested?: string;
}

export interface MergeRecord {
  shards: Array<{ file: string; index: number | null; count: number | null; actualStart: string; offsetMs: number }>;
  /** results left out: a shard index given more than once keeps its newest result */
  dropped: Array<{ file: string; index: number; keptFile: string }>;
  /** largest difference between the shards' actual starts, ms */
  skewMs: number;
  /** what merge would have refused, merged anyway with --force */
  forced?: string[];
}

/** setup or teardown: each step once, its status and latency (ms), and the error kind of a failed one */
export interface OnceRecord {
  durationMs: number;
  steps: Array<{ name: string; status: number | null; latencyMs: number | null; error?: string }>;
}

/** `running`: a checkpoint, written while the run was still going on (--checkpoint) */
export type RunStatus = 'completed' | 'interrupted' | 'aborted' | 'failed' | 'running';
export type Verdict = 'pass' | 'warn' | 'fail' | 'inconclusive' | 'none';

/** The load generator's own health: how much of the schedule it kept. */
export interface GeneratorHealth {
  /** arrivals in the plan */
  due: number;
  /** arrivals launched (including ones dropped at the in-flight cap) */
  launched: number;
  /** not started because maxInFlight requests were already in flight */
  dropped?: number;
  /** launched more than 50 ms after their due time */
  late: number;
  /** never launched */
  undelivered: number;
  /** worst event-loop lag, ms */
  maxLoopLagMs: number;
  /** why perfctl could not deliver the profile (the run is then inconclusive); absent when it did */
  problem?: string;
  /** perfctl's own CPU over the run (every thread), 100% = one core */
  cpu?: GeneratorCpu;
}

/** perfctl's own CPU: the mean of the run's first and last tenth of seconds, and its busiest second. */
export interface GeneratorCpu {
  startPercent: number;
  endPercent: number;
  peakPercent: number;
}

export interface Result {
  schemaVersion: 1;
  tool: { name: 'perfctl'; version: string };
  profile: {
    name: string;
    source: string;
    model: LoadModel;
    stages: StageSpec[];
    description?: string;
    /** the fully resolved profile with secrets redacted, enough to repeat the run */
    resolved?: unknown;
    hash?: string;
  };
  baseUrl: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  status: RunStatus;
  verdict: Verdict;
  /** one sentence saying why the verdict is not a pass (or why the run was inconclusive) */
  reason?: string;
  /** 1-based index of this shard's slice of the plan and the number of slices (--shard) */
  shard?: { index: number; count: number };
  /** when the load was planned to start and when it did (--start-at; the shards' alignment) */
  start?: RunStart;
  /** a merged result: which shards it was made of (perfctl merge) */
  merge?: MergeRecord;
  /** the profile's setup and teardown steps, each run once and measured apart from the load */
  setup?: OnceRecord;
  teardown?: OnceRecord;
  /** what the run was given: flags and overrides as typed (secrets redacted), the seed, label and meta */
  run?: { options: Record<string, unknown>; label?: string; meta?: Record<string, string> };
  /** did perfctl deliver the profile? (absent in the closed model and in results before it) */
  generator?: GeneratorHealth;
  totals: StatsBlock;
  groups: Record<string, StatsBlock>;
  phases: PhaseStats[];
  timeline: TimelinePoint[];
  histograms: {
    total: string;
    groups: Record<string, string>;
    phases: Record<string, string>;
    serviceTotal?: string;
  };
  /**
   * The exact data behind every view: one entry per (group, phase) pair with its counts and
   * histograms. Totals, groups and phases are sums of cells; targets, merge and compare
   * re-read them, so nothing is ever averaged.
   */
  cells: ResultCell[];
  /**
   * Each request group's latencies in equal time blocks of the run (HdrHistogram base64, µs,
   * 2 significant digits): compare counts in how many blocks a change shows, so a burst of
   * noise is not mistaken for a regression.
   */
  timeBlocks?: Record<string, string[]>;
  /**
   * The same per phase (by name) and request group, each phase cut into its own equal time
   * blocks: a change confined to the spike is judged on the spike's blocks.
   */
  phaseTimeBlocks?: Record<string, Record<string, string[]>>;
  targets: TargetCheckResult[];
  /** a run with scenarios: each one measured on its own (totals, groups and phases above are over all) */
  scenarios?: Record<string, ScenarioStats>;
  comparison?: Comparison;
  /** profile verdicts: spike recovery, soak drift, service resources, stress breaking point */
  analysis?: Analysis;
  environment: { node: string; os: string; cpus: number; host: string; git: string | null };
}

/** What a run measured, before it is judged: a Result without its verdict, checks, analysis and comparison. */
export type MeasuredResult = Omit<Result, 'verdict' | 'reason' | 'targets' | 'comparison' | 'analysis'>;

/** What the judge decides (src/judge/judge-run.ts). */
export type Judgement = Pick<Result, 'verdict' | 'reason' | 'targets' | 'comparison' | 'analysis'>;

