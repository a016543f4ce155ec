// `--workers N`: the schedule runs in N worker threads, each with its own exact slice (every
// N-th arrival, or its share of the users); this thread only coordinates. Each second's
// histograms are added exactly (HdrHistogram add), never percentiles averaged.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExitCode, PerfctlError } from '../errors.js';
import { decodeCell, combineCells, combineTimeBlocks, decodeTimeBlocks } from '../metrics/cell-codec.js';
import { createHistogram, decodeHistogram, encodeHistogram } from '../metrics/histogram.js';
import { startLoad, type LoadRun, type LoadRunOptions, type LoadRunOutcome, type StopReason } from './run-load.js';
import type { Cell } from '../metrics/cell.js';
import { addTimelinePoints, type TimelinePoint } from '../metrics/recorder.js';
import type { ScheduleHealth } from './executor.js';
import type { WorkerCommand, WorkerDone, WorkerInput, WorkerMessage, WorkerSecond } from './worker-protocol.js';
import { builtDir } from '../version.js';

/** Margin between "all workers ready" and the shared t = 0, so the start message reaches all. */
const START_MARGIN_MS = 50;

export function startLoadInWorkers(options: LoadRunOptions, workerCount: number, liveCells: boolean): LoadRun {
  if (workerCount <= 1) return startLoad(options);
  const shard = options.slice ?? { index: 0, count: 1 };
  const { onSecond, clock: _clock, startAtMs: requestedStartMs, ...plain } = options;
  const workers = Array.from({ length: workerCount }, (_, j) => {
    const input: WorkerInput = {
      options: {
        ...plain,
        // worker j of N within shard i of n: every (n·N)-th arrival from i + n·j
        slice: { index: shard.index + shard.count * j, count: shard.count * workerCount },
        maxInFlight: Math.ceil(options.maxInFlight / workerCount),
      },
      liveCells,
    };
    return new Worker(builtDir === undefined ? new URL('./load-worker.js', import.meta.url) : join(builtDir, 'engine', 'load-worker.js'), { workerData: input });
  });

  const seconds = new SecondMerger(workerCount, onSecond, options.exportSecondHistograms === true);
  const done: WorkerDone[] = [];
  let ready = 0;
  let startAtEpochMs = 0;
  let stopBeforeStart: StopReason | undefined;
  const send = (command: WorkerCommand): void => workers.forEach((w) => w.postMessage(command));
  const finished = new Promise<LoadRunOutcome>((resolve, reject) => {
    workers.forEach((worker, j) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          // t = 0 is set once every worker has loaded, so none starts behind the others
          if (++ready < workerCount) return;
          // a requested t = 0 (--start-at) holds unless the workers were ready too late for it
          startAtEpochMs = Math.max(performance.timeOrigin + performance.now() + START_MARGIN_MS, requestedStartMs === undefined ? 0 : performance.timeOrigin + requestedStartMs);
          send({ type: 'start', startAtEpochMs });
          if (stopBeforeStart) send({ type: 'stop', reason: stopBeforeStart });
        } else if (message.type === 'second') seconds.add(j, message);
        else if (message.type === 'failed') reject(new PerfctlError(`load worker ${j + 1} failed: ${message.message}`, ExitCode.cannotRun));
        else {
          done[j] = message;
          seconds.finish(j);
          if (done.filter(Boolean).length === workerCount) resolve(combineOutcomes(done, startAtEpochMs, seconds.timeline));
        }
      });
      worker.on('error', (error) => reject(new PerfctlError(`load worker ${j + 1} crashed: ${error.message}`, ExitCode.cannotRun)));
    });
  });
  void finished.catch(() => workers.forEach((w) => void w.terminate()));

  return {
    stop(reason) {
      if (ready < workerCount) stopBeforeStart = reason;
      else send({ type: 'stop', reason });
    },
    finished,
  };
}

/** Waits for every running worker's report of second t, then emits the exact combination. */
class SecondMerger {
  readonly timeline: TimelinePoint[] = [];
  private readonly pending = new Map<number, Array<WorkerSecond | undefined>>();
  private readonly running: boolean[];
  private readonly latestCells: Array<Cell[] | undefined>;
  private readonly totals: Array<{ requests: number; errors: number }>;

