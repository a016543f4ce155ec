// What `perfctl run` shows of a run while it goes on, besides the live line: the `--export`s
// and the `--checkpoint`s, as load observers. run.ts builds this once and hands `observers` to
// the load runner; everything else about them lives here and in src/export/.
import { join } from 'node:path';
import { LiveExports } from '../export/live-exports.js';
import { REPORT_FILES } from '../report/write-reports.js';
import { CheckpointWriter } from './checkpoint.js';
import { WorkerSink } from './checkpoint-sink.js';
import type { ServiceReading } from '../export/live-view.js';
import type { ResourceSample } from '../engine/monitor.js';
import type { LoadObserver } from '../engine/load-observer.js';
import type { LoadRunOutcome } from '../engine/run-load.js';
import type { Result, MeasuredResult } from '../result/types.js';
import type { Plan } from '../engine/plan.js';
import type { Profile } from '../config/types.js';
import type { Io } from '../io.js';
import type { RunSettings } from './run-options.js';

export interface LiveOutputs {
  readonly observers: LoadObserver[];
  /** the observers read the cells every second (workers must send them) */
  readonly needsCells: boolean;
  /** before the load: bind and open (a failure is exit 2, nothing sent) */
  start(): Promise<void>;
  /** Ctrl-C: no linger */
  interrupt(): void;
  /** after the reports: linger, flush, close */
  close(): Promise<void>;
}

export interface LiveOutputContext {
  profile: Profile;
  plan: Plan;
  settings: RunSettings;
  io: Io;
  /** where result.json goes (checkpoints are written there) */
  outDir: string;
  /** the measured result (before judging) of an outcome: a checkpoint is the run so far */
  measure: (outcome: LoadRunOutcome) => MeasuredResult;
  /** the service monitor's latest reading (monitored runs) */
  service?: () => ServiceReading | undefined;
  /** the service monitor's samples so far (checkpoints carry them) */
  serviceSamples?: () => ResourceSample[];
}

export function createLiveOutputs({ profile, plan, settings, io, outDir, measure, service, serviceSamples }: LiveOutputContext): LiveOutputs {
  const warn = (message: string): void => io.err(`${message}\n`);
  const exports = new LiveExports(settings.exports, {
    model: plan.model,
    info: {
      profile: profile.name,
      ...(settings.shard.count > 1 ? { shard: `${settings.shard.index + 1}/${settings.shard.count}` } : {}),
    },
    warn,
    ...(service ? { service } : {}),
  });
  const checkpoint =
    settings.checkpointMs === null ? undefined : new CheckpointWriter({
          intervalMs: settings.checkpointMs,
          sink: new WorkerSink(join(outDir, REPORT_FILES.json)),
          measure,
          warn,
          plannedMs: plan.totalMs,
          rows: profile.targets,
          ...(serviceSamples ? { serviceSamples } : {}),
        });
  const observers: LoadObserver[] = [...(exports.active ? [exports] : []), ...(checkpoint ? [checkpoint] : [])];
  return {
    observers,
    needsCells: observers.length > 0,
    async start() {
      await exports.start();
      for (const exporter of exports.exporters) {
        if (exporter.name.startsWith('prometheus ') && !settings.quiet) io.err(`perfctl: serving ${exporter.name.slice('prometheus '.length)}\n`);
      }
    },
    interrupt: () => exports.interrupt(),
    close: () => exports.close(settings.exportLingerMs),
  };
}
