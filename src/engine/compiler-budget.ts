// V8 moves a function to its optimising compiler (TurboFan, on another thread) once it has run
// a set amount of bytecode (its "interrupt budget"). At a low rate nothing gains from that: a
// 10 s run at 500/s runs its request path 5,000 times, and the ~70 functions TurboFan compiles
// on the way cost more CPU than interpreting them would (~110 ms against a plain client's
// ~50 ms on the bench's host). A low-rate open-model load raises the budget for its length,
// so only what is really hot gets optimised; the busy runs keep V8's default and the warm-up.
import { setFlagsFromString } from 'node:v8';
import type { Plan } from './plan.js';
import { peakLevel } from './plan.js';

/** V8's own budget (node 20's V8 11.3: `node --v8-options`), restored when no low-rate load runs. */
export const DEFAULT_INTERRUPT_BUDGET = 67584;
/** The budget of a low-rate load: 8× (over 10 rounds at 500/s, a run's CPU -10%; 4× and 16× no better). */
export const LOW_RATE_INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;
/** Open-model loads whose rate stays below this are low-rate (from 2,000 arrivals in its first second a run is warmed up instead). */
export const LOW_RATE_BELOW_PER_SECOND = 2000;

/** Whether a load of this plan runs at a low rate throughout (closed models never: their rate is the service's). */
export function isLowRate(plan: Plan, sliceCount: number): boolean {
  return plan.model === 'open' && peakLevel(plan) / sliceCount < LOW_RATE_BELOW_PER_SECOND;
}

/** Whether the user chose V8's budget (node's command line or NODE_OPTIONS): perfctl leaves it alone. */
export function budgetChosenByUser(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const chosen = (arg: string): boolean => /^--interrupt[-_]budget(=|$)/.test(arg);
  return execArgv.some(chosen) || (nodeOptions ?? '').split(/\s+/).some(chosen);
}

let lowRateLoads = 0;

/**
 * Raises V8's budget while the low-rate load runs; call the returned function when it ends.
 * Loads at once (scenarios) share it: the default is back when the last one ends.
 */
export function holdLowRateBudget(set: (flags: string) => void = setFlagsFromString): () => void {
  if (budgetChosenByUser(process.execArgv, process.env['NODE_OPTIONS'])) return () => undefined;
  if (lowRateLoads++ === 0) set(`--interrupt-budget=${LOW_RATE_INTERRUPT_BUDGET}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // the flag is part of V8's code-cache check: back to the default before anything else compiles
    if (--lowRateLoads === 0) set(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`);
  };
}