  constructor(
    private readonly workerCount: number,
    private readonly onSecond: LoadRunOptions['onSecond'],
    /** hand each second's added histogram on (a run with scenarios adds the scenarios' seconds) */
    private readonly exportHistograms = false,
  ) {
    this.running = Array.from({ length: workerCount }, () => true);
    this.latestCells = Array.from({ length: workerCount }, () => undefined);
    this.totals = Array.from({ length: workerCount }, () => ({ requests: 0, errors: 0 }));
  }

  add(worker: number, second: WorkerSecond): void {
    // Array.from, not new Array(n): every() skips the holes of a sparse array
    const reports = this.pending.get(second.point.t) ?? Array.from<WorkerSecond | undefined>({ length: this.workerCount });
    reports[worker] = second;
    this.pending.set(second.point.t, reports);
    this.totals[worker] = { requests: second.requests, errors: second.errors };
    if (second.cells) this.latestCells[worker] = second.cells.map(decodeCell);
    this.flush(false);
  }

  finish(worker: number): void {
    this.running[worker] = false;
    this.flush(this.running.every((r) => !r));
  }

  private flush(all: boolean): void {
    const ready = [...this.pending.keys()].sort((a, b) => a - b);
    for (const t of ready) {
      const reports = this.pending.get(t)!;
      const complete = reports.every((r, j) => r !== undefined || !this.running[j]);
      if (!complete && !all) return;
      this.pending.delete(t);
      this.emit(reports.filter((r): r is WorkerSecond => r !== undefined));
    }
  }

  private emit(reports: WorkerSecond[]): void {
    const first = reports[0]!;
    const histogram = createHistogram();
    for (const r of reports) histogram.add(decodeHistogram(r.secondHistogram));
    const point = addTimelinePoints(first.point.t, reports.map((r) => r.point), histogram);
    this.timeline.push(point);
    const cells = this.latestCells;
    this.onSecond?.({
      elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
      point,
      stageIndex: first.stageIndex,
      level: first.level,
      requests: this.totals.reduce((s, w) => s + w.requests, 0),
      errors: this.totals.reduce((s, w) => s + w.errors, 0),
      inFlight: reports.reduce((s, r) => s + r.inFlight, 0),
      cells: () => combineCells(cells.flatMap((c) => c ?? []).map((c) => c)),
      ...(this.exportHistograms ? { secondHistogram: encodeHistogram(histogram) } : {}),
    });
  }
}

function combineOutcomes(done: WorkerDone[], startAtEpochMs: number, timeline: TimelinePoint[]): LoadRunOutcome {
  const durationMs = Math.max(...done.map((d) => d.durationMs));
  const stopped = done.find((d) => d.status !== 'completed');
  const healths = done.map((d) => d.health).filter((h): h is ScheduleHealth => h !== null);
  const startedAt = new Date(startAtEpochMs);
  return {
    status: stopped?.status ?? 'completed',
    startedAt,
    endedAt: new Date(startAtEpochMs + durationMs),
    durationMs,
    cells: combineCells(done.flatMap((d) => d.cells.map(decodeCell))),
    timeline,
    health:
      healths.length === 0
        ? null
        : {
            due: healths.reduce((s, h) => s + h.due, 0),
            launched: healths.reduce((s, h) => s + h.launched, 0),
            late: healths.reduce((s, h) => s + h.late, 0),
            dropped: healths.reduce((s, h) => s + h.dropped, 0),
            undelivered: healths.reduce((s, h) => s + h.undelivered, 0),
          },
    maxLoopLagMs: Math.max(...done.map((d) => d.maxLoopLagMs)),
    firstSendAt: firstOf(done.map((d) => d.firstSendEpochMs)),
    timeBlocks: combineTimeBlocks(done.map((d) => decodeTimeBlocks(d.timeBlocks))),
  };
}

function firstOf(epochs: Array<number | null>): Date | null {
  const sent = epochs.filter((e): e is number => e !== null);
  return sent.length === 0 ? null : new Date(Math.min(...sent));
}
