// A worker thread: runs its slice of the schedule and reports every second and at the end.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeCell, encodeTimeBlocks } from '../metrics/cell-codec.js';
import { startLoad, type LoadRun } from './run-load.js';
import type { WorkerCommand, WorkerInput, WorkerMessage } from './worker-protocol.js';

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (message: WorkerMessage): void => port.postMessage(message);

let run: LoadRun | undefined;
port.on('message', (command: WorkerCommand) => {
  if (command.type === 'start') void runSlice(command.startAtEpochMs);
  else run?.stop(command.reason);
});
post({ type: 'ready' });

async function runSlice(startAtEpochMs: number): Promise<void> {
  try {
    run = startLoad({
      ...input.options,
      startAtMs: startAtEpochMs - performance.timeOrigin,
      exportSecondHistograms: true,
      onSecond(tick) {
        post({
          type: 'second',
          elapsedMs: tick.elapsedMs,
          point: tick.point,
          stageIndex: tick.stageIndex,
          level: tick.level,
          requests: tick.requests,
          errors: tick.errors,
          inFlight: tick.inFlight,
          secondHistogram: tick.secondHistogram!,
          ...(input.liveCells ? { cells: tick.cells().map(encodeCell) } : {}),
        });
      },
    });
    const outcome = await run.finished;
    post({
      type: 'done',
      status: outcome.status,
      durationMs: outcome.durationMs,
      cells: outcome.cells.map(encodeCell),
      health: outcome.health,
      maxLoopLagMs: outcome.maxLoopLagMs,
      firstSendEpochMs: outcome.firstSendAt?.getTime() ?? null,
      timeBlocks: encodeTimeBlocks(outcome.timeBlocks),
    });
    port.close();
  } catch (error) {
    post({ type: 'failed', message: (error as Error).message });
  }
}
