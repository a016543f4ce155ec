// Accumulates outcomes into cells (group × phase) and a per-second timeline. Memory is
// bounded by the number of groups and phases, plus one small point per second: nothing is
// kept per request.
import { addCount, createCell, type Cell } from './cell.js';
import { createHistogram, encodeHistogram, percentilesMs, recordMicros, type LatencyHistogram } from './histogram.js';
import type { Outcome } from './outcome.js';
import { phaseBlockKey } from './cell-codec.js';

/**
 * The recorder's clock: ms since `startMs`. Every recorder's clock is made here, at one place in
 * the source, so the run's recorder calls the very closure its warm-up taught V8 to expect (a
 * closure made elsewhere would throw the warm-up's optimised code away at the first answer).
 */
export function elapsedSince(clock: { nowMs(): number }, startMs: number): () => number {
  return () => clock.nowMs() - startMs;
}

export interface TimelinePoint {
  /** second since the start, 1-based: the point covers (t-1, t] */
  t: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** planned level at the end of that second (requests/s or users) */
  level: number;
  /** generator health: planned arrivals that second (open model) */
  planned?: number;
  /** generator health: worst event-loop lag observed that second, ms */
  loopLagMs?: number;
  /** generator health: worst lateness of a request start against its schedule, ms */
  startLagMs?: number;
  /** the service's CPU use, % of one core, from `monitor` (only on seconds with a sample) */
  cpuPercent?: number;
  /** the service's resident memory, MB, from `monitor` (only on seconds with a sample) */
  memoryMB?: number;
  /** WebSocket/SSE connections open at the end of that second (only when the run holds any) */
  sockets?: number;
}

/**
 * A timeline point's percentiles, ascending (one scan of the second's histogram). Held as
 * doubles, as every other caller's levels are (99.9, 99.5): an array of small integers is
 * another hidden class to V8, which made it throw away and recompile percentilesMs at every
 * run's end.
 */
const POINT_PERCENTILES: readonly number[] = doubles([50, 95, 99]);

/** The same numbers in an array of doubles (V8's PACKED_DOUBLE_ELEMENTS, never SMI). */
function doubles(values: readonly number[]): number[] {
  const out = [0.5];
  out.length = 0;
  for (const v of values) out.push(v);
  return out;
}

/**
 * One second of several parts (workers, scenarios) as one point: counts and levels added, lags the
 * worst of them, percentiles from the parts' histograms added (never averaged).
 */
export function addTimelinePoints(t: number, points: readonly TimelinePoint[], histogram: LatencyHistogram): TimelinePoint {
  const sum = (pick: (p: TimelinePoint) => number | undefined): number => points.reduce((s, p) => s + (pick(p) ?? 0), 0);
  const max = (pick: (p: TimelinePoint) => number | undefined): number => Math.max(...points.map((p) => pick(p) ?? 0));
  const any = (pick: (p: TimelinePoint) => number | undefined): boolean => points.some((p) => pick(p) !== undefined);
  const [p50, p95, p99] = percentilesMs(histogram, POINT_PERCENTILES);
  const point: TimelinePoint = {
    t,
    requests: sum((p) => p.requests),
    errors: sum((p) => p.errors),
    rps: sum((p) => p.rps),
    p50: p50!,
    p95: p95!,
    p99: p99!,
    level: Math.round(sum((p) => p.level) * 10) / 10,
  };
  if (any((p) => p.planned)) point.planned = sum((p) => p.planned);
  if (any((p) => p.loopLagMs)) point.loopLagMs = max((p) => p.loopLagMs);
  if (any((p) => p.startLagMs)) point.startLagMs = max((p) => p.startLagMs);
  if (any((p) => p.sockets)) point.sockets = sum((p) => p.sockets);
  return point;
}

/**
 * A run is also cut into this many equal time blocks per request group: latencies a second
 * apart are correlated, so `compare` judges a change by how many blocks show it.
 */
export const TIME_BLOCKS = 10;

