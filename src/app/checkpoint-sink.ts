// Where checkpoints are turned into result.json: a worker thread (`WorkerSink`, what `run`
// uses) or this thread (`InlineSink`, for tests). Both keep their own copy of the timeline,
// sent a few points at a time, so a checkpoint message carries only the histograms and counts.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serialiseResult } from '../report/write-reports.js';
import { buildViews, decodeCells } from '../result/cells.js';
import { writeFileAtomic } from '../result/write-atomic.js';
import type { Result, TimelinePoint } from '../result/types.js';
import { builtDir } from '../version.js';

export type CheckpointMessage = { type: 'points'; points: TimelinePoint[] } | { type: 'write'; result: Result; seconds: number };
export type CheckpointReply = { type: 'written'; bytes: number; ms: number } | { type: 'failed'; message: string };

export interface CheckpointSink {
  addPoints(points: TimelinePoint[]): void;
  /**
   * `result` with its cells but neither its timeline nor the views (totals, groups, phases,
   * histograms): the sink adds the first `seconds` points and sums the views from the cells
   */
  write(result: Result, seconds: number): Promise<CheckpointReply>;
  close(): Promise<void>;
}

/**
 * Completes a checkpoint (its views summed from its cells, as for every result, and its
 * timeline), serialises it (validating against the schema) and writes it atomically.
 */
export async function writeCheckpoint(path: string, result: Result, timeline: readonly TimelinePoint[], seconds: number): Promise<CheckpointReply> {
  const started = performance.now();
  try {
    const views = buildViews(decodeCells(result), result.phases, result.durationMs, result.profile.model === 'open');
    const complete: Result = { ...result, totals: views.totals, groups: views.groups, phases: views.phases, histograms: views.histograms, timeline: timeline.slice(0, seconds) };
    const text = serialiseResult(complete);
    await writeFileAtomic(path, text);
    return { type: 'written', bytes: Buffer.byteLength(text), ms: performance.now() - started };
  } catch (error) {
    return { type: 'failed', message: (error as Error).message };
  }
}

export class InlineSink implements CheckpointSink {
  private readonly timeline: TimelinePoint[] = [];

  constructor(private readonly path: string) {}

  addPoints(points: TimelinePoint[]): void {
    this.timeline.push(...points);
  }

  write(result: Result, seconds: number): Promise<CheckpointReply> {
    return writeCheckpoint(this.path, result, this.timeline, seconds);
  }

  async close(): Promise<void> {}
}

export class WorkerSink implements CheckpointSink {
  private started: Worker | undefined;
  private waiting: ((reply: CheckpointReply) => void) | undefined;

  constructor(private readonly path: string) {}

  /** started at the first checkpoint: a run shorter than the interval never starts it */
  private get worker(): Worker {
    if (this.started) return this.started;
    const worker = new Worker(builtDir === undefined ? new URL('./checkpoint-worker.js', import.meta.url) : join(builtDir, 'app', 'checkpoint-worker.js'), { workerData: { path: this.path } });
    const answer = (reply: CheckpointReply): void => {
      const resolve = this.waiting;
      this.waiting = undefined;
      worker.unref();
      resolve?.(reply);
    };
    worker.on('message', answer);
    worker.on('error', (error) => answer({ type: 'failed', message: `checkpoint thread: ${error.message}` }));
    // it must never keep perfctl alive on its own
    worker.unref();
    this.started = worker;
    return worker;
  }

  addPoints(points: TimelinePoint[]): void {
    this.worker.postMessage({ type: 'points', points } satisfies CheckpointMessage);
  }

  write(result: Result, seconds: number): Promise<CheckpointReply> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      // held open while a checkpoint is being written, so the run's end waits for it
      this.worker.ref();
      this.worker.postMessage({ type: 'write', result, seconds } satisfies CheckpointMessage);
    });
  }

  async close(): Promise<void> {
    await this.started?.terminate();
  }
}
