// Monotonic time for measurements: performance.now() cannot jump with the wall clock.
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** ms since an arbitrary origin, sub-millisecond precision */
  nowMs(): number;
}

export const monotonicClock: Clock = { nowMs: () => performance.now() };