/**
 * Each phase is cut into this many blocks of its own: a phase is often a short part of the
 * run (a 10 s spike), and 20 blocks give the rank test the power to see a change that holds
 * through the phase while a burst of a few seconds still shows in too few of them.
 */
export const PHASE_TIME_BLOCKS = 20;

export interface SecondMeta {
  /** second since the start, 1-based */
  t: number;
  level: number;
  planned?: number;
  loopLagMs?: number;
}

export class Recorder {
  private readonly cellsByGroup = new Map<string, Cell[]>();
  private readonly secondLatency = createHistogram();
  private secondRequests = 0;
  private secondErrors = 0;
  private secondStartLagUs = 0;
  readonly timeline: TimelinePoint[] = [];
  requests = 0;
  errors = 0;
  /** WebSocket/SSE connections open now; shown in the timeline once any has opened */
  private socketsOpen = 0;
  private socketsEverOpened = false;

  /**
   * per request group, the latencies of each of TIME_BLOCKS equal slices of the planned run;
   * and under phaseBlockKey(phase, group), of PHASE_TIME_BLOCKS equal slices of each phase (so
   * a change confined to one phase is judged on that phase's own blocks)
   */
  private readonly blocksByGroup = new Map<string, LatencyHistogram[]>();
  private readonly phaseKeys = new Map<string, string[]>();

  /**
   * `blockClock`: the plan's length, its phase windows and the run's clock (ms since t = 0),
   * to cut the run and each phase into blocks by completion time.
   */
  constructor(
    private readonly phaseCount: number,
    private readonly blockClock?: { plannedMs: number; elapsedMs: () => number; phases?: readonly { startMs: number; endMs: number }[] },
  ) {}

  record(outcome: Outcome): void {
    const cell = this.cellFor(outcome.group, outcome.phaseIndex, outcome.flow === true);
    if (outcome.flow === true) return recordFlow(cell, outcome);
    if (outcome.unsent === true) return addCount((cell.counters ??= {}), 'interrupted.unsent', 1);
    cell.requests++;
    this.requests++;
    this.secondRequests++;
    if (outcome.status !== null) addCount(cell.statusCodes, String(outcome.status));
    if (outcome.wireBytes !== undefined && outcome.wireBytes > 0) addCount((cell.counters ??= {}), 'http.bytesReceived', outcome.wireBytes);
    if (outcome.redirects !== undefined && outcome.redirects > 0) addCount((cell.counters ??= {}), 'http.redirects', outcome.redirects);
    if (outcome.errorKind !== null) {
      cell.errors++;
      this.errors++;
      this.secondErrors++;
      addCount(cell.errorKinds, outcome.errorKind);
    }
    if (outcome.latencyUs !== null) {
      recordMicros(cell.latency, outcome.latencyUs);
      recordMicros(this.secondLatency, outcome.latencyUs);
      const elapsedMs = this.blockClock?.elapsedMs() ?? 0;
      recordMicros(this.blockFor(outcome.group, elapsedMs), outcome.latencyUs);
      const phaseBlock = this.phaseBlockFor(outcome.group, outcome.phaseIndex, elapsedMs);
      if (phaseBlock) recordMicros(phaseBlock, outcome.latencyUs);
    }
    if (outcome.serviceUs !== null) recordMicros(cell.service, outcome.serviceUs);
  }

  /** Adds to a protocol counter of a group's cell (messages sent and received, events, HTTP version). */
  count(group: string, phaseIndex: number, key: string, n = 1): void {
    addCount((this.cellFor(group, phaseIndex, false).counters ??= {}), key, n);
  }

  /** A held connection (WebSocket, SSE stream) opened (+1) or closed (-1). */
  socketDelta(delta: 1 | -1): void {
    this.socketsOpen += delta;
    if (delta > 0) this.socketsEverOpened = true;
  }

  /** How late a request left against its schedule (generator health). */
  noteStartLag(lagUs: number): void {
    if (lagUs > this.secondStartLagUs) this.secondStartLagUs = lagUs;
  }

