// `--checkpoint <dur>`: result.json rewritten atomically at that interval while the run goes on,
// with status `running`, so a run killed at hour 23 (OOM, a drained node, a CI timeout) leaves
// 23 hours of results that `report` and `compare` read. On the run's thread a checkpoint costs
// encoding the cells' histograms (O(groups × phases), about a millisecond); the views summed
// from them and the timeline (O(seconds): 20 MB of JSON at 24 h) are done by a sink on another
// thread. One checkpoint at a time: a slow disk makes them rarer, never the load slower.
import { performance } from 'node:perf_hooks';
import { judgeSoFar } from '../judge/judge-run.js';
import { attachResourceSamples, type ResourceSample } from '../judge/analysis/resources.js';
import { encodeCells } from '../result/cells.js';
import type { Cell } from '../metrics/cell.js';
import type { TargetRow } from '../config/types.js';
import type { CheckpointSink } from './checkpoint-sink.js';
import type { LoadObserver } from '../engine/load-observer.js';
import type { LoadRunOutcome, SecondTick } from '../engine/run-load.js';
import { assembleResult } from '../result/build-result.js';
import type { MeasuredResult, Result, TimelinePoint } from '../result/types.js';

export interface CheckpointOptions {
  intervalMs: number;
  /** where result.json is written (a worker thread in `run`) */
  sink: CheckpointSink;
  /** the measured result (before judging) of the run so far */
  measure: (outcome: LoadRunOutcome) => MeasuredResult;
  warn: (message: string) => void;
  /** the plan's end, ms: no checkpoint in its last second, since the final result.json follows */
  plannedMs?: number;
  /** the target rows, judged on the data so far */
  rows?: TargetRow[];
  /** the service monitor's samples so far (ms since the run's start), put on the timeline */
  serviceSamples?: () => ResourceSample[];
}

/** What the checkpoints cost (for the README's 24-hour figures). */
export interface CheckpointStats {
  written: number;
  lastBytes: number;
  /** from the checkpoint's start to its rename, ms */
  lastWriteMs: number;
  /** of which on the run's own thread, ms */
  lastBuildMs: number;
}

/** The run so far as a load outcome, without its cells and timeline (the sink completes those). */
export function outcomeSoFar(tick: SecondTick, startedAt: Date, maxLoopLagMs: number): LoadRunOutcome {
  const durationMs = Math.round(tick.elapsedMs);
  return {
    status: 'completed',
    startedAt,
    endedAt: new Date(startedAt.getTime() + durationMs),
    durationMs,
    cells: [],
    timeline: [],
    health: null,
    maxLoopLagMs,
    firstSendAt: null,
    timeBlocks: new Map(),
  };
}

/** A measured result as a checkpoint: status running, the rows judged so far, an inconclusive verdict that says so. */
export function asCheckpoint(measured: MeasuredResult, cells: Cell[] = [], rows: TargetRow[] = []): Result {
  // time blocks need the whole run: a checkpoint leaves them out (compare then uses the totals)
  const { timeBlocks: _timeBlocks, ...rest } = measured;
  const running = { ...rest, status: 'running' as const };
  return assembleResult(running, judgeSoFar({ result: running, cells }, rows));
}

export class CheckpointWriter implements LoadObserver {
  readonly stats: CheckpointStats = { written: 0, lastBytes: 0, lastWriteMs: 0, lastBuildMs: 0 };
  private unsent: TimelinePoint[] = [];
  private seconds = 0;
  private maxLoopLagMs = 0;
  private startedAt: Date | undefined;
  private lastAtMs = 0;
  private writing: Promise<void> | undefined;
  private finished = false;
  private failed = false;

  constructor(private readonly options: CheckpointOptions) {}

  onSecond(tick: SecondTick): void {
    this.unsent.push(tick.point);
    this.seconds++;
    this.maxLoopLagMs = Math.max(this.maxLoopLagMs, tick.point.loopLagMs ?? 0);
    this.startedAt ??= new Date(Date.now() - tick.elapsedMs);
    if (this.finished || this.writing || tick.elapsedMs - this.lastAtMs < this.options.intervalMs - 500) return;
    // (this one would start the checkpoint thread, ~50 ms of CPU, for a file replaced at once)
    if (this.options.plannedMs !== undefined && tick.elapsedMs > this.options.plannedMs - 1000) return;
    this.lastAtMs = tick.elapsedMs;
    this.writing = this.write(tick).finally(() => (this.writing = undefined));
  }

  /** The final result.json is written next: no checkpoint may land after it. */
  async onFinish(): Promise<void> {
    this.finished = true;
    await this.writing;
    await this.options.sink.close();
  }

  /** The service's samples on the points not sent yet (each on the second it was taken in). */
  private withSamples(points: TimelinePoint[]): TimelinePoint[] {
    const last = points[points.length - 1];
    if (!this.options.serviceSamples || !last) return points;
    // a sample of a second still to come waits for its point
    const samples = this.options.serviceSamples().filter((s) => Math.ceil(s.atMs / 1000) <= last.t);
    return attachResourceSamples(points, samples);
  }

  private async write(tick: SecondTick): Promise<void> {
    const started = performance.now();
    let reply;
    try {
      // measured without cells (cheap: no histogram is summarised here), then given the cells
      const cells = tick.cells();
      const skeleton = asCheckpoint(this.options.measure(outcomeSoFar(tick, this.startedAt!, this.maxLoopLagMs)), cells, this.options.rows);
      const result = { ...skeleton, cells: encodeCells(cells, skeleton.phases) };
      this.options.sink.addPoints(this.withSamples(this.unsent));
      this.unsent = [];
      const pending = this.options.sink.write(result, this.seconds);
      this.stats.lastBuildMs = performance.now() - started;
      reply = await pending;
    } catch (error) {
      reply = { type: 'failed' as const, message: (error as Error).message };
    }
    if (reply.type === 'written') {
      this.stats.written++;
      this.stats.lastBytes = reply.bytes;
      this.stats.lastWriteMs = performance.now() - started;
    } else if (!this.failed) {
      this.failed = true;
      this.options.warn(`perfctl: checkpoint: ${reply.message}; the run goes on and the next checkpoint is tried (this warning is shown once)`);
    }
  }
}
