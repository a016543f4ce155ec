// Live checks and exports watch the load through this one seam: each observer is told of every
// closed second (off the request path) and of the end, and may stop the run. The observers
// themselves (abortOnFail, stopOnBreak, drift capture, progress line, exporters) live above the
// engine (src/observers/), so the engine never knows what is watching it.
import { startLoadInWorkers } from './run-workers.js';
import type { LoadRun, LoadRunOptions, LoadRunOutcome, SecondTick, StopReason } from './run-load.js';

export interface LoadControl {
  stop(reason: StopReason): void;
}

export interface LoadObserver {
  /** once a second, after the second's timeline point is closed */
  onSecond?(tick: SecondTick, run: LoadControl): void;
  /** once, when the load has finished, before the result is judged */
  onFinish?(outcome: LoadRunOutcome): void | Promise<void>;
}

/** Starts the load (in `workerCount` threads when > 1) with every observer attached. */
export function startObservedLoad(options: LoadRunOptions, observers: readonly LoadObserver[], workerCount = 1, liveCells = false): LoadRun {
  return observeLoad(observers, (onSecond) =>
    startLoadInWorkers({ ...options, onSecond: (tick) => { options.onSecond?.(tick); onSecond(tick); } }, workerCount, liveCells),
  );
}

/** Any load (one run, or a run of scenarios) with every observer attached: `start` is handed the per-second callback. */
export function observeLoad(observers: readonly LoadObserver[], start: (onSecond: (tick: SecondTick) => void) => LoadRun): LoadRun {
  let run: LoadRun | undefined;
  const control: LoadControl = { stop: (reason) => run?.stop(reason) };
  const onSecond = (raw: SecondTick): void => {
    // the cells are read once a tick whoever asks (with workers, reading them adds theirs up)
    let cells: ReturnType<SecondTick['cells']> | undefined;
    const tick: SecondTick = { ...raw, cells: () => (cells ??= raw.cells()) };
    for (const observer of observers) observer.onSecond?.(tick, control);
  };
  run = start(onSecond);
  const finished = run.finished.then(async (outcome) => {
    for (const observer of observers) await observer.onFinish?.(outcome);
    return outcome;
  });
  return { stop: (reason) => run?.stop(reason), finished };
}