  /** The current second's latencies, for an exact merge across worker threads. */
  encodeSecondLatency(): string {
    return encodeHistogram(this.secondLatency);
  }

  /** Requests recorded in the second not yet closed. */
  get openSecondRequests(): number {
    return this.secondRequests;
  }

  /** Ends the current second: appends its timeline point and starts the next. */
  closeSecond(meta: SecondMeta): TimelinePoint {
    const [p50, p95, p99] = percentilesMs(this.secondLatency, POINT_PERCENTILES);
    const point: TimelinePoint = {
      t: meta.t,
      requests: this.secondRequests,
      errors: this.secondErrors,
      rps: this.secondRequests,
      p50: p50!,
      p95: p95!,
      p99: p99!,
      level: round1(meta.level),
    };
    if (meta.planned !== undefined) point.planned = meta.planned;
    if (meta.loopLagMs !== undefined) point.loopLagMs = round1(meta.loopLagMs);
    if (meta.planned !== undefined) point.startLagMs = round1(this.secondStartLagUs / 1000);
    if (this.socketsEverOpened) point.sockets = this.socketsOpen;
    this.timeline.push(point);
    this.secondLatency.reset();
    this.secondRequests = 0;
    this.secondErrors = 0;
    this.secondStartLagUs = 0;
    return point;
  }

  /** Each request group's latencies in TIME_BLOCKS blocks of the run (for compare's noise test). */
  timeBlocks(): Map<string, LatencyHistogram[]> {
    return this.blocksByGroup;
  }

  private blockFor(group: string, elapsedMs: number): LatencyHistogram {
    return this.blockIn(group, elapsedMs, 0, this.blockClock?.plannedMs ?? 0, TIME_BLOCKS);
  }

  /** The block of the phase the request started in, by its completion time within that phase's window. */
  private phaseBlockFor(group: string, phaseIndex: number, elapsedMs: number): LatencyHistogram | null {
    const window = this.blockClock?.phases?.[phaseIndex];
    if (!window) return null;
    // the keys are made once per (group, phase), not once per request
    let keys = this.phaseKeys.get(group);
    if (!keys) {
      keys = [];
      this.phaseKeys.set(group, keys);
    }
    const key = (keys[phaseIndex] ??= phaseBlockKey(phaseIndex, group));
    return this.blockIn(key, elapsedMs, window.startMs, window.endMs - window.startMs, PHASE_TIME_BLOCKS);
  }

  private blockIn(key: string, elapsedMs: number, startMs: number, lengthMs: number, count: number): LatencyHistogram {
    let blocks = this.blocksByGroup.get(key);
    if (!blocks) {
      blocks = Array.from({ length: count }, () => createHistogram(true));
      this.blocksByGroup.set(key, blocks);
    }
    const index = lengthMs > 0 ? Math.floor(((elapsedMs - startMs) * count) / lengthMs) : 0;
    return blocks[Math.max(0, Math.min(count - 1, index))]!;
  }

  cells(): Cell[] {
    return [...this.cellsByGroup.values()].flatMap((byPhase) => byPhase.filter((c): c is Cell => c !== undefined));
  }

  private cellFor(group: string, phaseIndex: number, flow: boolean): Cell {
    let byPhase = this.cellsByGroup.get(group);
    if (!byPhase) {
      byPhase = new Array<Cell>(this.phaseCount);
      this.cellsByGroup.set(group, byPhase);
    }
    let cell = byPhase[phaseIndex];
    if (!cell) {
      cell = createCell(group, phaseIndex, flow);
      byPhase[phaseIndex] = cell;
    }
    return cell;
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** a whole flow iteration: its own cell only, not the request counters nor the timeline */
function recordFlow(cell: Cell, outcome: Outcome): void {
  cell.requests++;
  if (outcome.errorKind !== null) {
    cell.errors++;
    addCount(cell.errorKinds, outcome.errorKind);
  }
  if (outcome.latencyUs !== null) recordMicros(cell.latency, outcome.latencyUs);
  if (outcome.serviceUs !== null) recordMicros(cell.service, outcome.serviceUs);
}
