// What `perfctl run` shows of a run while it goes on, besides the live line: the `--export`s
// and the `--checkpoint`s, as load observers. run.ts builds this once and hands `observers` to
// the load runner; everything else about them lives here and in src/export/.
import { LiveExports } from '../export/live-exports.js';
import type { ServiceReading } from '../export/live-view.js';
import type { LoadObserver } from '../engine/load-observer.js';
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
  /** the service monitor's latest reading (monitored runs) */
  service?: () => ServiceReading | undefined;
}

export function createLiveOutputs({ profile, plan, settings, io, service }: LiveOutputContext): LiveOutputs {
  const exports = new LiveExports(settings.exports, {
    model: plan.model,
    info: {
      profile: profile.name,
      ...(settings.shard.count > 1 ? { shard: `${settings.shard.index + 1}/${settings.shard.count}` } : {}),
    },
    warn: (message) => io.err(`${message}\n`),
    ...(service ? { service } : {}),
  });
  return {
    observers: exports.active ? [exports] : [],
    needsCells: exports.active,
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
