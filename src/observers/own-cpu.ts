// perfctl's own CPU during a run, as a load observer: the process's CPU time (every thread, so
// the load workers too) over each second's wall time, 100% = one core. The result keeps the
// start (the first tenth of the seconds), the end (the last tenth) and the busiest second, so
// a run whose generator was saturating by its end says so beside the service's numbers.
import { performance } from 'node:perf_hooks';
import type { LoadObserver } from '../engine/load-observer.js';
import type { GeneratorCpu } from '../result/types.js';

const round1 = (x: number): number => Math.round(x * 10) / 10;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Start, end and peak of the per-second shares (pure); undefined without any second. */
export function summariseOwnCpu(seconds: number[]): GeneratorCpu | undefined {
  if (seconds.length === 0) return undefined;
  const tenth = Math.max(1, Math.floor(seconds.length / 10));
  return {
    startPercent: round1(mean(seconds.slice(0, tenth))),
    endPercent: round1(mean(seconds.slice(-tenth))),
    peakPercent: round1(Math.max(...seconds)),
  };
}

export class OwnCpu implements LoadObserver {
  private readonly seconds: number[] = [];
  private lastUsage = process.cpuUsage();
  private lastAt = performance.now();

  onSecond(): void {
    const now = performance.now();
    const used = process.cpuUsage(this.lastUsage);
    const wallMs = now - this.lastAt;
    this.lastUsage = process.cpuUsage();
    this.lastAt = now;
    if (wallMs > 0) this.seconds.push((((used.user + used.system) / 1000) / wallMs) * 100);
  }

  summary(): GeneratorCpu | undefined {
    return summariseOwnCpu(this.seconds);
  }
}
