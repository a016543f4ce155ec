// Messages between the coordinating thread and the load workers (plain, cloneable data).
import type { EncodedCell } from '../metrics/cell-codec.js';
import type { ScheduleHealth } from './executor.js';
import type { LoadRunOptions, SecondTick, StopReason } from './run-load.js';

/** What a worker needs: the load options without callbacks, and the shared t = 0. */
export interface WorkerInput {
  options: Omit<LoadRunOptions, 'onSecond' | 'clock' | 'startAtMs' | 'exportSecondHistograms'>;
  /** send the cells every second (only when a live check needs them) */
  liveCells: boolean;
}

/** A worker's second: the tick's figures, with its cells and histogram encoded to cross the thread. */
export type WorkerSecond = Omit<SecondTick, 'cells' | 'secondHistogram'> & {
  type: 'second';
  secondHistogram: string;
  cells?: EncodedCell[];
};

export interface WorkerDone {
  type: 'done';
  status: 'completed' | StopReason;
  durationMs: number;
  cells: EncodedCell[];
  health: ScheduleHealth | null;
  maxLoopLagMs: number;
  /** when this worker's first request left, epoch ms; null when none did */
  firstSendEpochMs: number | null;
  timeBlocks: Record<string, string[]>;
}

export interface WorkerFailed {
  type: 'failed';
  message: string;
}

export interface WorkerReady {
  type: 'ready';
}

export type WorkerMessage = WorkerReady | WorkerSecond | WorkerDone | WorkerFailed;

export type WorkerCommand =
  /** t = 0 as epoch ms (performance.timeOrigin + now), the same for every worker */
  | { type: 'start'; startAtEpochMs: number }
  | { type: 'stop'; reason: StopReason };
