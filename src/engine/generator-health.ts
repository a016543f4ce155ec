// Did perfctl deliver the profile? If it could not keep to its own schedule, the numbers say
// more about the load generator than about the service: the run is inconclusive (exit 4).
import type { ScheduleHealth } from './executor.js';
import type { Cell } from '../metrics/cell.js';

/** Below this share of requests started on schedule, the run is inconclusive (SPEC §1: 95%). */
export const MIN_ON_SCHEDULE_RATIO = 0.95;

/** One sentence saying why the run is inconclusive, or null when perfctl kept up. */
export function judgeGeneratorHealth(health: ScheduleHealth | null, maxLoopLagMs: number, lateStartMs: number): string | null {
  if (health === null || health.due === 0) return null;
  const dropped = health.dropped ?? 0;
  const onSchedule = (health.launched - dropped - health.late) / health.due;
  if (onSchedule >= MIN_ON_SCHEDULE_RATIO) return null;
  const percent = (onSchedule * 100).toFixed(onSchedule < 0.1 ? 1 : 0);
  if (dropped > 0 && dropped >= health.late) {
    return (
      `perfctl could not start ${dropped} of ${health.due} planned arrivals because maxInFlight requests were already in flight ` +
      `(${percent}% started on schedule): their latency was never measured, so the numbers hide a queue; raise maxInFlight, or lower the rate for a service this slow`
    );
  }
  const never = health.undelivered > 0 ? `, ${health.undelivered} were never sent` : '';
  const drops = dropped > 0 ? `, ${dropped} dropped at maxInFlight` : '';
  return (
    `perfctl started only ${percent}% of the planned requests on schedule (within ${lateStartMs} ms${never}${drops}; ` +
    `its event loop lagged up to ${Math.round(maxLoopLagMs)} ms): the load generator, not the service, was the limit`
  );
}

/**
 * A second's event-loop lag, ms: the longest delay of the lag sampler's timer past its period,
 * less the longest sleep perfctl took on purpose on that thread in the second (a precise start
 * at a low rate blocks the loop while nothing is in flight; that is no stall of the generator).
 */
export function loopLagOf(maxTimerDelayMs: number, samplePeriodMs: number, longestSleepMs: number): number {
  return Math.max(0, maxTimerDelayMs - samplePeriodMs - longestSleepMs);
}

/** Error kinds that are perfctl's own machine running out (file descriptors, buffers, ports), never the service's fault. */
export const OWN_FAILURE_KINDS: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'EADDRNOTAVAIL']);

/** One sentence when requests failed for lack of perfctl's own resources (the run is inconclusive), else null. */
export function judgeOwnFailures(cells: readonly Cell[]): string | null {
  const counts = new Map<string, number>();
  for (const cell of cells) {
    if (cell.flow === true) continue;
    for (const [kind, n] of Object.entries(cell.errorKinds)) if (OWN_FAILURE_KINDS.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + n);
  }
  if (counts.size === 0) return null;
  const list = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
  return `perfctl ran out of its own resources (${list}: too many open files or sockets on this machine): raise the limit (ulimit -n) or lower maxInFlight; the service was not the limit`;
}
